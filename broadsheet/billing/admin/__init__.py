"""Billing's admin, one module per concern (imported here for their @admin.register)."""

from broadsheet.billing.admin import gifts, inbox, offers, payments, plans  # noqa: F401
