"""The webhook inbox through the real endpoint: signed deliveries in, subscription state out."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import threading
import time
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from broadsheet.billing.gateways.base import CheckoutRequest, EventType
from broadsheet.billing.gateways.offline.gateway import TestGateway, event_payload
from broadsheet.billing.models import InboxEvent, Invoice, LedgerEntry, Payment, Refund, Subscription
from broadsheet.billing.payments.settlement import payment_create
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition, Status
from broadsheet.billing.subscriptions.services import subscription_create_pending
from broadsheet.billing.webhooks import inbox as webhooks
from tests import factories as f

pytestmark = pytest.mark.django_db

RZP_SECRET = "rzp_webhook_test_secret"
STRIPE_SECRET = "whsec_webhook_test_secret"
ALL_GATEWAYS = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
    "stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway",
}


@pytest.fixture
def live_gateways(settings: Any) -> None:
    settings.BROADSHEET_GATEWAYS = ALL_GATEWAYS
    settings.RAZORPAY_WEBHOOK_SECRET = RZP_SECRET
    settings.STRIPE_WEBHOOK_SECRET = STRIPE_SECRET


# --- helpers ---------------------------------------------------------------------------


def checkout(gateway: str = "test", *, gateway_ref: str = "") -> tuple[Subscription, Payment]:
    """A pending subscription and its first payment, with the gateway's checkout started."""
    user, plan, at = f.reader(), f.premium_plan(), timezone.now()
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=at, gateway=gateway, buyer_state="Maharashtra")
    payment = payment_create(
        user_id=user.pk,
        plan=plan,
        kind=Payment.Kind.FIRST,
        amount_minor=plan.price_minor,
        at=at,
        gateway=gateway,
        subscription_id=sub.pk,
    )
    session_id = f"order_{payment.pk}" if gateway == "razorpay" else f"cs_live_{payment.pk}"
    if gateway == "test":
        req = CheckoutRequest(
            idempotency_key=payment.idempotency_key,
            amount_minor=payment.amount_minor,
            currency="INR",
            customer_email=user.email,
            customer_name="A Reader",
            plan_code=plan.slug,
            description=plan.name,
            return_url="/return/",
            cancel_url="/cancel/",
            metadata={"payment_id": str(payment.pk)},
        )
        session_id = TestGateway().start_checkout(req).session_id
    Payment.objects.filter(pk=payment.pk).update(checkout_session_id=session_id)
    if gateway_ref:  # a checkout that started a subscription at the gateway knows its id
        Subscription.objects.filter(pk=sub.pk).update(gateway_ref=gateway_ref)
    sub.refresh_from_db()
    payment.refresh_from_db()
    return sub, payment


def deliver(client: Client, payload: dict[str, Any], *, gateway: TestGateway | None = None, **sign: Any) -> Any:
    body, headers = (gateway or TestGateway()).sign_webhook(payload, **sign)
    return post(client, "test", body, headers)


def post(client: Client, gateway_name: str, body: bytes, headers: dict[str, str]) -> Any:
    headers = {k: v for k, v in headers.items() if k.lower() != "content-type"}
    url = reverse("billing_webhook", args=[gateway_name])
    return client.post(url, data=body, content_type="application/json", headers=headers)


def paid_event(payment: Payment, event_id: str | None = None, **data: Any) -> dict[str, Any]:
    """What the test gateway sends when the reader paid on its hosted page."""
    gateway = TestGateway()
    gateway.complete(payment.checkout_session_id, "success")
    payload = gateway.session_event(payment.checkout_session_id)
    assert payload is not None
    payload["data"].update(data)
    if event_id:
        payload["id"] = event_id
    return payload


def snapshot() -> tuple[Any, ...]:
    return (
        list(InboxEvent.objects.values()),
        list(Subscription.objects.order_by("pk").values()),
        list(Payment.objects.order_by("pk").values()),
        list(LedgerEntry.objects.order_by("pk").values()),
        Invoice.objects.count(),
    )


def fresh(sub: Subscription) -> Subscription:
    return Subscription.objects.get(pk=sub.pk)


