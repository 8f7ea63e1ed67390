"""Checkout through the pages a reader sees: the quote with GST, the TEST MODE gateway page, the return."""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any
from urllib.parse import urlencode, urlparse

import pytest
from django.test import Client
from django.urls import reverse

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import InboxEvent, Invoice, Payment, Plan, Subscription
from broadsheet.billing.payments.settlement import payment_create
from broadsheet.billing.subscriptions.services import subscription_create_pending
from broadsheet.core import clock
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db
MARKERS = ("{{", "{%")
RAZORPAY = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
}


@pytest.fixture
def world(client: Client) -> dict:
    f.publication()
    plans = {p.slug: p for p in f.demo_plans()}
    user = f.reader()
    client.force_login(user)
    return {"plans": plans, "user": user, "story": f.story(access=Article.Access.PREMIUM)}


def checkout_url(slug: str = "smart-essential", next_path: str = "") -> str:
    url = reverse("billing_checkout", args=[slug])
    return f"{url}?{urlencode({'next': next_path})}" if next_path else url


def pay(
    client: Client, *, slug: str = "smart-essential", next_path: str = "", state: str = "Maharashtra", code: str = ""
) -> Any:
    """Press Pay on the checkout page; returns the response (a redirect to the gateway when it starts)."""
    data = {"buyer_name": "Asha Rao", "buyer_state": state, "offer_code": code, "action": "pay", "next": next_path}
    return client.post(checkout_url(slug), data)


def choose(client: Client, gateway_url: str, choice: str) -> Any:
    """The tester's button on the TEST MODE page; returns the response of the return page."""
    done = client.post(gateway_url, {"choice": choice})
    assert done.status_code == 302
    return client.get(urlparse(done["Location"]).path)


def test_intra_state_checkout_shows_cgst_and_sgst_that_add_up_to_the_total(client: Client, world: dict) -> None:
    body = client.post(checkout_url(), {"buyer_state": "Maharashtra", "action": "apply"}).content.decode()
    assert "₹2,700" in body
    assert "₹2,288.14" in body  # taxable value 228814 paise
    assert body.count("₹205.93") == 2  # CGST 9% and SGST 9%
    assert 228814 + 20593 + 20593 == 270000
    assert "IGST" not in body


def test_inter_state_checkout_shows_igst_that_adds_up_to_the_total(client: Client, world: dict) -> None:
    body = client.post(checkout_url(), {"buyer_state": "Karnataka", "action": "apply"}).content.decode()
    assert "₹2,288.14" in body and "₹411.86" in body and "IGST 18%" in body
    assert 228814 + 41186 == 270000
    assert "CGST" not in body


def test_an_anonymous_reader_is_asked_to_sign_up_or_log_in_and_comes_back_to_checkout(client: Client) -> None:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM)
    first = client.get(f"/subscribe/?plan=smart-quarterly&next={story.url}")
    assert first.status_code == 302 and first["Location"] == checkout_url("smart-quarterly", story.url)
    body = client.get(first["Location"]).content.decode()
    back = "next=%2Fbilling%2Fcheckout%2Fsmart-quarterly%2F%3Fnext%3D" + story.url.replace("/", "%252F")
    assert f"/accounts/signup/?{back}" in body and f"/accounts/login/?{back}" in body
    assert not Payment.objects.exists()


def test_paying_with_the_test_gateway_opens_the_story_with_a_thank_you(client: Client, world: dict) -> None:
    story = world["story"]
    started = pay(client, next_path=story.url)
    assert started.status_code == 302 and started["Location"].startswith("/billing/test-gateway/cs_test_")
    page = client.get(started["Location"]).content.decode()
    assert "TEST MODE" in page and "₹2,700" in page and "Smart Essential" in page
    back = choose(client, started["Location"], "success")
    assert back.status_code == 302 and back["Location"] == story.url
    article = client.get(story.url).content.decode()
    assert "Thank you" in article and all(tok in article for tok in story.tokens)
    sub = Subscription.objects.get(user=world["user"])
    assert sub.status == Subscription.Status.ACTIVE and sub.buyer_state == "Maharashtra"
    invoice = Invoice.objects.get(user=world["user"])
    assert (invoice.total_minor, invoice.cgst_minor, invoice.sgst_minor) == (270000, 20593, 20593)


def test_a_declined_payment_says_so_plainly_and_grants_nothing(client: Client, world: dict) -> None:
    story = world["story"]
    started = pay(client, next_path=story.url)
    result = choose(client, started["Location"], "decline")
    body = result.content.decode()
    assert "Your payment was declined; you have not been charged and no plan was added" in body
    assert checkout_url("smart-essential", "") in body and "Try again" in body
    assert not Subscription.objects.filter(user=world["user"]).exclude(status=Subscription.Status.PENDING).exists()
    assert not Invoice.objects.exists()
    assert benefits_of(user_id=world["user"].pk, at=clock.now()) == frozenset()
    assert not [tok for tok in story.locked_tokens if tok in client.get(story.url).content.decode()]


