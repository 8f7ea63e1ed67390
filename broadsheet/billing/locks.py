"""Every row lock billing's writers take, and the one order they take them in.

Two writers that lock the same rows in the same order queue; in opposite
orders they deadlock. So every writer that locks goes through these helpers,
inside its own transaction.atomic(), and takes its locks in this order (skip
any it does not need, never go back up):

    0. renewal claims     PostgreSQL advisory locks on subscription ids (renewals.run),
                          taken before any transaction, so a second worker skips them
    1. the reader         User row: one open checkout per reader (checkout)
    2. offer              Offer row by code: the uses a limited code has left (checkout)
    3. plan               Plan row: its price changes (subscriptions.plan_prices)
    4. inbox event        InboxEvent row: one handler per event at a time (webhooks)
    5. gift               Gift row by code: one redemption (gifts)
    6. organisation       Organisation row: its seat count (groups; takes nothing after it)
    7. refund             Refund row, before its payment (payments.refunds)
    8. payments           Payment rows, ascending id (payments.settlement, settle_many, refunds)
    9. subscriptions      Subscription rows, ascending id (subscriptions.services, settle_many)
   10. invoice            an issued Invoice, for its credit note (invoices)
   11. invoice numbers    InvoiceSequence row of a series and year, last: held to the commit (invoices)

Many rows of one kind are locked in ascending id, whoever asks. `of=("self",)`
where the row is read with a nullable join: PostgreSQL cannot lock the
outer-joined side, and we want only our row.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from broadsheet.billing.models import (
    Gift,
    InboxEvent,
    Invoice,
    Offer,
    Organisation,
    Payment,
    Plan,
    Refund,
    Subscription,
)
from broadsheet.readers.models import User


def reader_lock(user_id: int) -> None:
    """1. The reader's row, so two submits of one reader's checkout run one after the other."""
    list(User.objects.select_for_update().filter(pk=user_id).values_list("pk"))


def offer_lock(code: str) -> None:
    """2. The offer row of a code (none if the code is unknown)."""
    list(Offer.objects.select_for_update().filter(code=code))


def plan_lock(plan_id: int) -> Plan:
    """3. A plan, to change its price."""
    return Plan.objects.select_for_update().get(pk=plan_id)


def inbox_event_lock(inbox_event_id: int) -> InboxEvent:
    """4. A stored gateway event, while it is handled."""
    return InboxEvent.objects.select_for_update().get(pk=inbox_event_id)


def gift_lock(code: str) -> Gift | None:
    """5. The gift of a (normalised) code, with its plan; None if there is none."""
    return Gift.objects.select_for_update().select_related("plan").filter(code=code).first()


def organisation_lock(**lookup: object) -> Organisation | None:
    """6. An organisation, by join code or id, to take or give up a seat; None if there is none."""
    return Organisation.objects.select_for_update().filter(**lookup).first()


def refund_lock(refund_id: int) -> Refund:
    """7. A refund, before its payment."""
    return Refund.objects.select_for_update().get(pk=refund_id)


def payment_lock(payment_id: int, *related: str) -> Payment:
    """8. One payment (with the related rows named, which PostgreSQL locks too)."""
    rows = Payment.objects.select_for_update()
    return (rows.select_related(*related) if related else rows).get(pk=payment_id)


def payments_lock(ids: Iterable[int]) -> QuerySet[Payment]:
    """8. Many payments, ascending id, their plan and reader read along (only the payment rows locked)."""
    return (
        Payment.objects.select_for_update(of=("self",))
        .select_related("plan", "user")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )


def subscription_lock(subscription_id: int) -> Subscription:
    """9. One subscription, its plan and pending plan read along."""
    return (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "pending_plan")
        .get(pk=subscription_id)
    )


def subscriptions_lock(ids: Iterable[int]) -> dict[int, Subscription]:
    """9. Many subscriptions, ascending id, by id; plan, pending plan and reader read along."""
    rows = (
        Subscription.objects.select_for_update(of=("self",))
        .select_related("plan", "pending_plan", "user")
        .filter(pk__in=list(ids))
        .order_by("pk")
    )
    return {sub.pk: sub for sub in rows}


def invoice_lock(invoice_id: int) -> Invoice:
    """10. An issued invoice, while its credit note is written."""
    return Invoice.objects.select_for_update().get(pk=invoice_id)