def rzp_signed(payload: dict[str, Any], *, secret: str = RZP_SECRET, event_id: str = "evt_rzp_1") -> tuple[bytes, Any]:
    body = json.dumps(payload).encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"X-Razorpay-Signature": signature, "X-Razorpay-Event-Id": event_id}


def stripe_signed(payload: dict[str, Any], *, secret: str = STRIPE_SECRET) -> tuple[bytes, dict[str, str]]:
    body, t = json.dumps(payload).encode(), int(time.time())
    v1 = hmac.new(secret.encode(), f"{t}.{body.decode()}".encode(), hashlib.sha256).hexdigest()
    return body, {"Stripe-Signature": f"t={t},v1={v1}"}


def rzp_payment(kind: str, payment_id: str, order_id: str, **extra: Any) -> dict[str, Any]:
    entity = {"id": payment_id, "entity": "payment", "amount": 270000, "currency": "INR", "order_id": order_id}
    payload: dict[str, Any] = {"entity": "event", "event": kind, "payload": {"payment": {"entity": entity}}}
    payload["payload"].update(extra)
    return payload | {"created_at": int(time.time())}


# --- must hold: a forged delivery changes nothing ---------------------------------------------


@pytest.mark.parametrize("forgery", ["wrong secret", "tampered body", "no signature", "stale timestamp"])
def test_a_forged_delivery_is_refused_and_changes_nothing(client: Client, forgery: str) -> None:
    sub, payment = checkout()
    payload = paid_event(payment)
    body, headers = TestGateway().sign_webhook(payload)
    if forgery == "wrong secret":
        body, headers = TestGateway(secret="someone-else").sign_webhook(payload)
    elif forgery == "tampered body":
        body = body.replace(b"270000", b"100")
    elif forgery == "no signature":
        headers = {}
    else:
        body, headers = TestGateway().sign_webhook(payload, timestamp=int(time.time()) - 3600)
    before = snapshot()
    response = post(client, "test", body, headers)
    assert response.status_code == 400 and b"signature" in response.content
    assert snapshot() == before and not InboxEvent.objects.exists()
    assert fresh(sub).status == Subscription.Status.PENDING


def test_a_forged_razorpay_delivery_is_refused(client: Client, live_gateways: None) -> None:
    sub, payment = checkout("razorpay")
    before = snapshot()
    payload = rzp_payment("payment.captured", "pay_forged", payment.checkout_session_id)
    response = post(client, "razorpay", *rzp_signed(payload, secret="not-the-secret"))
    assert response.status_code == 400
    assert snapshot() == before and fresh(sub).status == Subscription.Status.PENDING


def test_a_forged_stripe_delivery_is_refused(client: Client, live_gateways: None) -> None:
    sub, payment = checkout("stripe")
    before = snapshot()
    session = {"id": payment.checkout_session_id, "object": "checkout.session", "payment_status": "paid"}
    payload: dict[str, Any] = {"id": "evt_forged", "object": "event", "type": "checkout.session.completed"}
    payload["data"] = {"object": session}
    response = post(client, "stripe", *stripe_signed(payload, secret="whsec_forger"))
    assert response.status_code == 400
    assert snapshot() == before and fresh(sub).status == Subscription.Status.PENDING


def test_a_signed_body_that_is_not_an_event_is_refused(client: Client) -> None:
    body, headers = TestGateway().sign_webhook({"hello": "world"})
    assert post(client, "test", body, headers).status_code == 400
    assert not InboxEvent.objects.exists()


# --- must hold: the same event twice changes state once -----------------------------------------


def test_the_same_event_twice_changes_state_once(client: Client) -> None:
    sub, payment = checkout()
    payload = paid_event(payment)
    first, second = deliver(client, payload), deliver(client, payload)
    assert (first.status_code, second.status_code) == (200, 200)
    assert b"duplicate" in second.content
    sub = fresh(sub)
    assert sub.status == Subscription.Status.ACTIVE and sub.period == 0 and sub.access_until is not None
    assert LedgerEntry.objects.filter(subscription=sub, what=Event.PAYMENT_SUCCEEDED).count() == 1
    assert Invoice.objects.count() == 1
    row = InboxEvent.objects.get()
    assert (row.status, row.deliveries, row.subscription_id) == (InboxEvent.Status.PROCESSED, 2, sub.pk)
    assert json.loads(row.body) == payload  # stored raw


