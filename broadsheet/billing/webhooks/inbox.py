"""The webhook inbox (STYLE habit 9): verify, store once, dispatch by type, record what happened.

A gateway delivers each event at least once, in any order, and retries while we
answer 5xx. So every verified event is stored first, unique by (gateway,
event_id), with its raw body; handling it is a set of idempotent upserts through
`billing.services`; the outcome (processed, ignored, unmatched, failed) and any
error text stay on the row. A duplicate delivery only counts itself, unless the
first one never finished (received or failed), in which case it is handled again.

An event that matches none of our rows is kept as UNMATCHED and logged, never
dropped: when a later event teaches us the reference (a first payment reveals
the gateway's subscription id), the unmatched events naming it are handled again
(`inbox_replay_unmatched`), and `manage.py billing_inbox --retry` covers the rest.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime
from functools import reduce
from operator import or_

from django.db import IntegrityError, transaction
from django.db.models import F, Q

from broadsheet.billing import locks
from broadsheet.billing.gateways.base import EventType, WebhookEvent
from broadsheet.billing.gateways.registry import adapter_class, get_gateway
from broadsheet.billing.models import InboxEvent, Payment, Refund, Subscription
from broadsheet.billing.payments import duplicates, mandates, settlement
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.subscriptions import services

log = logging.getLogger(__name__)

Status = InboxEvent.Status
HANDLE_AGAIN = (Status.RECEIVED, Status.FAILED)  # a redelivery of these is handled again
# What staff and the command may handle again: a RECEIVED row is one whose handler never finished (a crash).
RETRYABLE = (Status.UNMATCHED, Status.FAILED, Status.RECEIVED)


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a handler did: the inbox status, why (the row's error text), the row it touched, what it taught us."""

    status: Status
    error: str = ""
    subscription_id: int | None = None
    learned: tuple[str, ...] = ()


# --- receiving ----------------------------------------------------------------------


def inbox_receive(*, gateway_name: str, body: bytes, headers: Mapping[str, str], at: datetime) -> InboxEvent:
    """Verify a delivery with the gateway's adapter, store it once, and handle it if it is new.

    Raises UnknownGateway (no such gateway configured) and InvalidSignature or
    GatewayError (not verified, or not an event) before anything is stored.
    """
    event = get_gateway(gateway_name).parse_webhook(body, headers)
    row, created = _store(gateway_name, event, body, at)
    if not created and row.status not in HANDLE_AGAIN:
        return row
    return inbox_handle(inbox_event_id=row.pk, at=at, event=event)


def _store(gateway_name: str, event: WebhookEvent, body: bytes, at: datetime) -> tuple[InboxEvent, bool]:
    """Insert the event, or count one more delivery of it: one row per (gateway, event_id), race-safe."""
    values = {
        "type": event.type.value,
        "gateway_type": event.gateway_type[:80],
        "body": body.decode("utf-8", errors="replace"),
        "received_at": at,
    }
    try:
        with transaction.atomic():
            return InboxEvent.objects.create(gateway=gateway_name, event_id=event.event_id[:160], **values), True
    except IntegrityError:  # delivered before (perhaps at this very moment by another worker)
        rows = InboxEvent.objects.filter(gateway=gateway_name, event_id=event.event_id[:160])
        rows.update(deliveries=F("deliveries") + 1)
        return rows.get(), False


# --- handling -----------------------------------------------------------------------


def inbox_handle(
    *,
    inbox_event_id: int,
    at: datetime,
    event: WebhookEvent | None = None,
    statuses: Iterable[str] = HANDLE_AGAIN,
) -> InboxEvent:
    """Handle a stored event once, with its row locked, and record the outcome on it.

    Only rows in `statuses` are handled (so a concurrent delivery finds the work
    done). A handler's writes and its outcome commit together; if the handler
    raises, its writes are rolled back and the row is saved FAILED with the error,
    for the view to answer 500 and the gateway to deliver again.
    """
    with transaction.atomic():
        row = locks.inbox_event_lock(inbox_event_id)
        if row.status not in set(statuses):
            return row
        outcome = _run(row, event, at)
        row.status, row.error, row.processed_at = outcome.status, outcome.error, at
        row.subscription_id = outcome.subscription_id or row.subscription_id
        row.save(update_fields=["status", "error", "processed_at", "subscription"])
    if outcome.status is Status.UNMATCHED:
        log.warning("webhook unmatched: %s event %s (%s): %s", row.gateway, row.event_id, row.type, outcome.error)
    if outcome.learned:
        inbox_replay_unmatched(gateway_name=row.gateway, refs=outcome.learned, at=at)
    return row


