"""Refunds by staff: access ends as chosen, a credit note per refund, never more than was paid, once."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from typing import ClassVar

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.utils import timezone

from broadsheet.billing.admin.payments import rupees_to_paise
from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.gateways.base import GatewayUnavailable
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.gifts.services import GiftRefused, gift_checkout_start, gift_redeem
from broadsheet.billing.models import Gift, Invoice, LedgerEntry, Payment, Refund, Subscription
from broadsheet.billing.payments.refunds import RefundRefused, refund_issue
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.subscriptions.services import subscription_create_pending
from broadsheet.readers.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


class CountingGateway(TestGateway):
    """The test gateway, keeping a tally of refund calls per idempotency key (as the gateway's books would)."""

    __test__ = False
    calls: ClassVar[Counter[str]] = Counter()
    fail_next: ClassVar[int] = 0  # the next N refunds are made, then the answer is lost (a timeout)

    def refund(self, payment_id: str, amount_minor: int, idempotency_key: str) -> str:
        refund_id = super().refund(payment_id, amount_minor, idempotency_key)
        CountingGateway.calls[idempotency_key] += 1
        if CountingGateway.fail_next:
            CountingGateway.fail_next -= 1
            raise GatewayUnavailable("test gateway: the answer was lost on the way back")
        return refund_id


@pytest.fixture(autouse=True)
def _gateway(settings: object) -> None:
    settings.BROADSHEET_GATEWAYS = {"test": "tests.billing.test_refunds.CountingGateway"}  # type: ignore[attr-defined]
    settings.BROADSHEET_DEFAULT_GATEWAY = "test"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_STATE = "Maharashtra"  # type: ignore[attr-defined]
    CountingGateway.calls = Counter()
    CountingGateway.fail_next = 0


def _paid_subscription(price: int = 270_000) -> Payment:
    f.publication()
    user = f.reader()
    plan = f.premium_plan()
    now = timezone.now()
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=now, gateway="test", buyer_state="Maharashtra")
    payment = payment_create(
        user_id=user.pk, plan=plan, kind="first", amount_minor=price, at=now, gateway="test", subscription_id=sub.pk
    )
    return payment_settle(
        payment_id=payment.pk, outcome="succeeded", at=now, actor="gateway:test", gateway_payment_id=f"pay_{sub.pk}"
    )


def _sub(payment: Payment) -> Subscription:
    return Subscription.objects.get(payments=payment)


def _refund(payment: Payment, amount: int, *, until: object = None, key: str = "") -> Refund:
    now = timezone.now()
    return refund_issue(
        payment_id=payment.pk,
        amount_minor=amount,
        reason="reader asked",
        access_until=until or now,  # type: ignore[arg-type]
        by_user_id=None,
        at=now,
        idempotency_key=key,
    )


def _credit_notes(payment: Payment) -> list[Invoice]:
    return list(Invoice.objects.filter(series="CN", credit_note_for__payment_ref=payment.gateway_payment_id))


def test_a_full_refund_ends_access_now_and_credits_the_whole_invoice_exactly() -> None:
    payment = _paid_subscription()
    user_id = payment.user_id
    assert "premium" in benefits_of(user_id=user_id, at=timezone.now())
    refund = _refund(payment, 270_000)
    assert refund.gateway_refund_id.startswith("rf_test_")
    assert benefits_of(user_id=user_id, at=timezone.now() + timedelta(seconds=1)) == frozenset()
    sub = Subscription.objects.get(user_id=user_id)
    assert sub.auto_renew is False
    assert LedgerEntry.objects.filter(subscription=sub, what="refund_full", amount_minor=270_000).count() == 1
    invoice = Invoice.objects.get(series="INV", payment_ref=payment.gateway_payment_id)
    (note,) = _credit_notes(payment)
    assert note.number.startswith("CN/")
    assert (note.total_minor, note.taxable_minor, note.cgst_minor, note.sgst_minor, note.igst_minor) == (
        invoice.total_minor,
        invoice.taxable_minor,
        invoice.cgst_minor,
        invoice.sgst_minor,
        invoice.igst_minor,
    )
    assert note.payment_ref == refund.gateway_refund_id
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 270_000


def test_a_refund_can_leave_access_until_the_period_ends() -> None:
    payment = _paid_subscription()
    end = _sub(payment).current_period_end
    _refund(payment, 270_000, until=end)
    assert "premium" in benefits_of(user_id=payment.user_id, at=end - timedelta(minutes=1))
    assert benefits_of(user_id=payment.user_id, at=end) == frozenset()
    assert _sub(payment).auto_renew is False


def test_two_partial_refunds_make_two_credit_notes_and_a_third_over_the_cap_is_refused() -> None:
    payment = _paid_subscription()
    later = timezone.now() + timedelta(days=60)
    _refund(payment, 100_000, until=later)
    _refund(payment, 150_000, until=later)
    notes = _credit_notes(payment)
    assert sorted(n.total_minor for n in notes) == [100_000, 150_000]
    for note in notes:
        assert note.taxable_minor + note.cgst_minor + note.sgst_minor + note.igst_minor == note.total_minor
    with pytest.raises(RefundRefused, match="At most 20000 paise"):
        _refund(payment, 20_001)
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 250_000
    assert Refund.objects.count() == 2 and len(_credit_notes(payment)) == 2
    assert sum(CountingGateway.calls.values()) == 2  # the refused one never reached the gateway
    assert list(
        LedgerEntry.objects.filter(what__startswith="refund").values_list("what", flat=True).order_by("id")
    ) == ["refund_partial", "refund_partial"]
    assert "premium" in benefits_of(user_id=payment.user_id, at=timezone.now())  # access until `later`