def test_a_paid_razorpay_checkout_activates_once(client: Client, live_gateways: None) -> None:
    sub, payment = checkout("razorpay")
    payload = rzp_payment("payment.captured", "pay_rzp_1", payment.checkout_session_id)
    for _ in range(2):
        assert post(client, "razorpay", *rzp_signed(payload)).status_code == 200
    sub = fresh(sub)
    assert sub.status == Subscription.Status.ACTIVE and Invoice.objects.get().payment_ref == "pay_rzp_1"
    assert Payment.objects.get(pk=payment.pk).gateway_payment_id == "pay_rzp_1"
    assert InboxEvent.objects.get().deliveries == 2


def test_a_paid_stripe_checkout_activates_once_whichever_event_comes_first(client: Client, live_gateways: None) -> None:
    sub, payment = checkout("stripe")
    intent = {"id": "pi_1", "object": "payment_intent", "metadata": {"payment_id": str(payment.pk)}}
    session: dict[str, Any] = {"id": payment.checkout_session_id, "object": "checkout.session"}
    session |= {"payment_status": "paid"}
    session |= {"payment_intent": "pi_1", "amount_total": 270000, "currency": "inr"}
    for event_id, kind, obj in [
        ("evt_pi", "payment_intent.succeeded", intent),  # matched by our payment id in the metadata
        ("evt_cs", "checkout.session.completed", session),  # then by the payment intent: nothing left to do
    ]:
        payload = {"id": event_id, "object": "event", "type": kind, "data": {"object": obj}}
        assert post(client, "stripe", *stripe_signed(payload)).status_code == 200
    sub = fresh(sub)
    assert sub.status == Subscription.Status.ACTIVE and Invoice.objects.count() == 1
    assert list(InboxEvent.objects.values_list("status", flat=True)) == ["processed", "processed"]


# --- must hold: out of order -----------------------------------------------------------------


def test_a_renewal_before_the_first_payment_activates_the_first_period(client: Client) -> None:
    sub, payment = checkout(gateway_ref="sub_gw_1")
    renewal = event_payload(
        "evt_renewed_1", EventType.SUBSCRIPTION_RENEWED, subscription_ref="sub_gw_1", payment_id="pay_gw_1"
    )
    assert deliver(client, renewal).status_code == 200
    sub = fresh(sub)
    assert (sub.status, sub.period, sub.auto_renew) == (Subscription.Status.ACTIVE, 0, True)
    assert sub.access_until == sub.current_period_end and sub.access_until > timezone.now() + timedelta(days=360)
    # The first payment's own event, late, for the same charge: nothing more happens.
    before = snapshot()[1:]
    assert deliver(client, paid_event(payment, payment_id="pay_gw_1")).status_code == 200
    assert snapshot()[1:] == before
    assert Invoice.objects.count() == 1
    assert InboxEvent.objects.filter(status=InboxEvent.Status.PROCESSED).count() == 2


def test_a_late_first_payment_after_a_renewal_is_a_lifecycle_noop(client: Client) -> None:
    sub, payment = checkout(gateway_ref="sub_gw_2")
    renewal = event_payload("evt_r", EventType.SUBSCRIPTION_RENEWED, subscription_ref="sub_gw_2", payment_id="pay_a")
    deliver(client, renewal)
    end = fresh(sub).current_period_end
    deliver(client, paid_event(payment))  # another charge id: the first payment settles, the period stays
    sub = fresh(sub)
    assert (sub.status, sub.period, sub.current_period_end) == (Subscription.Status.ACTIVE, 0, end)
    late = LedgerEntry.objects.get(subscription=sub, what=Event.PAYMENT_SUCCEEDED)
    assert late.noop and late.period == 0


