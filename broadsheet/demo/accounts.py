"""The demo's commerce and people: benefits, plans, offers, a group licence, accounts and staff groups."""

from __future__ import annotations

DEMO_PASSWORD = "broadsheet-demo"  # noqa: S105 - the documented demo password (README, ARCHITECTURE.md)

# (code, name, description); the position is the order given here.
BENEFITS: tuple[tuple[str, str, str], ...] = (
    ("premium", "Premium stories", "Around thirty stories a day chosen by our editors and open only to subscribers."),
    ("partner", "Partner publication access", "A complimentary activation code for our partner publication."),
    ("epaper", "E-paper", "Each morning's print edition as a PDF: turn the pages online or download them."),
    ("newsletters", "Curated newsletters", "Markets, politics and more by e-mail, some lists for subscribers only."),
    ("market_analysis", "Market analysis", "The premium section where our analysts read stocks, bonds and the rupee."),
    ("archive", "Archive back to 1997", "Every story we have published since 1997, searchable in full."),
    ("ad_free", "Ad-free reading", "No advertisements on any page while you are signed in."),
    ("every_device", "Every device", "Read on the web and in the app, on every device you own."),
)

# (slug, name, price in paise, period in months); display order is the order given here.
PLANS: tuple[tuple[str, str, int, int], ...] = (
    ("smart-quarterly", "Smart Quarterly", 90000, 3),
    ("smart-essential", "Smart Essential", 270000, 12),
    ("super-saver", "Super Saver", 390000, 24),
)
SUBSCRIBER_PLAN = "smart-essential"
RECOMMENDED_PLAN = "super-saver"  # marked "Best value" on the plan cards
SUBSCRIPTION_STARTED_DAYS_AGO = 30
# The demo subscriber renews through the offline test gateway with a mandate that succeeds.
SUBSCRIBER_MANDATE = "mandate_demo_subscriber"

# Offer codes to try at checkout: (code, description, kind, value). Percent values are basis points.
OFFERS: tuple[tuple[str, str, str, int], ...] = (
    ("WELCOME20", "20% off your first period", "percent", 2000),
    ("FLAT500", "₹500 off your first period", "fixed", 50000),
    ("MONSOON30", "30 extra days on your first period", "extra_days", 30),
)

# A group licence: (name, plan slug, seats, join code, networks). The networks are
# documentation ranges (RFC 5737 / RFC 3849), so no real reader is inside them.
ORGANISATION = (
    "Demo University Library",
    "smart-essential",
    25,
    "DEMO-LIBRARY",
    ("203.0.113.0/24", "2001:db8:42::/48"),
)

# (email, display name, role) - role is "reader", "subscriber", "editor" or "wire" (the wire desk).
ACCOUNTS: tuple[tuple[str, str, str], ...] = (
    ("reader@example.com", "Demo Reader", "reader"),
    ("subscriber@example.com", "Demo Subscriber", "subscriber"),
    ("editor@example.com", "Demo Editor", "editor"),
    ("wire@example.com", "Demo Wire Editor", "wire"),
)
EDITORS_GROUP = "Editors"
WIRE_DESK_GROUP = "Wire desk"
STAFF_GROUPS = {"editor": EDITORS_GROUP, "wire": WIRE_DESK_GROUP}
