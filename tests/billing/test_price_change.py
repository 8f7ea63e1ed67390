"""A plan's new price: new purchases pay it at once, renewals only after the notice period, everyone told once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from broadsheet.billing.models import BillingNotice, Payment, Plan, PlanPriceChange, Subscription
from broadsheet.billing.renewals.run import renewal_run
from broadsheet.billing.rules.lifecycle import Event
from broadsheet.billing.subscriptions.plan_prices import plan_price_change, price_change_notify
from broadsheet.billing.subscriptions.services import subscription_apply
from broadsheet.core import clock
from tests import factories as f
from tests.billing.test_renewals import T0, bought, monthly_plan

pytestmark = pytest.mark.django_db
DAY, HOUR = timedelta(days=1), timedelta(hours=1)
IMMEDIATE_TASKS = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def _travel(start: datetime, stop: datetime) -> None:
    at = start
    while at <= stop:
        renewal_run(now=at)
        at += 6 * HOUR


def _plan_form(plan: Plan, **changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": plan.name,
        "slug": plan.slug,
        "price_minor": plan.price_minor,
        "currency": plan.currency,
        "period_months": plan.period_months,
        "benefits": [b.pk for b in plan.benefits.all()],
        "is_active": "on",
        "display_order": plan.display_order,
        "trial_days": plan.trial_days,
        "max_devices": plan.max_devices,
    }
    return {**data, **changes}


def test_a_new_price_saved_in_the_admin_is_announced_once_to_each_renewing_subscriber(
    client: Client, settings: Any, django_capture_on_commit_callbacks: Callable[..., Any]
) -> None:
    settings.TASKS = IMMEDIATE_TASKS
    plan = f.premium_plan()
    renewing = [bought(plan=plan, at=clock.now() - 10 * DAY) for _ in range(2)]
    cancelled = bought(plan=plan, at=clock.now() - 10 * DAY)
    subscription_apply(subscription_id=cancelled.pk, event=Event.CANCEL, at=clock.now(), actor="user")
    other_plan = bought(at=clock.now() - 10 * DAY)
    mail.outbox.clear()
    staff = f.reader(is_staff=True, is_superuser=True)
    client.force_login(staff)
    url = reverse("admin:billing_plan_change", args=[plan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(url, _plan_form(plan, price_minor=300_000), follow=True)
    assert page.status_code == 200 and "renewals from" in page.content.decode()

    change = PlanPriceChange.objects.get()
    assert (change.plan_id, change.old_price_minor, change.new_price_minor) == (plan.pk, 270_000, 300_000)
    assert change.renewals_from - change.announced_at == timedelta(days=30)
    assert Plan.objects.get(pk=plan.pk).price_minor == 300_000  # new purchases pay it at once
    told = set(BillingNotice.objects.filter(kind="price_change").values_list("subscription_id", flat=True))
    assert told == {s.pk for s in renewing}
    assert sorted(m.to[0] for m in mail.outbox) == sorted(s.user.email for s in renewing)
    body = mail.outbox[0].body
    assert "₹2,700" in body and "₹3,000" in body and "/account/" in body and "{{" not in body

    with django_capture_on_commit_callbacks(execute=True):  # saved again, same price: nothing new
        client.post(url, _plan_form(Plan.objects.get(pk=plan.pk), name="Smart Essential+"))
    assert price_change_notify(change_id=change.pk, at=clock.now()) == 0
    assert PlanPriceChange.objects.count() == 1 and len(mail.outbox) == 2
    assert not BillingNotice.objects.filter(subscription__in=[cancelled, other_plan], kind="price_change").exists()


def test_renewals_in_the_notice_period_pay_the_old_price_and_after_it_the_new() -> None:
    plan = monthly_plan(30_000)
    early = bought(plan=plan, at=T0)  # renews 28 Feb (inside the notice period), then 31 Mar
    change = plan_price_change(plan_id=plan.pk, new_price_minor=45_000, at=T0 + 10 * DAY, actor="staff:1")
    assert change is not None and change.renewals_from == datetime(2027, 3, 12, 9, 0, tzinfo=UTC)
    late = bought(plan=Plan.objects.get(pk=plan.pk), at=T0 + 11 * DAY)  # a new purchase pays the new price
    assert Payment.objects.get(subscription=late, kind="first").amount_minor == 45_000

    _travel(T0 + 12 * DAY, datetime(2027, 4, 2, tzinfo=UTC))
    paid = dict(Payment.objects.filter(subscription=early, kind="renewal").values_list("period", "amount_minor"))
    assert paid == {1: 30_000, 2: 45_000}
    assert list(Payment.objects.filter(subscription=late, kind="renewal").values_list("amount_minor", flat=True)) == [
        45_000
    ]


def test_a_price_set_on_the_subscription_is_kept_and_a_pending_plan_pays_its_own() -> None:
    plan = monthly_plan(30_000)
    kept = bought(plan=plan, at=T0, renewal_price_minor=25_000)
    moving = bought(plan=plan, at=T0)
    quarterly = f.demo_plans()[0]
    subscription_apply(
        subscription_id=moving.pk, event=Event.PLAN_CHANGE_AT_RENEWAL, at=T0 + DAY, actor="user", plan_id=quarterly.pk
    )
    plan_price_change(plan_id=plan.pk, new_price_minor=20_000, at=T0 - 60 * DAY, actor="staff:1")
    _travel(datetime(2027, 2, 26, tzinfo=UTC), datetime(2027, 3, 1, tzinfo=UTC))
    assert Payment.objects.get(subscription=kept, kind="renewal").amount_minor == 25_000
    renewal = Payment.objects.get(subscription=moving, kind="renewal")
    assert (renewal.plan_id, renewal.amount_minor) == (quarterly.pk, 90_000)
    moved = Subscription.objects.get(pk=moving.pk)
    assert moved.plan_id == quarterly.pk and moved.current_period_end == datetime(2027, 5, 31, 9, 0, tzinfo=UTC)
