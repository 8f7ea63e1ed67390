"""The demo publication (`make demo`): its content as plain data, and `seed_demo`, which writes it.

The top layer: seeding reaches into every app (newsroom, billing, pages, wire), and no app
imports it back. `publication`, `accounts` and `stories` are pure data; `pictures` draws
and stores the demo's pictures; the command writes the rows.
"""