def test_a_pending_payment_waits_for_the_bank_then_the_confirmation_grants_access(client: Client, world: dict) -> None:
    started = pay(client)
    gateway_url = started["Location"]
    body = choose(client, gateway_url, "pending").content.decode()
    assert "waiting for your bank" in body and "you&#x27;ll get access as soon as it does" in body
    assert benefits_of(user_id=world["user"].pk, at=clock.now()) == frozenset()
    assert "Confirm payment" in client.get(gateway_url).content.decode()
    back = choose(client, gateway_url, "confirm")
    assert back.status_code == 302
    assert "premium" in benefits_of(user_id=world["user"].pk, at=clock.now())
    assert Invoice.objects.filter(user=world["user"]).count() == 1
    assert InboxEvent.objects.filter(gateway="test", status=InboxEvent.Status.PROCESSED).exists()  # by webhook


def test_a_reader_who_already_holds_the_plan_goes_to_the_account_page_instead_of_paying(
    client: Client, world: dict
) -> None:
    choose(client, pay(client)["Location"], "success")
    again = pay(client)
    assert again.status_code == 302 and again["Location"] == reverse("account")
    assert Payment.objects.filter(user=world["user"]).count() == 1


def test_the_return_page_of_another_readers_payment_is_not_found(client: Client, world: dict) -> None:
    started = pay(client)
    payment = Payment.objects.get(checkout_session_id=started["Location"].rstrip("/").rsplit("/", 1)[1])
    client.force_login(f.reader())
    assert client.get(reverse("billing_return", args=[payment.pk])).status_code == 404
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREATED


def test_checkout_pages_carry_no_template_markers_and_no_locked_text(client: Client, world: dict) -> None:
    story = world["story"]
    pages = [
        client.get(checkout_url(next_path=story.url)),
        client.post(checkout_url(), {"buyer_state": "Goa", "offer_code": "NOPE", "action": "apply"}),
        client.get(pay(client, next_path=story.url)["Location"]),
        client.get("/subscribe/"),
    ]
    for response in pages:
        body = response.content.decode()
        assert response.status_code == 200
        assert not any(m in body for m in MARKERS)
        assert not [tok for tok in story.locked_tokens if tok in body]


def test_the_test_gateway_page_is_not_found_when_the_test_gateway_is_not_configured(
    client: Client, world: dict, settings: object
) -> None:
    gateway_url = pay(client)["Location"]
    settings.BROADSHEET_GATEWAYS = {"razorpay": RAZORPAY["razorpay"]}  # type: ignore[attr-defined]
    assert client.get(gateway_url).status_code == 404
    assert client.post(gateway_url, {"choice": "success"}).status_code == 404
    assert not Subscription.objects.filter(status=Subscription.Status.ACTIVE).exists()


def _razorpay_payment(user_id: int, plan: Plan) -> Payment:
    now = clock.now()
    sub = subscription_create_pending(user_id=user_id, plan=plan, at=now, gateway="razorpay", buyer_state="Goa")
    payment = payment_create(
        user_id=user_id, plan=plan, kind="first", amount_minor=plan.price_minor, at=now, gateway="razorpay",
        subscription_id=sub.pk,
    )  # fmt: skip
    Payment.objects.filter(pk=payment.pk).update(checkout_session_id="order_TEST123")
    return payment


@pytest.fixture
def razorpay_on(settings: object) -> str:
    settings.BROADSHEET_GATEWAYS = RAZORPAY  # type: ignore[attr-defined]
    settings.RAZORPAY_KEY_ID = "rzp_test_key"  # type: ignore[attr-defined]
    settings.RAZORPAY_KEY_SECRET = "a-test-secret"  # type: ignore[attr-defined]
    return "a-test-secret"


def test_the_razorpay_page_opens_checkout_for_the_order(client: Client, world: dict, razorpay_on: str) -> None:
    _razorpay_payment(world["user"].pk, world["plans"]["smart-essential"])
    body = client.get("/billing/razorpay/checkout/order_TEST123/").content.decode()
    assert "checkout.razorpay.com/v1/checkout.js" in body
    assert '"order_id": "order_TEST123"' in body and '"key": "rzp_test_key"' in body and '"amount": 270000' in body
    assert world["user"].email in body and not any(m in body for m in MARKERS)


def test_razorpay_checkout_signature_is_verified_before_anything_is_granted(
    client: Client, world: dict, razorpay_on: str
) -> None:
    payment = _razorpay_payment(world["user"].pk, world["plans"]["smart-essential"])
    good = hmac.new(razorpay_on.encode(), b"order_TEST123|pay_ABC", hashlib.sha256).hexdigest()
    post = {"razorpay_order_id": "order_TEST123", "razorpay_payment_id": "pay_ABC"}
    forged = client.post("/billing/razorpay/verify/", {**post, "razorpay_signature": "0" * 64})
    assert forged.status_code == 400
    payment.refresh_from_db()
    assert payment.status == Payment.Status.CREATED and not Invoice.objects.exists()
    verified = client.post("/billing/razorpay/verify/", {**post, "razorpay_signature": good})
    assert verified.status_code == 302 and re.search(rf"/billing/return/{payment.pk}/$", verified["Location"])
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED and payment.gateway_payment_id == "pay_ABC"
    assert "premium" in benefits_of(user_id=world["user"].pk, at=clock.now())
