"""Offer codes at checkout: percent, fixed, extra days; validity dates; use limits, also under a race."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client

from broadsheet.billing.checkout import services as checkout
from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import Invoice, Offer, OfferRedemption, Payment, Subscription
from broadsheet.billing.payments.settlement import payment_settle
from broadsheet.core import clock
from tests import factories as f

URL = "/billing/checkout/smart-essential/"
MINUS = "\N{MINUS SIGN}"


@pytest.fixture
def reader(client: Client, db: None) -> object:
    f.publication()
    f.demo_plans()
    user = f.reader()
    client.force_login(user)
    return user


def offer(code: str = "SAVE25", kind: str = "percent", value: int = 2500, **extra: object) -> Offer:
    return Offer.objects.create(code=code, kind=kind, value=value, **extra)


def apply(client: Client, code: str, state: str = "Maharashtra") -> str:
    return client.post(URL, {"buyer_state": state, "offer_code": code, "action": "apply"}).content.decode()


def pay(client: Client, code: str, choice: str = "success") -> Payment:
    started = client.post(URL, {"buyer_state": "Maharashtra", "offer_code": code, "action": "pay"})
    assert started.status_code == 302, started.content.decode()
    if started["Location"].startswith("/billing/test-gateway/"):
        client.post(started["Location"], {"choice": choice})
    return Payment.objects.order_by("-pk").first()  # type: ignore[return-value]


def test_a_percent_code_takes_its_share_off_the_first_period_typed_in_any_case(client: Client, reader: object) -> None:
    offer()
    body = apply(client, "save25")
    assert "Offer SAVE25" in body and f"{MINUS}₹675" in body and "Pay ₹2,025" in body
    payment = pay(client, "Save25")
    assert (payment.amount_minor, payment.discount_minor, payment.list_price_minor) == (202500, 67500, 270000)
    assert payment.status == Payment.Status.SUCCEEDED
    assert Offer.objects.get(code="SAVE25").used == 1
    assert OfferRedemption.objects.get().status == OfferRedemption.Status.CONFIRMED
    assert Invoice.objects.get().total_minor == 202500


def test_a_fixed_code_takes_its_amount_off(client: Client, reader: object) -> None:
    offer("FLAT500", "fixed", 50000)
    body = apply(client, "FLAT500")
    assert f"{MINUS}₹500" in body and "Pay ₹2,200" in body
    assert pay(client, "FLAT500").amount_minor == 220000


def test_an_extra_days_code_keeps_the_price_and_lengthens_the_first_period(client: Client, reader: object) -> None:
    offer("MONTHFREE", "extra_days", 30)
    body = apply(client, "MONTHFREE")
    assert "30 extra free days" in body and "Pay ₹2,700" in body
    payment = pay(client, "MONTHFREE")
    assert payment.subscription_id is not None
    sub = Subscription.objects.get(pk=payment.subscription_id)
    assert payment.amount_minor == 270000
    assert sub.current_period_end - sub.current_period_start >= timedelta(days=365 + 30)


def test_a_code_outside_its_dates_is_refused_with_the_reason_and_the_price_unchanged(
    client: Client, reader: object
) -> None:
    now = clock.now()
    offer("LATER", valid_from=now + timedelta(days=3))
    offer("GONE", valid_from=now - timedelta(days=30), valid_until=now - timedelta(days=1))
    later, gone = apply(client, "LATER"), apply(client, "GONE")
    assert "The code LATER can be used from" in later and "Pay ₹2,700" in later
    assert "The code GONE expired on" in gone and "Pay ₹2,700" in gone
    refused = client.post(URL, {"buyer_state": "Goa", "offer_code": "GONE", "action": "pay"})
    assert refused.status_code == 200 and "The code GONE expired on" in refused.content.decode()
    assert not Payment.objects.exists() and not OfferRedemption.objects.exists()


def test_an_unknown_or_other_plans_code_is_refused_in_plain_words(client: Client, reader: object) -> None:
    quarterly = offer("QONLY")
    quarterly.plans.add(*[p for p in f.demo_plans() if p.slug == "smart-quarterly"])
    assert "is not valid for the Smart Essential plan" in apply(client, "QONLY")
    body = apply(client, "NOSUCH")
    assert "We don&#x27;t know the code NOSUCH" in body and "Pay ₹2,700" in body


def test_a_reader_uses_a_code_once(client: Client, reader: object) -> None:
    offer("ONCE", max_uses=100)
    pay(client, "ONCE")
    Subscription.objects.update(access_until=clock.now() - timedelta(seconds=1))  # as if it had ended
    assert "You have already used the code ONCE" in apply(client, "ONCE")


def test_a_declined_payment_gives_the_code_back(client: Client, reader: object) -> None:
    offer("LAST", max_uses=1)
    pay(client, "LAST", choice="decline")
    assert OfferRedemption.objects.get().status == OfferRedemption.Status.RELEASED
    assert f"{MINUS}₹675" in apply(client, "LAST")  # usable again, by this reader too


def test_a_used_up_code_is_refused_and_a_stale_reservation_does_not_count(client: Client, reader: object) -> None:
    limited = offer("THREE", max_uses=1)
    other = f.reader()
    hold = checkout.checkout_start(
        user=other, plan=f.premium_plan(), offer_code="THREE", buyer_name="", buyer_state="Goa", return_path="",
        at=clock.now() - timedelta(minutes=31),
    )  # fmt: skip
    assert hold.outcome == "redirect"
    assert f"{MINUS}₹675" in apply(client, "THREE")  # the 31-minute-old reservation has lapsed
    OfferRedemption.objects.filter(offer=limited).update(created_at=clock.now())
    assert "The code THREE has been used as many times as it allows" in apply(client, "THREE")


def test_a_full_discount_activates_without_the_gateway_and_without_an_invoice(client: Client, reader: object) -> None:
    offer("FREEYEAR", value=10000)
    started = client.post(URL, {"buyer_state": "Goa", "offer_code": "FREEYEAR", "action": "pay", "next": "/"})
    assert started.status_code == 302 and "/billing/return/" in started["Location"]
    payment = Payment.objects.get()
    assert payment.amount_minor == 0 and payment.status == Payment.Status.SUCCEEDED and not payment.checkout_session_id
    assert "premium" in benefits_of(user_id=payment.user_id, at=clock.now())
    assert not Invoice.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_ten_readers_racing_for_a_three_use_code_get_exactly_three_reservations() -> None:
    f.publication()
    plan = f.premium_plan()
    offer("RACE3", max_uses=3)
    readers = [f.reader() for _ in range(10)]
    outcomes: list[str] = []
    barrier = threading.Barrier(len(readers))

    def race(user: object) -> None:
        barrier.wait()
        try:
            checkout.checkout_start(
                user=user, plan=plan, offer_code="race3", buyer_name="", buyer_state="Goa", return_path="",
                at=clock.now(),
            )  # type: ignore[arg-type]  # fmt: skip
            outcomes.append("reserved")
        except checkout.CheckoutRefused as refused:
            outcomes.append(str(refused))
        finally:
            connection.close()

    threads = [threading.Thread(target=race, args=(u,)) for u in readers]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("reserved") == 3, outcomes
    assert OfferRedemption.objects.filter(offer__code="RACE3").count() == 3
    assert Payment.objects.filter(offer__code="RACE3").count() == 3
    assert all("used as many times" in o for o in outcomes if o != "reserved")
    for payment in Payment.objects.filter(offer__code="RACE3"):
        payment_settle(payment_id=payment.pk, outcome="succeeded", at=clock.now(), actor="test")
    assert Offer.objects.get(code="RACE3").used == 3
