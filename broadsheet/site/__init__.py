"""The site: the pages and API endpoints a reader uses, joining the apps below.

Story pages and fronts, feeds and sitemaps, the account page, sign-in, and the
reader API's stories and account endpoints live here because each one asks
several apps at once (the newsroom for stories, the paywall for what to show,
billing for plans and benefits, readers for devices). The apps below know
nothing of it; see docs/development.md for the layers.
"""
