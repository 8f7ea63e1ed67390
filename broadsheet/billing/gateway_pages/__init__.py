"""The pages of our own that a gateway's checkout needs: the offline gateway's TEST MODE page, Razorpay's.

They sit above checkout, the webhook inbox and settlement, which they call; the adapters they
drive sit below those, in gateways/ (see docs/development.md, billing's layers).
"""
