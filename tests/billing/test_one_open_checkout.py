"""One open checkout per reader and plan; an offer is used by the payment that succeeds.

Issue 9, defects 1 (a double-submitted checkout charged twice) and 5 (an
abandoned checkout took the reader's offer code for 30 minutes). Driven
through the checkout page and the TEST MODE gateway page, as a reader would.
"""

from __future__ import annotations

import threading
from typing import Any
from urllib.parse import urlparse

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import Invoice, Offer, OfferRedemption, Payment, Refund, Subscription
from broadsheet.billing.payments.settlement import payment_create
from broadsheet.billing.subscriptions.services import subscription_create_pending
from broadsheet.core import clock
from tests import factories as f

URL = "/billing/checkout/smart-essential/"
FORM = {"buyer_name": "Asha Rao", "buyer_state": "Maharashtra", "offer_code": "", "action": "pay"}


@pytest.fixture
def reader(client: Client, db: None) -> Any:
    f.publication()
    f.demo_plans()
    user = f.reader()
    client.force_login(user)
    return user


def pay(client: Client, **form: str) -> str:
    started = client.post(URL, FORM | form)
    assert started.status_code == 302, started.content.decode()[:500]
    return str(started["Location"])


def choose(client: Client, gateway_url: str, choice: str = "success") -> Any:
    done = client.post(gateway_url, {"choice": choice})
    assert done.status_code == 302
    return client.get(urlparse(done["Location"]).path, follow=True)


def first_payments(user: Any) -> Any:
    return Payment.objects.filter(user=user, kind=Payment.Kind.FIRST)


# --- defect 1: a double submit ---------------------------------------------------------------------


def test_pressing_pay_twice_resumes_the_same_gateway_session_and_charges_once(client: Client, reader: Any) -> None:
    first, second = pay(client), pay(client)
    assert first == second and first.startswith("/billing/test-gateway/cs_test_")
    assert first_payments(reader).count() == 1
    assert Subscription.objects.filter(user=reader).count() == 1
    choose(client, first)
    assert pay(client) == reverse("account")  # paid: a third press goes to the account page
    assert Subscription.objects.filter(user=reader, status=Subscription.Status.ACTIVE).count() == 1
    assert first_payments(reader).filter(status=Payment.Status.SUCCEEDED).count() == 1
    assert Invoice.objects.filter(user=reader).count() == 1


def test_going_back_to_the_checkout_page_offers_to_carry_on(client: Client, reader: Any) -> None:
    pay(client)
    page = client.get(URL).content.decode()
    assert "You started paying for this plan" in page and "Press Pay to carry on where you left off" in page
    assert 'value="Asha Rao"' in page


def test_a_payment_waiting_for_the_bank_is_not_started_again(client: Client, reader: Any) -> None:
    choose(client, pay(client), "pending")
    again = client.post(URL, FORM, follow=True).content.decode()
    assert "already in progress" in again and "waiting for your bank" in again
    assert first_payments(reader).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(6))
def test_parallel_submits_open_one_checkout(round_: int) -> None:
    f.publication()
    f.demo_plans()
    user = f.reader()
    submits = 4
    barrier = threading.Barrier(submits)
    locations: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            browser = Client()
            browser.force_login(user)
            barrier.wait()
            answer = browser.post(URL, FORM)
            locations.append(f"{answer.status_code} {answer.get('Location', '')}")
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(submits)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    assert len(set(locations)) == 1 and locations[0].startswith("302 /billing/test-gateway/"), locations
    assert first_payments(user).count() == 1


@pytest.mark.django_db
def test_the_database_refuses_a_second_open_checkout(reader: Any) -> None:
    plan, now = f.premium_plan(), clock.now()
    for attempt in range(2):
        sub = subscription_create_pending(user_id=reader.pk, plan=plan, at=now, gateway="test")
        if attempt:
            with pytest.raises(IntegrityError), transaction.atomic():
                payment_create(user_id=reader.pk, plan=plan, kind="first", amount_minor=100, at=now, gateway="test",
                               subscription_id=sub.pk)  # fmt: skip
        else:
            payment_create(user_id=reader.pk, plan=plan, kind="first", amount_minor=100, at=now, gateway="test",
                           subscription_id=sub.pk)  # fmt: skip


