"""Billing's models, one module per concern; import them from here."""

from broadsheet.billing.models.gifts import Gift
from broadsheet.billing.models.groups import Organisation, OrganisationNetwork, OrganisationSeat
from broadsheet.billing.models.inbox import InboxEvent
from broadsheet.billing.models.invoices import Invoice, InvoiceSequence
from broadsheet.billing.models.offers import Offer, OfferRedemption
from broadsheet.billing.models.offline import TestGatewayCharge, TestGatewaySession
from broadsheet.billing.models.payments import Payment, Refund
from broadsheet.billing.models.plans import Benefit, Plan
from broadsheet.billing.models.subscriptions import BillingNotice, LedgerEntry, PlanPriceChange, Subscription

__all__ = [
    "Benefit",
    "BillingNotice",
    "Gift",
    "InboxEvent",
    "Invoice",
    "InvoiceSequence",
    "LedgerEntry",
    "Offer",
    "OfferRedemption",
    "Organisation",
    "OrganisationNetwork",
    "OrganisationSeat",
    "Payment",
    "Plan",
    "PlanPriceChange",
    "Refund",
    "Subscription",
    "TestGatewayCharge",
    "TestGatewaySession",
]