def test_gateway_renewals_advance_one_period_each_however_often_told(client: Client) -> None:
    sub, payment = checkout(gateway_ref="sub_gw_3")
    deliver(client, paid_event(payment))
    end = fresh(sub).current_period_end
    renewal = event_payload("evt_inv_1", EventType.SUBSCRIPTION_RENEWED, subscription_ref="sub_gw_3", payment_id="pi_2")
    deliver(client, renewal)
    deliver(client, renewal | {"id": "evt_inv_1_again"})  # the same charge under another event id
    sub = fresh(sub)
    assert (sub.status, sub.period) == (Subscription.Status.ACTIVE, 1)
    assert sub.current_period_end == end.replace(year=end.year + 1)
    renewal_payment = Payment.objects.get(subscription=sub, kind=Payment.Kind.RENEWAL)
    assert (renewal_payment.status, renewal_payment.period, renewal_payment.gateway_payment_id) == (
        "succeeded",
        1,
        "pi_2",
    )
    assert Invoice.objects.count() == 2


def test_a_cancellation_before_payment_gives_one_period_that_will_not_renew(client: Client) -> None:
    sub, payment = checkout(gateway_ref="sub_gw_4")
    cancel = event_payload("evt_cancel", EventType.SUBSCRIPTION_CANCELLED, subscription_ref="sub_gw_4")
    assert deliver(client, cancel).status_code == 200
    sub = fresh(sub)
    assert (sub.status, sub.auto_renew) == (Subscription.Status.PENDING, False)
    assert deliver(client, paid_event(payment)).status_code == 200
    sub = fresh(sub)
    assert (sub.status, sub.period, sub.auto_renew) == (Subscription.Status.ACTIVE, 0, False)
    assert sub.access_until == sub.current_period_end > timezone.now()


def test_a_pending_checkout_confirmed_later_activates_by_webhook(client: Client) -> None:
    sub, payment = checkout()
    gateway = TestGateway()
    gateway.complete(payment.checkout_session_id, "pending")
    pending = event_payload("evt_pending", EventType.PAYMENT_PENDING, order_ref=payment.checkout_session_id)
    deliver(client, pending)
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.PENDING
    assert fresh(sub).status == Subscription.Status.PENDING
    gateway.confirm_pending(payment.checkout_session_id, paid=True)
    confirmed = gateway.session_event(payment.checkout_session_id)
    assert confirmed is not None and deliver(client, confirmed).status_code == 200
    assert fresh(sub).status == Subscription.Status.ACTIVE
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED
    deliver(client, pending | {"id": "evt_pending_late"})  # a stale "pending" cannot undo it
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.SUCCEEDED


def test_a_declined_checkout_grants_nothing(client: Client) -> None:
    sub, payment = checkout()
    gateway = TestGateway()
    gateway.complete(payment.checkout_session_id, "decline")
    declined = gateway.session_event(payment.checkout_session_id)
    assert declined is not None and deliver(client, declined).status_code == 200
    assert fresh(sub).status == Subscription.Status.PENDING and fresh(sub).access_until is None
    assert Payment.objects.get(pk=payment.pk).status == Payment.Status.DECLINED
    assert not Invoice.objects.exists()


# --- must hold: unknown subscriptions are stored and reported, then matched -----------------------


