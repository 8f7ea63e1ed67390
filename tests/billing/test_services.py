"""The writers of subscription state: lifecycle applied to rows, ledger appended, payments settled once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import Invoice, LedgerEntry, Payment, Subscription
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.subscriptions.services import subscription_apply, subscription_create_pending
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 1, 31, 10, 0, tzinfo=UTC)


def _checkout(plan_price: int = 270_000) -> tuple[Subscription, Payment]:
    user = f.reader()
    plan = f.premium_plan()
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=T0, gateway="test", buyer_state="Maharashtra")
    payment = payment_create(
        user_id=user.pk,
        plan=plan,
        kind=Payment.Kind.FIRST,
        amount_minor=plan.price_minor,
        at=T0,
        gateway="test",
        subscription_id=sub.pk,
    )
    return sub, payment


def test_a_pending_subscription_grants_nothing() -> None:
    sub, _ = _checkout()
    assert sub.status == Subscription.Status.PENDING and sub.access_until is None
    assert benefits_of(user_id=sub.user_id, at=T0 + timedelta(minutes=1)) == frozenset()


def test_paying_activates_invoices_and_grants_once_however_often_it_is_reported() -> None:
    sub, payment = _checkout()
    for _ in range(3):  # the return page, the webhook, a retried webhook
        payment_settle(
            payment_id=payment.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_1"
        )
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.ACTIVE and sub.period == 0
    assert sub.access_until == sub.current_period_end > T0
    assert "premium" in benefits_of(user_id=sub.user_id, at=T0 + timedelta(minutes=1))
    assert Invoice.objects.filter(payment_ref="pay_1").count() == 1
    assert LedgerEntry.objects.filter(subscription=sub, what="payment_succeeded").count() == 1


def test_a_declined_first_payment_grants_nothing_and_is_on_the_ledger() -> None:
    sub, payment = _checkout()
    payment_settle(payment_id=payment.pk, outcome="declined", at=T0, actor="gateway:test", message="card declined")
    sub.refresh_from_db()
    assert sub.status == Subscription.Status.PENDING and sub.access_until is None
    assert not Invoice.objects.exists()
    entry = LedgerEntry.objects.get(subscription=sub)
    assert (entry.what, entry.noop, entry.reason) == ("payment_failed", True, "card declined")


def test_a_refused_transition_changes_nothing() -> None:
    sub, _ = _checkout()
    with pytest.raises(IllegalTransition):
        subscription_apply(subscription_id=sub.pk, event=Event.GRACE_ENDED, at=T0, actor="scheduler")
    assert not LedgerEntry.objects.exists()
    assert Subscription.objects.get(pk=sub.pk).status == Subscription.Status.PENDING


def test_the_ledger_is_append_only() -> None:
    sub, payment = _checkout()
    payment_settle(payment_id=payment.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_2")
    entry = LedgerEntry.objects.get(subscription=sub)
    entry.reason = "rewritten"
    with pytest.raises(ValueError):
        entry.save()
    with pytest.raises(ValueError):
        entry.delete()


def test_a_trial_adds_free_days_to_a_first_subscription_once_it_is_paid() -> None:
    sub, payment = _checkout()
    plan = sub.plan
    plan.trial_days = 14
    plan.save()
    assert Subscription.objects.get(pk=sub.pk).access_until is None  # an unpaid checkout reads nothing
    payment_settle(payment_id=payment.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_t")
    sub.refresh_from_db()
    assert sub.current_period_start == T0
    assert sub.current_period_end == datetime(2028, 2, 14, 10, 0, tzinfo=UTC)  # 12 months from 31 Jan + 14 days


def test_a_reader_who_subscribed_before_gets_no_second_trial() -> None:
    sub, payment = _checkout()
    payment_settle(payment_id=payment.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_a")
    plan = sub.plan
    plan.trial_days = 14
    plan.save()
    again = subscription_create_pending(user_id=sub.user_id, plan=plan, at=T0, gateway="test")
    second = payment_create(
        user_id=sub.user_id,
        plan=plan,
        kind=Payment.Kind.FIRST,
        amount_minor=plan.price_minor,
        at=T0,
        gateway="test",
        subscription_id=again.pk,
    )
    payment_settle(payment_id=second.pk, outcome="succeeded", at=T0, actor="gateway:test", gateway_payment_id="pay_b")
    again.refresh_from_db()
    assert again.current_period_end == datetime(2028, 1, 31, 10, 0, tzinfo=UTC)