def test_the_same_refund_retried_is_one_gateway_refund_and_one_credit_note() -> None:
    payment = _paid_subscription()
    first = _refund(payment, 50_000, key="form-token-1")
    again = _refund(payment, 50_000, key="form-token-1")
    assert again.pk == first.pk
    assert CountingGateway.calls == Counter({first.idempotency_key: 1})
    assert len(_credit_notes(payment)) == 1
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 50_000


def test_a_refund_whose_answer_was_lost_is_finished_by_the_retry_not_doubled() -> None:
    payment = _paid_subscription()
    CountingGateway.fail_next = 1
    with pytest.raises(GatewayUnavailable):
        _refund(payment, 70_000)
    pending = Refund.objects.get()
    assert pending.gateway_refund_id == "" and not _credit_notes(payment)
    with pytest.raises(RefundRefused, match="not finished"):
        _refund(payment, 10_000)  # another amount waits for the first to be settled
    done = _refund(payment, 70_000)
    assert done.pk == pending.pk and done.gateway_refund_id
    assert CountingGateway.calls == Counter({pending.idempotency_key: 2})  # one key: one refund at the gateway
    assert len(_credit_notes(payment)) == 1
    assert Payment.objects.get(pk=payment.pk).refunded_minor == 70_000


def test_refusals_change_nothing() -> None:
    payment = _paid_subscription()
    for amount, reason, text in [(0, "r", "more than zero"), (1000, "  ", "Give a reason")]:
        with pytest.raises(RefundRefused, match=text):
            refund_issue(
                payment_id=payment.pk,
                amount_minor=amount,
                reason=reason,
                access_until=timezone.now(),
                by_user_id=None,
                at=timezone.now(),
            )
    declined = payment_create(
        user_id=payment.user_id, plan=payment.plan, kind="renewal", amount_minor=1000, at=timezone.now(),
        gateway="test", subscription_id=payment.subscription_id, period=1,
    )  # fmt: skip
    with pytest.raises(RefundRefused, match="succeeded"):
        _refund(declined, 1000)
    assert not Refund.objects.exists() and not CountingGateway.calls
    assert "premium" in benefits_of(user_id=payment.user_id, at=timezone.now())


def test_refunding_an_unredeemed_gift_cancels_its_code() -> None:
    f.publication()
    buyer = f.reader()
    gift, _ = gift_checkout_start(
        buyer=buyer,
        plan=f.premium_plan(),
        recipient_email="friend@example.com",
        recipient_name="",
        message="",
        buyer_name="Arjun",
        buyer_state="Karnataka",
        at=timezone.now(),
    )
    payment = Payment.objects.get(gift=gift)
    payment = payment_settle(
        payment_id=payment.pk, outcome="succeeded", at=timezone.now(), actor="t", gateway_payment_id="pay_gift"
    )
    _refund(payment, payment.amount_minor)
    assert Gift.objects.get(pk=gift.pk).status == Gift.Status.REFUNDED
    (note,) = _credit_notes(payment)
    assert note.igst_minor > 0 and note.total_minor == 270_000  # the buyer is in Karnataka: IGST, mirrored
    with pytest.raises(GiftRefused, match="refunded"):
        gift_redeem(code=gift.code, user_id=f.reader().pk, at=timezone.now())
    assert not Subscription.objects.exists()


def test_rupees_are_parsed_to_paise_without_float() -> None:
    assert rupees_to_paise("₹2,700") == 270000
    assert rupees_to_paise("1234.5") == 123450
    assert rupees_to_paise(" 0.01 ") == 1
    assert rupees_to_paise("19999999.99") == 1999999999
    for bad in ("0.001", "abc", "-5", "0", "NaN", "1e400"):
        with pytest.raises(ValueError):
            rupees_to_paise(bad)


def _staff(*, can_refund: bool) -> User:
    user = f.reader(is_staff=True)
    perms = ["view_payment", "view_refund"] + (["add_refund"] if can_refund else [])
    user.user_permissions.add(*Permission.objects.filter(content_type__app_label="billing", codename__in=perms))
    return user


def test_staff_refund_from_the_admin_form_once_however_often_it_is_sent() -> None:
    payment = _paid_subscription()
    client = Client()
    client.force_login(_staff(can_refund=True))
    listing = client.post("/admin/billing/payment/", {"action": "refund_action", "_selected_action": [str(payment.pk)]})
    form_url = f"/admin/billing/payment/{payment.pk}/refund/"
    assert listing["Location"] == form_url
    page = client.get(form_url).content.decode()
    assert "₹2,700" in page and 'name="token"' in page
    data = {"amount": "₹1,234.50", "reason": "billing error", "access_ends": "period_end", "token": "tok-1"}
    assert client.post(form_url, data).status_code == 302
    assert client.post(form_url, data).status_code == 302  # a double click
    refund = Refund.objects.get()
    assert refund.amount_minor == 123450 and refund.by is not None
    assert refund.access_until == _sub(payment).current_period_end
    assert len(_credit_notes(payment)) == 1
    over = client.post(form_url, {**data, "amount": "2700", "token": "tok-2"})
    assert over.status_code == 200 and "can still be refunded" in over.content.decode()
    assert client.get(f"/admin/billing/refund/?payment__id__exact={payment.pk}").status_code == 200


def test_staff_without_the_refund_permission_cannot_refund() -> None:
    payment = _paid_subscription()
    client = Client()
    client.force_login(_staff(can_refund=False))
    form_url = f"/admin/billing/payment/{payment.pk}/refund/"
    assert client.get(form_url).status_code == 403
    data = {"amount": "100", "reason": "x", "access_ends": "now", "token": "t"}
    assert client.post(form_url, data).status_code == 403
    assert not Refund.objects.exists()