def test_an_abandoned_session_paid_after_all_is_refunded_and_the_reader_told(client: Client, reader: Any) -> None:
    old = pay(client)  # then back to the form, another state: the first checkout is abandoned
    new = pay(client, buyer_state="Goa")
    assert old != new
    assert first_payments(reader).get(checkout_url=old).status == Payment.Status.ABANDONED
    choose(client, new)
    page = choose(client, old).content.decode()  # the first tab's gateway page, paid too
    assert "You already have the Smart Essential plan, so this second payment of ₹2,700 was not used" in page
    assert "has been refunded in full" in page
    twice = first_payments(reader).get(checkout_url=old)
    assert twice.status == Payment.Status.SUCCEEDED and twice.refund_due and twice.refunded_minor == 270000
    assert Refund.objects.get(payment=twice).amount_minor == 270000
    assert Subscription.objects.filter(user=reader, status=Subscription.Status.ACTIVE).count() == 1
    assert "premium" in benefits_of(user_id=reader.pk, at=clock.now())  # the refund took nothing from the plan
    assert Invoice.objects.filter(user=reader, credit_note_for__isnull=False).count() == 1


# --- defect 5: the offer of an abandoned checkout --------------------------------------------------


def test_going_back_from_the_gateway_keeps_the_offer_and_resumes(client: Client, reader: Any) -> None:
    Offer.objects.create(code="WELCOME20", kind="percent", value=2000)
    gateway = pay(client, offer_code="welcome20")
    page = client.get(URL).content.decode()  # back from the gateway page
    assert "You have already used the code" not in page and 'value="WELCOME20"' in page and "Pay ₹2,160" in page
    applied = client.post(URL, FORM | {"offer_code": "WELCOME20", "action": "apply"}).content.decode()
    assert "You have already used the code" not in applied and "Pay ₹2,160" in applied
    assert pay(client, offer_code="WELCOME20") == gateway  # pay again: the same session, the same price
    assert OfferRedemption.objects.filter(user=reader).count() == 1
    assert Offer.objects.get(code="WELCOME20").used == 0  # not used until a payment succeeds
    choose(client, gateway)
    assert first_payments(reader).get().amount_minor == 216000
    assert OfferRedemption.objects.get(user=reader).status == OfferRedemption.Status.CONFIRMED
    assert Offer.objects.get(code="WELCOME20").used == 1


def test_starting_again_on_other_terms_releases_the_reservation_at_once(client: Client, reader: Any) -> None:
    Offer.objects.create(code="ONLYONE", kind="percent", value=2000, max_uses=1)
    pay(client, offer_code="ONLYONE")
    pay(client, offer_code="ONLYONE", buyer_state="Goa")  # another state: a new checkout, the same code
    rows = OfferRedemption.objects.filter(user=reader).order_by("pk")
    assert [r.status for r in rows] == [OfferRedemption.Status.RELEASED, OfferRedemption.Status.RESERVED]
    without = pay(client)  # and now without the code: nothing of it is held
    assert without.startswith("/billing/test-gateway/")
    assert not OfferRedemption.objects.filter(status=OfferRedemption.Status.RESERVED).exists()


def test_an_open_checkout_holds_a_limited_code_against_other_readers_only(client: Client, reader: Any) -> None:
    Offer.objects.create(code="ONLYONE", kind="percent", value=2000, max_uses=1)
    pay(client, offer_code="ONLYONE")
    other = Client()
    other.force_login(f.reader())
    refused = other.post(URL, FORM | {"offer_code": "ONLYONE", "action": "apply"}).content.decode()
    assert "The code ONLYONE has been used as many times as it allows" in refused
    mine = client.post(URL, FORM | {"offer_code": "ONLYONE", "action": "apply"}).content.decode()
    assert "used as many times" not in mine and "Pay ₹2,160" in mine