def test_an_event_for_an_unknown_subscription_is_kept_reported_and_replayed(
    client: Client, caplog: pytest.LogCaptureFixture
) -> None:
    cancel = event_payload("evt_cancel_early", EventType.SUBSCRIPTION_CANCELLED, subscription_ref="sub_gw_9")
    with caplog.at_level(logging.WARNING, logger="broadsheet.billing.webhooks.inbox"):
        response = deliver(client, cancel)
    assert response.status_code == 200 and b"unmatched" in response.content
    row = InboxEvent.objects.get()
    assert (row.status, row.type) == (InboxEvent.Status.UNMATCHED, "subscription_cancelled")
    assert "evt_cancel_early" in caplog.text and "unmatched" in caplog.text
    out = StringIO()
    call_command("billing_inbox", stdout=out)
    assert "test:evt_cancel_early" in out.getvalue() and "1 events: 1 unmatched" in out.getvalue()
    # The subscription appears: its first payment tells us the gateway's subscription id.
    sub, payment = checkout()
    deliver(client, paid_event(payment, subscription_ref="sub_gw_9"))
    sub = fresh(sub)
    assert sub.gateway_ref == "sub_gw_9"
    assert (sub.status, sub.auto_renew) == (Subscription.Status.ACTIVE, False)  # the early cancel, replayed
    assert InboxEvent.objects.get(event_id="evt_cancel_early").status == InboxEvent.Status.PROCESSED
    out = StringIO()
    call_command("billing_inbox", stdout=out)
    assert "0 events: none" in out.getvalue()


def test_the_command_retries_what_is_left(client: Client) -> None:
    renewal = event_payload("evt_orphan", EventType.SUBSCRIPTION_RENEWED, subscription_ref="sub_gw_7", payment_id="p7")
    deliver(client, renewal)
    sub, payment = checkout()
    deliver(client, paid_event(payment))
    Subscription.objects.filter(pk=sub.pk).update(gateway_ref="sub_gw_7")  # linked by staff, say
    out = StringIO()
    call_command("billing_inbox", "--retry", stdout=out)
    assert "handled 1 events again: 1 processed" in out.getvalue()
    assert fresh(sub).period == 1


def test_a_refund_made_at_the_gateway_is_reported_and_ours_is_ignored(client: Client, live_gateways: None) -> None:
    _sub, payment = checkout("razorpay")
    post(client, "razorpay", *rzp_signed(rzp_payment("payment.captured", "pay_r", payment.checkout_session_id)))
    Refund.objects.create(
        payment=payment,
        amount_minor=5000,
        idempotency_key="refund-1",
        gateway_refund_id="rfnd_ours",
        reason="asked",
        access_until=timezone.now(),
        created_at=timezone.now(),
    )
    for refund_id, event_id in (("rfnd_ours", "evt_rf_1"), ("rfnd_dashboard", "evt_rf_2")):
        refund = {"id": refund_id, "entity": "refund", "payment_id": "pay_r", "amount": 5000, "currency": "INR"}
        payload = {"event": "refund.processed", "payload": {"refund": {"entity": refund}}, "created_at": 1}
        assert post(client, "razorpay", *rzp_signed(payload, event_id=event_id)).status_code == 200
    statuses = dict(InboxEvent.objects.values_list("event_id", "status"))
    assert statuses == {"evt_rzp_1": "processed", "evt_rf_1": "ignored", "evt_rf_2": "unmatched"}


def test_events_we_do_not_act_on_are_ignored(client: Client) -> None:
    assert deliver(client, event_payload("evt_x", "customer.created")).status_code == 200
    assert InboxEvent.objects.get().status == InboxEvent.Status.IGNORED


# --- surprises: 5xx so the gateway retries ---------------------------------------------------------