def _run(row: InboxEvent, event: WebhookEvent | None, at: datetime) -> Outcome:
    try:
        event = event or event_from_row(row)
        with transaction.atomic():  # a savepoint: a failing handler leaves nothing behind
            return HANDLERS.get(event.type, _ignore)(row.gateway, event, at)
    except IllegalTransition as refused:  # a stale event the lifecycle refuses: an expected outcome
        return Outcome(Status.PROCESSED, f"refused: {refused}")
    except Exception as exc:  # anything else is a surprise: keep it, answer 5xx, let the gateway retry
        log.exception("webhook %s event %s failed", row.gateway, row.event_id)
        return Outcome(Status.FAILED, f"{type(exc).__name__}: {exc}"[:2000])


def inbox_replay_unmatched(*, gateway_name: str, refs: Iterable[str], at: datetime) -> list[InboxEvent]:
    """Handle again the unmatched events of a gateway that name any of `refs` (a reference just learned)."""
    wanted = {ref for ref in refs if ref}
    if not wanted:
        return []
    candidates = InboxEvent.objects.filter(gateway=gateway_name, status=Status.UNMATCHED).filter(
        reduce(or_, (Q(body__contains=ref) for ref in wanted))
    )
    handled = []
    for row in candidates.order_by("received_at", "id"):
        if wanted & _refs_of(event_from_row(row)):
            handled.append(inbox_handle(inbox_event_id=row.pk, at=at, statuses=(Status.UNMATCHED,)))
    return handled


def inbox_retry(*, at: datetime, gateway_name: str | None = None) -> list[InboxEvent]:
    """Handle every unmatched and failed event again (oldest first), for staff and the command."""
    rows = InboxEvent.objects.filter(status__in=RETRYABLE)
    if gateway_name:
        rows = rows.filter(gateway=gateway_name)
    ids = list(rows.order_by("received_at", "id").values_list("pk", flat=True))
    return [inbox_handle(inbox_event_id=pk, at=at, statuses=RETRYABLE) for pk in ids]


def _refs_of(event: WebhookEvent) -> set[str]:
    return {ref for ref in (event.payment_id, event.order_ref, event.subscription_ref, event.refund_ref) if ref}


# --- the stored body back to an event --------------------------------------------------


def event_from_row(row: InboxEvent) -> WebhookEvent:
    """The normalised event of a stored, already verified body (for replays: no signature is kept)."""
    event = adapter_class(row.gateway).stored_event(json.loads(row.body), row.event_id)
    return event if event.event_id == row.event_id else replace(event, event_id=row.event_id)


# --- handlers: one small function per normalised type -----------------------------------


def _actor(gateway_name: str) -> str:
    return f"gateway:{gateway_name}"


def _payment_for(gateway_name: str, event: WebhookEvent) -> Payment | None:
    """Our payment for an event: by the gateway's payment id, its checkout or order, or our own id."""
    payments = Payment.objects.filter(gateway=gateway_name)
    if event.payment_id and (found := payments.filter(gateway_payment_id=event.payment_id).first()):
        return found
    if event.order_ref and (found := payments.filter(checkout_session_id=event.order_ref).first()):
        return found
    if event.reference and event.reference.isdigit():
        return payments.filter(pk=int(event.reference)).first()
    return None


def _subscription_for(gateway_name: str, event: WebhookEvent) -> Subscription | None:
    if not event.subscription_ref:
        return None
    return Subscription.objects.filter(gateway=gateway_name, gateway_ref=event.subscription_ref).first()


def _settle(outcome: settlement.Outcome) -> Callable[[str, WebhookEvent, datetime], Outcome]:
    def handle(gateway_name: str, event: WebhookEvent, at: datetime) -> Outcome:
        payment = _payment_for(gateway_name, event)
        if payment is None:
            return Outcome(Status.UNMATCHED, "no payment with this payment, order or checkout id")
        if outcome == "pending" and payment.status in Payment.FINAL:  # a late "pending": the outcome is known
            return Outcome(Status.PROCESSED, subscription_id=payment.subscription_id)
        was_known = bool(payment.gateway_payment_id)
        payment = settlement.payment_settle(
            payment_id=payment.pk,
            outcome=outcome,
            at=at,
            actor=_actor(gateway_name),
            gateway_payment_id=event.payment_id or "",
            message=f"{event.gateway_type} from {gateway_name}" if outcome != "succeeded" else "",
            event_id=event.event_id,
            mandate_ref=event.mandate_ref or "",
            customer_ref=event.customer_ref or "",
        )
        if mandates.mandate_missing(payment):  # the event did not name the saved card: the gateway will
            payment = mandates.checkout_outcome_fetch(payment=payment, at=at)
        duplicates.duplicate_refund_after_commit(payment, at=at)
        learned = [payment.gateway_payment_id] if payment.gateway_payment_id and not was_known else []
        sub_id, ref = payment.subscription_id, event.subscription_ref
        if sub_id is not None and ref and _subscription_link(sub_id, gateway_name, ref):
            learned.append(ref)
        return Outcome(Status.PROCESSED, "", payment.subscription_id, tuple(learned))

    return handle


