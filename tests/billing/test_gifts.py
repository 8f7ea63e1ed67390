"""Gifts end to end: bought with the test gateway, the code mailed over real SMTP, redeemed once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from django.db import connections
from django.test import Client
from django.utils import timezone

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.gifts.services import (
    CODE_ALPHABET,
    GiftRefused,
    gift_checkout_start,
    gift_code_new,
    gift_code_normalise,
    gift_redeem,
)
from broadsheet.billing.models import Gift, Invoice, LedgerEntry, Payment, Subscription
from broadsheet.billing.payments.settlement import payment_settle
from broadsheet.readers.models import User
from tests import factories as f
from tests.mailserver import Inbox
from tests.readers.test_accounts import first_link

pytestmark = pytest.mark.django_db
RECIPIENT = "friend@example.com"


def _buy(buyer: User, at: object = None) -> Gift:
    gift, _ = gift_checkout_start(
        buyer=buyer,
        plan=f.premium_plan(),
        recipient_email=RECIPIENT,
        recipient_name="Meera",
        message="Happy birthday!",
        buyer_name="Arjun Iyer",
        buyer_state="Karnataka",
        at=at or timezone.now(),  # type: ignore[arg-type]
    )
    return gift


def _pay(gift: Gift) -> Payment:
    """The buyer pays on the test gateway's page; the outcome is recorded as the return page would."""
    payment = Payment.objects.get(gift=gift)
    gateway = TestGateway()
    gateway.complete(payment.checkout_session_id, "success")
    outcome = gateway.fetch_checkout(payment.checkout_session_id)
    return payment_settle(
        payment_id=payment.pk,
        outcome="succeeded",
        at=timezone.now(),
        actor="gateway:test",
        gateway_payment_id=outcome.payment_id,
    )


@pytest.fixture
def buyer() -> User:
    f.publication()
    return f.reader("giver@example.com")


