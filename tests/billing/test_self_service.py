"""A reader's own plan from the account page: cancel, resume, change at renewal or now with proration."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.billing.account import self_service
from broadsheet.billing.checkout import services as checkout
from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.models import Invoice, LedgerEntry, Payment, Plan, Subscription
from broadsheet.core import clock
from tests import factories as f

pytestmark = pytest.mark.django_db


def bought(user: Any, plan: Plan) -> Subscription:
    """A subscription paid for through checkout and the test gateway."""
    started = checkout.checkout_start(
        user=user, plan=plan, offer_code="", buyer_name="Asha", buyer_state="Maharashtra", return_path="",
        at=clock.now(),
    )  # fmt: skip
    assert started.payment is not None
    TestGateway().complete(started.payment.checkout_session_id, "success")
    checkout.checkout_return(payment=started.payment, at=clock.now())
    assert started.payment.subscription_id is not None
    return Subscription.objects.get(pk=started.payment.subscription_id)


@pytest.fixture
def world(client: Client) -> dict:
    f.publication()
    plans = {p.slug: p for p in f.demo_plans()}
    user = f.reader()
    client.force_login(user)
    return {"plans": plans, "user": user, "sub": bought(user, plans["smart-quarterly"])}


def account(client: Client) -> str:
    return client.get(reverse("account")).content.decode().replace("&#x27;", "'")


def test_cancel_takes_two_clicks_then_resume_before_the_end_restores_renewal(client: Client, world: dict) -> None:
    sub = world["sub"]
    cancel_url = reverse("billing_subscription_cancel", args=[sub.pk])
    assert cancel_url in account(client)
    confirm = client.get(cancel_url).content.decode()  # the first click asks
    assert "Yes, cancel renewal" in confirm
    sub.refresh_from_db()
    assert sub.auto_renew
    client.post(cancel_url)  # the second does it
    sub.refresh_from_db()
    assert not sub.auto_renew and sub.status == Subscription.Status.ACTIVE
    page = account(client)
    assert "Renewal is off: your plan ends on" in page and "Resume renewal" in page
    assert "premium" in benefits_of(user_id=sub.user_id, at=clock.now())
    client.post(reverse("billing_subscription_resume", args=[sub.pk]))
    sub.refresh_from_db()
    assert sub.auto_renew
    assert "Renews on" in account(client)
    assert list(LedgerEntry.objects.filter(subscription=sub).values_list("what", flat=True))[-2:] == [
        "cancel",
        "resume",
    ]


def test_resume_after_the_period_end_is_refused_with_a_message(
    client: Client, world: dict, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub = world["sub"]
    client.post(reverse("billing_subscription_cancel", args=[sub.pk]))
    later = sub.current_period_end + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    response = client.post(reverse("billing_subscription_resume", args=[sub.pk]), follow=True)
    assert "can no longer be resumed" in response.content.decode()
    sub.refresh_from_db()
    assert not sub.auto_renew


def test_a_change_at_renewal_shows_on_the_account_page(client: Client, world: dict) -> None:
    sub = world["sub"]
    client.post(reverse("billing_subscription_change_plan", args=[sub.pk]), {"plan": "super-saver", "when": "renewal"})
    sub.refresh_from_db()
    assert sub.pending_plan is not None and sub.pending_plan.slug == "super-saver"
    assert sub.plan.slug == "smart-quarterly"  # still the plan paid for, until renewal
    assert f"changes to Super Saver on {f.day_shown(sub.current_period_end)}" in account(client)


def test_an_upgrade_now_charges_the_new_price_less_the_unused_part(client: Client, world: dict) -> None:
    sub = world["sub"]
    at = sub.current_period_start + (sub.current_period_end - sub.current_period_start) / 3
    change = self_service.subscription_change_plan(
        subscription_id=sub.pk, user_id=world["user"].pk, plan=world["plans"]["smart-essential"], when="now", at=at
    )
    assert change.outcome == "redirect" and change.payment is not None
    due = change.payment.amount_minor
    credit = 270000 - due
    assert 59000 < credit < 61000  # two thirds of ₹900 left unused
    assert change.payment.discount_minor + due == 270000
    TestGateway().complete(change.payment.checkout_session_id, "success")
    checkout.checkout_return(payment=change.payment, at=at)
    sub.refresh_from_db()
    assert sub.plan.slug == "smart-essential" and sub.current_period_start == at
    assert Invoice.objects.filter(total_minor=due).count() == 1


def test_a_cheaper_plan_cannot_start_now(client: Client, world: dict) -> None:
    essential = bought(f.reader(), world["plans"]["smart-essential"])
    with pytest.raises(self_service.SelfServiceRefused, match="takes effect at your next renewal"):
        self_service.subscription_change_plan(
            subscription_id=essential.pk,
            user_id=essential.user_id,
            plan=world["plans"]["smart-quarterly"],
            when="now",
            at=clock.now(),
        )
    assert not Payment.objects.filter(kind=Payment.Kind.PLAN_CHANGE).exists()


def test_a_reader_cannot_touch_another_readers_subscription(client: Client, world: dict) -> None:
    theirs = bought(f.reader(), world["plans"]["smart-essential"])
    for name, data in [
        ("billing_subscription_cancel", {}),
        ("billing_subscription_resume", {}),
        ("billing_subscription_change_plan", {"plan": "super-saver", "when": "renewal"}),
    ]:
        assert client.post(reverse(name, args=[theirs.pk]), data).status_code == 404
    assert client.get(reverse("billing_subscription_cancel", args=[theirs.pk])).status_code == 404
    with pytest.raises(self_service.NotYours):
        self_service.subscription_cancel(subscription_id=theirs.pk, user_id=world["user"].pk, at=clock.now())
    theirs.refresh_from_db()
    assert theirs.auto_renew and theirs.pending_plan_id is None
    assert not LedgerEntry.objects.filter(subscription=theirs, what__in=["cancel", "plan_change_at_renewal"]).exists()


def test_cancelling_confirms_by_mail_once_with_the_last_day(
    client: Client, world: dict, django_capture_on_commit_callbacks: Any, mailoutbox: list
) -> None:
    sub = world["sub"]
    mailoutbox.clear()
    cancel_url = reverse("billing_subscription_cancel", args=[sub.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(cancel_url)
        client.post(reverse("billing_subscription_resume", args=[sub.pk]))
        client.post(cancel_url)  # cancelled again in the same period: no second letter
    sub.refresh_from_db()
    assert [m.subject.split(" · ")[0] for m in mailoutbox] == [f"Renewal turned off: {sub.plan.name}"]
    body = mailoutbox[0].body
    assert "Nothing more will be charged" in body and sub.current_period_end.strftime("%Y") in body
    assert "{{" not in body and "{%" not in body