def _subscription_link(subscription_id: int, gateway_name: str, gateway_ref: str) -> bool:
    """Remember the gateway's subscription id on ours, once; True if it was new.

    Not lifecycle state (no transition, no ledger): a link, like the mandate that
    settlement.payment_settle remembers.
    """
    rows = Subscription.objects.filter(pk=subscription_id, gateway=gateway_name, gateway_ref="")
    return bool(rows.update(gateway_ref=gateway_ref[:120]))


def _renewed(gateway_name: str, event: WebhookEvent, at: datetime) -> Outcome:
    """A renewal the gateway charged itself: one Payment per gateway payment, settled succeeded."""
    sub = _subscription_for(gateway_name, event)
    if sub is None:
        return Outcome(Status.UNMATCHED, "no subscription with this gateway subscription id")
    charge_id = event.payment_id or event.order_ref or event.event_id
    known = Payment.objects.filter(
        gateway=gateway_name, gateway_payment_id__in={charge_id, event.order_ref or charge_id}
    )
    if known.exists():  # told twice (Stripe: invoice.paid and payment_intent.succeeded), or we charged it
        return Outcome(Status.PROCESSED, subscription_id=sub.pk)
    price = event.amount_minor if event.amount_minor is not None else sub.renewal_price_minor or sub.plan.price_minor
    payment = settlement.payment_create(
        user_id=sub.user_id,
        plan=sub.plan,
        kind=Payment.Kind.RENEWAL,
        amount_minor=price,
        at=at,
        gateway=gateway_name,
        subscription_id=sub.pk,
        period=sub.period + 1,
    )
    payment = settlement.payment_settle(
        payment_id=payment.pk,
        outcome="succeeded",
        at=at,
        actor=_actor(gateway_name),
        gateway_payment_id=charge_id,
        event_id=event.event_id,
    )
    error = ""
    if payment.gateway_payment_id != charge_id:  # money with no row of its own: staff should look
        error = f"period {payment.period} was already paid by payment {payment.pk}; {charge_id} not recorded"
    return Outcome(Status.PROCESSED, error, sub.pk, (charge_id,))


def _cancelled(gateway_name: str, event: WebhookEvent, at: datetime) -> Outcome:
    sub = _subscription_for(gateway_name, event)
    if sub is None:
        return Outcome(Status.UNMATCHED, "no subscription with this gateway subscription id")
    services.subscription_apply(
        subscription_id=sub.pk,
        event=Event.CANCEL,
        at=at,
        actor=_actor(gateway_name),
        reason=f"{event.gateway_type} at {gateway_name}"[:240],
        event_id=event.event_id,
    )
    return Outcome(Status.PROCESSED, subscription_id=sub.pk)


def _refunded(gateway_name: str, event: WebhookEvent, at: datetime) -> Outcome:
    """Refunds are started by staff here; one made in the gateway's dashboard must be recorded by staff."""
    ours = Refund.objects.filter(payment__gateway=gateway_name)
    if event.refund_ref and (refund := ours.filter(gateway_refund_id=event.refund_ref).first()):
        return Outcome(Status.IGNORED, f"our refund {refund.pk}", refund.payment.subscription_id)
    payment = Payment.objects.filter(gateway=gateway_name, gateway_payment_id=event.payment_id or "-").first()
    in_flight = ours.filter(payment=payment, gateway_refund_id="", amount_minor=event.amount_minor or -1)
    if payment is not None and in_flight.exists():  # staff's refund, told before its call returned
        return Outcome(Status.IGNORED, "our refund, being recorded", payment.subscription_id)
    cumulative = event.gateway_type == "charge.refunded"  # Stripe reports the total refunded so far
    total = event.amount_minor
    if cumulative and payment is not None and total is not None and payment.refunded_minor >= total > 0:
        return Outcome(Status.IGNORED, "refunded by staff here", payment.subscription_id)
    sub_id = payment.subscription_id if payment is not None else None
    return Outcome(Status.UNMATCHED, "a refund made at the gateway: record it in the admin", sub_id)


def _ignore(gateway_name: str, event: WebhookEvent, at: datetime) -> Outcome:
    return Outcome(Status.IGNORED, f"{event.gateway_type} is not acted on")


HANDLERS: dict[EventType, Callable[[str, WebhookEvent, datetime], Outcome]] = {
    EventType.PAYMENT_SUCCEEDED: _settle("succeeded"),
    EventType.PAYMENT_FAILED: _settle("declined"),
    EventType.PAYMENT_PENDING: _settle("pending"),
    EventType.SUBSCRIPTION_RENEWED: _renewed,
    EventType.SUBSCRIPTION_CANCELLED: _cancelled,
    EventType.SUBSCRIPTION_STOPPED: _cancelled,  # the gateway charges no more: the same as its cancelling
    EventType.REFUND_SUCCEEDED: _refunded,
    EventType.UNKNOWN: _ignore,
}
