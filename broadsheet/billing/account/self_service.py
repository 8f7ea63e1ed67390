"""What a reader does to their own subscription from the account page: cancel, resume, change plan.

Each is one lifecycle event through `services.subscription_apply`, after an
owner check: a reader acts only on their own subscription (NotYours otherwise,
which the views answer with 404, so ids of others' subscriptions reveal nothing).

Changes of plan: a move to a cheaper (or equally priced) plan takes effect at
the next renewal, so the reader keeps what they paid for; a move to a dearer
plan may start now, for the new plan's price less the unused part of what the
current period cost (`pricing.prorate`), paid through the gateway like a first
payment. The new plan's period starts on the day the difference is paid.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from broadsheet.billing import notices
from broadsheet.billing.checkout.services import gateway_session
from broadsheet.billing.gateways.registry import configured_gateways, get_gateway
from broadsheet.billing.models import BillingNotice, Payment, Plan, Subscription
from broadsheet.billing.payments import settlement
from broadsheet.billing.rules import pricing
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.subscriptions import services

PAID_FOR_PERIOD = (Payment.Kind.FIRST, Payment.Kind.RENEWAL, Payment.Kind.PLAN_CHANGE)


class NotYours(Exception):
    """No such subscription for this reader (it may exist for another)."""


class SelfServiceRefused(Exception):
    """The change cannot be made; the message is for the reader."""


@dataclass(frozen=True, slots=True)
class PlanChange:
    outcome: Literal["scheduled", "redirect", "changed"]
    redirect_url: str
    payment: Payment | None


def _own(subscription_id: int, user_id: int) -> Subscription:
    sub = Subscription.objects.select_related("plan", "pending_plan", "user").filter(pk=subscription_id).first()
    if sub is None or sub.user_id != user_id:
        raise NotYours(subscription_id)
    return sub


def _day(at: datetime) -> str:
    return timezone.localtime(at).strftime("%-d %B %Y")


def subscription_cancel(*, subscription_id: int, user_id: int, at: datetime) -> Subscription:
    """Turn renewal off: access continues to the end of the period already paid for."""
    _own(subscription_id, user_id)
    try:
        with transaction.atomic():
            sub = services.subscription_apply(
                subscription_id=subscription_id,
                event=Event.CANCEL,
                at=at,
                actor=f"user:{user_id}",
                reason="renewal turned off by the reader",
            )
            _cancel_confirm(sub, at=at)
            return sub
    except IllegalTransition:
        raise SelfServiceRefused("This plan has already ended: there is nothing to cancel.") from None


def _cancel_confirm(sub: Subscription, *, at: datetime) -> None:
    """The reader's written confirmation that nothing more will be charged (once per paid period)."""
    if sub.status != Subscription.Status.ACTIVE or sub.auto_renew:
        return
    notices.notice_once(
        subscription=sub,
        kind=BillingNotice.Kind.CANCELLED,
        key=f"p{sub.period}",
        subject=f"Renewal turned off: {sub.plan.name}",
        template="billing/mail/cancelled.txt",
        context={},
        at=at,
    )


def subscription_resume(*, subscription_id: int, user_id: int, at: datetime) -> Subscription:
    """Turn renewal back on, while the paid period lasts."""
    sub = _own(subscription_id, user_id)
    try:
        return services.subscription_apply(
            subscription_id=subscription_id,
            event=Event.RESUME,
            at=at,
            actor=f"user:{user_id}",
            reason="renewal turned on again by the reader",
        )
    except IllegalTransition:
        raise SelfServiceRefused(
            f"Your {sub.plan.name} plan ended on {_day(sub.current_period_end)}, so it can no longer be resumed. "
            "Choose a plan to subscribe again."
        ) from None


def subscription_change_plan(
    *, subscription_id: int, user_id: int, plan: Plan, when: Literal["renewal", "now"], at: datetime
) -> PlanChange:
    """Move to another plan at renewal, or (an upgrade) now with proration."""
    sub = _own(subscription_id, user_id)
    if not plan.is_active:
        raise SelfServiceRefused("That plan is not on sale any more.")
    if sub.status != Subscription.Status.ACTIVE or sub.access_until is None or sub.access_until <= at:
        raise SelfServiceRefused("Only a plan that is running can be changed.")
    if when == "renewal":
        try:
            services.subscription_apply(
                subscription_id=sub.pk,
                event=Event.PLAN_CHANGE_AT_RENEWAL,
                at=at,
                actor=f"user:{user_id}",
                reason=f"changes to {plan.name} at renewal",
                plan_id=plan.pk,
            )
        except IllegalTransition:
            raise SelfServiceRefused("This plan can no longer be changed.") from None
        return PlanChange("scheduled", reverse("account"), None)
    if plan.pk == sub.plan_id or plan.price_minor <= sub.plan.price_minor:
        raise SelfServiceRefused(
            f"A move to {plan.name} takes effect at your next renewal: you keep what you have paid for until then."
        )
    return _upgrade_now(sub, plan=plan, at=at)


def _price_paid(sub: Subscription) -> int:
    """What the current period cost the reader (0 for a period granted free)."""
    paid = (
        Payment.objects.filter(subscription=sub, status=Payment.Status.SUCCEEDED, kind__in=PAID_FOR_PERIOD)
        .order_by("-settled_at", "-id")
        .values_list("amount_minor", flat=True)
        .first()
    )
    return paid or 0


def upgrade_quote(*, sub: Subscription, plan: Plan, at: datetime) -> pricing.Proration:
    """The amount due now for a move to `plan`: its price less the unused part of the current period."""
    return pricing.prorate(
        old_price=_price_paid(sub),
        old_period_start=sub.current_period_start,
        old_period_end=sub.current_period_end,
        new_price=plan.price_minor,
        now=at,
    )


def _upgrade_now(sub: Subscription, *, plan: Plan, at: datetime) -> PlanChange:
    proration = upgrade_quote(sub=sub, plan=plan, at=at)
    gateway = sub.gateway if sub.gateway in configured_gateways() else get_gateway().name
    with transaction.atomic(durable=True):
        period = sub.period + 1
        attempt = Payment.objects.filter(subscription=sub, kind=Payment.Kind.PLAN_CHANGE, period=period).count()
        payment = settlement.payment_create(
            user_id=sub.user_id,
            plan=plan,
            kind=Payment.Kind.PLAN_CHANGE,
            amount_minor=proration.due_now_paise,
            at=at,
            gateway=gateway,
            subscription_id=sub.pk,
            period=period,
            attempt=attempt,
            list_price_minor=plan.price_minor,
            discount_minor=plan.price_minor - proration.due_now_paise,
            return_path=reverse("account"),
        )
    if payment.amount_minor == 0:  # the unused credit covers the new plan: nothing to collect
        settlement.payment_settle(payment_id=payment.pk, outcome="succeeded", at=at, actor=f"user:{sub.user_id}")
        return PlanChange("changed", reverse("account"), payment)
    redirect = gateway_session(payment, gateway_name=gateway, buyer_name=sub.buyer_name, email=sub.user.email)
    return PlanChange("redirect", redirect, payment)