def test_codes_are_four_groups_without_look_alikes() -> None:
    codes = {gift_code_new() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        groups = code.split("-")
        assert [len(g) for g in groups] == [4, 4, 4, 4]
        assert set("".join(groups)) <= set(CODE_ALPHABET)
        assert not set("01OIL") & set(code)
    assert gift_code_normalise(" k7qx m2pa-h9tr c4wn ") == "K7QX-M2PA-H9TR-C4WN"


def test_buying_records_the_gift_and_its_payment_before_the_gateway(buyer: User) -> None:
    gift, redirect_url = gift_checkout_start(
        buyer=buyer,
        plan=f.premium_plan(),
        recipient_email=RECIPIENT,
        recipient_name="",
        message="",
        buyer_name="Arjun",
        buyer_state="Karnataka",
        at=timezone.now(),
    )
    payment = Payment.objects.get(gift=gift)
    assert gift.status == Gift.Status.PENDING
    assert gift.redeem_by - gift.created_at == timedelta(days=365)
    assert (payment.kind, payment.subscription_id, payment.amount_minor) == ("gift", None, 270000)
    assert payment.checkout_session_id and redirect_url.endswith(f"{payment.checkout_session_id}/")
    assert not Subscription.objects.exists()  # nobody holds anything until the code is redeemed


def test_gift_bought_mailed_redeemed_and_held_for_one_period_from_redemption(
    buyer: User, smtp: Inbox, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        gift = _buy(buyer)
        _pay(gift)
        _pay(gift)  # the webhook reports it again: nothing more happens
    gift.refresh_from_db()
    assert gift.status == Gift.Status.PAID
    assert sorted(m["To"] for m in smtp.messages) == ["friend@example.com", "giver@example.com"]
    to_friend = next(i for i, m in enumerate(smtp.messages) if m["To"] == RECIPIENT)
    body = smtp.body(to_friend)
    assert gift.code in body and "Happy birthday!" in body and "Arjun Iyer" in body
    assert Invoice.objects.get(user=buyer).buyer_name == "Arjun Iyer"  # the buyer's tax invoice

    recipient = f.reader(RECIPIENT)
    assert benefits_of(user_id=recipient.pk, at=timezone.now()) == frozenset()  # not before redemption
    client = Client()
    client.force_login(recipient)
    link = first_link(body)
    assert gift.code in client.get(link).content.decode()  # the e-mail's link fills the code in
    before = timezone.now()
    response = client.post("/billing/gifts/redeem/", {"code": gift.code.lower().replace("-", " ")})
    assert response.status_code == 302

    sub = Subscription.objects.get(user=recipient)
    assert (sub.source, sub.status, sub.auto_renew, sub.gateway) == ("gift", "active", False, "none")
    assert before <= sub.current_period_start <= timezone.now()
    assert sub.access_until == sub.current_period_start.replace(year=sub.current_period_start.year + 1)
    assert "premium" in benefits_of(user_id=recipient.pk, at=timezone.now())
    assert benefits_of(user_id=recipient.pk, at=sub.access_until) == frozenset()  # one period, then nothing
    assert list(LedgerEntry.objects.filter(subscription=sub).values_list("what", "amount_minor")) == [
        ("payment_succeeded", 0),
        ("cancel", None),
    ]
    gift.refresh_from_db()
    assert (gift.status, gift.redeemed_by_id, gift.subscription_id) == ("redeemed", recipient.pk, sub.pk)
    assert benefits_of(user_id=buyer.pk, at=timezone.now()) == frozenset()  # the giver holds nothing


def test_the_whole_purchase_through_the_pages(buyer: User) -> None:
    f.premium_plan()
    client = Client()
    client.force_login(buyer)
    page = client.get("/billing/gifts/buy/smart-essential/").content.decode()
    assert "₹2,700" in page and "GST" in page and "{{" not in page
    response = client.post(
        "/billing/gifts/buy/smart-essential/",
        {"recipient_email": RECIPIENT, "buyer_name": "Arjun Iyer", "buyer_state": "Karnataka"},
    )
    assert response.status_code == 302
    hosted = client.post(response["Location"], {"choice": "success"})
    back = client.get(urlsplit(hosted["Location"]).path)  # the gateway sends the buyer back
    gift = Gift.objects.get(buyer=buyer)
    assert back["Location"] == f"/billing/gifts/{gift.pk}/sent/"
    sent = client.get(back["Location"]).content.decode()
    assert RECIPIENT in sent and gift.code not in sent
    assert gift.status == Gift.Status.PAID
    stranger = Client()
    stranger.force_login(f.reader())
    assert stranger.get(back["Location"]).status_code == 404  # the buyer's page only


def test_the_gift_form_takes_a_state_from_the_list_not_free_text(buyer: User) -> None:
    f.premium_plan()
    client = Client()
    client.force_login(buyer)
    page = client.get("/billing/gifts/buy/smart-essential/").content.decode()
    assert '<select name="buyer_state"' in page and "IGST" not in page  # no split until the state is known
    refused = client.post(
        "/billing/gifts/buy/smart-essential/",
        {"recipient_email": RECIPIENT, "buyer_name": "Arjun Iyer", "buyer_state": "MH"},
    )
    assert refused.status_code == 200 and not Gift.objects.exists() and not Payment.objects.exists()
    chosen = client.post("/billing/gifts/buy/smart-essential/", {"buyer_state": "Maharashtra"}).content.decode()
    assert "CGST" in chosen and "SGST" in chosen  # the demo seller is in Maharashtra


def test_a_second_redemption_is_refused_and_changes_nothing(buyer: User) -> None:
    gift = _buy(buyer)
    _pay(gift)
    first, second = f.reader(), f.reader()
    gift_redeem(code=gift.code, user_id=first.pk, at=timezone.now())
    client = Client()
    client.force_login(second)
    response = client.post("/billing/gifts/redeem/", {"code": gift.code})
    assert response.status_code == 400
    assert "This gift code has already been redeemed." in response.content.decode()
    assert not Subscription.objects.filter(user=second).exists()
    assert Subscription.objects.count() == 1
    gift.refresh_from_db()
    assert gift.redeemed_by_id == first.pk


def test_unknown_unpaid_and_expired_codes_are_refused_plainly(buyer: User) -> None:
    user = f.reader()
    unpaid = _buy(buyer)
    with pytest.raises(GiftRefused, match="don't recognise"):
        gift_redeem(code="AAAA-BBBB-CCCC-DDDD", user_id=user.pk, at=timezone.now())
    with pytest.raises(GiftRefused, match="not been paid"):
        gift_redeem(code=unpaid.code, user_id=user.pk, at=timezone.now())
    _pay(unpaid)
    with pytest.raises(GiftRefused, match="expired"):
        gift_redeem(code=unpaid.code, user_id=user.pk, at=unpaid.redeem_by)
    assert not Subscription.objects.exists()
    assert Gift.objects.get(pk=unpaid.pk).status == Gift.Status.PAID


def test_a_reader_must_sign_in_to_redeem_and_comes_back_with_the_code(buyer: User) -> None:
    response = Client().get("/billing/gifts/redeem/?code=ABCD-EFGH-JKMN-PQRS")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"] and "ABCD-EFGH-JKMN-PQRS" in response["Location"]


@pytest.mark.django_db(transaction=True)
def test_two_readers_racing_for_one_code_exactly_one_wins() -> None:
    f.publication()
    gift = _buy(f.reader())
    _pay(gift)
    racers = [f.reader(), f.reader()]
    barrier = threading.Barrier(len(racers))

    def redeem(user: User) -> str:
        barrier.wait()
        try:
            gift_redeem(code=gift.code, user_id=user.pk, at=timezone.now())
            return "won"
        except GiftRefused as refused:
            return refused.message
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(racers)) as pool:
        results = list(pool.map(redeem, racers))
    assert sorted(results) == ["This gift code has already been redeemed.", "won"]
    assert Subscription.objects.count() == 1
    winner = racers[results.index("won")]
    assert Gift.objects.get(pk=gift.pk).redeemed_by_id == winner.pk


def test_the_account_page_lists_gifts_given_and_staff_see_them(buyer: User) -> None:
    gift = _buy(buyer)
    _pay(gift)
    client = Client()
    client.force_login(buyer)
    account = client.get("/account/").content.decode()
    assert "Gifts you have given" in account and "Meera" in account and "Paid, not yet redeemed" in account
    assert gift.code not in account
    staff = Client()
    staff.force_login(f.reader(is_staff=True, is_superuser=True))
    assert gift.code in staff.get("/admin/billing/gift/").content.decode()
    assert staff.get("/admin/billing/gift/add/").status_code == 403  # gifts are bought, not typed in