def test_a_failing_handler_answers_500_and_the_redelivery_retries(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    sub, payment = checkout()
    payload = paid_event(payment)

    def crash(*args: Any) -> Any:
        raise RuntimeError("database went away")

    with monkeypatch.context() as patch:
        patch.setitem(webhooks.HANDLERS, EventType.PAYMENT_SUCCEEDED, crash)
        response = deliver(client, payload)
    assert response.status_code == 500
    row = InboxEvent.objects.get()
    assert row.status == InboxEvent.Status.FAILED and "database went away" in row.error
    assert fresh(sub).status == Subscription.Status.PENDING
    assert deliver(client, payload).status_code == 200
    row.refresh_from_db()
    assert (row.status, row.deliveries, row.error) == (InboxEvent.Status.PROCESSED, 2, "")
    assert fresh(sub).status == Subscription.Status.ACTIVE


def test_a_refused_transition_is_recorded_not_failed(client: Client, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> Any:
        raise IllegalTransition(Status.EXPIRED, Event.RESUME)

    monkeypatch.setitem(webhooks.HANDLERS, EventType.SUBSCRIPTION_CANCELLED, refuse)
    response = deliver(client, event_payload("evt_stale", EventType.SUBSCRIPTION_CANCELLED, subscription_ref="s"))
    assert response.status_code == 200
    row = InboxEvent.objects.get()
    assert row.status == InboxEvent.Status.PROCESSED and "resume is not allowed in expired" in row.error


# --- HTTP edges ----------------------------------------------------------------------------------


def test_an_oversized_body_is_refused_unread(client: Client, settings: Any) -> None:
    settings.BROADSHEET_WEBHOOK_MAX_BYTES = 512
    sub, payment = checkout()
    response = deliver(client, paid_event(payment, padding="x" * 600))
    assert response.status_code == 413
    assert not InboxEvent.objects.exists() and fresh(sub).status == Subscription.Status.PENDING


def test_an_unknown_gateway_is_404_and_only_post_is_allowed(client: Client) -> None:
    body, headers = TestGateway().sign_webhook(event_payload("evt_1", "x"))
    assert post(client, "paypal", body, headers).status_code == 404
    assert client.get(reverse("billing_webhook", args=["test"])).status_code == 405
    assert not InboxEvent.objects.exists()


def test_a_gateway_without_its_secret_answers_500_so_deliveries_wait(client: Client, settings: Any) -> None:
    settings.BROADSHEET_GATEWAYS = ALL_GATEWAYS
    settings.RAZORPAY_WEBHOOK_SECRET = ""
    response = post(client, "razorpay", *rzp_signed(rzp_payment("payment.captured", "p", "o")))
    assert response.status_code == 500 and not InboxEvent.objects.exists()


# --- admin --------------------------------------------------------------------------------------


def test_staff_see_the_inbox_read_only_and_can_handle_again(client: Client) -> None:
    deliver(client, event_payload("evt_orphan2", EventType.SUBSCRIPTION_CANCELLED, subscription_ref="sub_gw_8"))
    sub, payment = checkout()
    deliver(client, paid_event(payment))
    Subscription.objects.filter(pk=sub.pk).update(gateway_ref="sub_gw_8")
    staff = f.reader(is_staff=True, is_superuser=True)
    client.force_login(staff)
    page = client.get(reverse("admin:billing_inboxevent_changelist"), {"status": "unmatched"})
    assert page.status_code == 200 and b"evt_orphan2" in page.content
    assert client.get(reverse("admin:billing_inboxevent_add")).status_code == 403
    assert client.get(reverse("admin:billing_ledgerentry_changelist"), {"q": f"={sub.pk}"}).status_code == 200
    assert client.get(reverse("admin:billing_ledgerentry_add")).status_code == 403
    orphan = InboxEvent.objects.get(event_id="evt_orphan2")
    client.post(
        reverse("admin:billing_inboxevent_changelist"),
        {"action": "handle_again", "_selected_action": [orphan.pk]},
    )
    orphan.refresh_from_db()
    assert orphan.status == InboxEvent.Status.PROCESSED and fresh(sub).auto_renew is False


# --- concurrency (PostgreSQL: row locks) ----------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_deliveries_change_state_once() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks are PostgreSQL's; SQLite serialises writers")
    sub, payment = checkout()
    body, headers = TestGateway().sign_webhook(paid_event(payment))
    barrier, errors = threading.Barrier(2), []

    def deliver_once() -> None:
        try:
            barrier.wait()
            webhooks.inbox_receive(gateway_name="test", body=body, headers=headers, at=timezone.now())
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=deliver_once) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    row = InboxEvent.objects.get()
    assert (row.status, row.deliveries) == (InboxEvent.Status.PROCESSED, 2)
    assert LedgerEntry.objects.filter(subscription=sub, what=Event.PAYMENT_SUCCEEDED).count() == 1
    assert Invoice.objects.count() == 1 and fresh(sub).status == Subscription.Status.ACTIVE
