"""The set-based settle of renewal charges leaves exactly what settling them one by one leaves."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection, transaction

from broadsheet.billing.gateways.base import ChargeRequest, ChargeStatus, GatewayUnavailable
from broadsheet.billing.gateways.offline.books import MemoryBooks
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.models import BillingNotice, Invoice, LedgerEntry, Payment, Subscription, TestGatewayCharge
from broadsheet.billing.payments.settle_many import payments_settle_succeeded_many
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.rules.lifecycle import Event
from broadsheet.billing.subscriptions.services import STATE_COLUMNS, subscription_apply
from tests import factories as f
from tests.billing.test_renewals import END, HOUR, bought, monthly_plan

pytestmark = pytest.mark.django_db
AT = END - HOUR
Results = list[tuple[int, str]]


def _renewal(sub: Subscription, *, period: int = 1, attempt: int = 0, plan: Any = None) -> tuple[int, str]:
    plan = plan or sub.plan
    payment = payment_create(
        user_id=sub.user_id,
        plan=plan,
        kind=Payment.Kind.RENEWAL,
        amount_minor=plan.price_minor,
        at=AT,
        gateway="test",
        subscription_id=sub.pk,
        period=period,
        attempt=attempt,
    )
    return payment.pk, f"pay_renew_{sub.pk}_{period}_{attempt}"


def _scenario() -> tuple[list[int], Results]:
    """Every kind of row the set-based path meets, in one list."""
    plain = bought()
    changing = bought(buyer_state="Karnataka")  # IGST on its invoice
    yearly = f.premium_plan()
    subscription_apply(
        subscription_id=changing.pk, event=Event.PLAN_CHANGE_AT_RENEWAL, at=AT, actor="user", plan_id=yearly.pk
    )
    twice = bought()
    settled = bought()
    cancelled = bought()
    subscription_apply(subscription_id=cancelled.pk, event=Event.CANCEL, at=AT, actor="user")
    already = _renewal(settled)
    payment_settle(payment_id=already[0], outcome="succeeded", at=AT, actor="scheduler", gateway_payment_id=already[1])
    results = [
        _renewal(plain),
        _renewal(changing, plan=yearly),
        _renewal(twice),
        _renewal(twice, period=2),  # a second period of the same subscription in one list
        already,
        _renewal(cancelled),  # renewal turned off: recorded, invoiced, flagged for a refund
    ]
    return [s.pk for s in (plain, changing, twice, settled, cancelled)], results


def _snapshot(sub_ids: list[int], payment_ids: list[int], outbox: list[Any]) -> dict[str, Any]:
    subs = Subscription.objects.filter(pk__in=sub_ids).order_by("pk")
    ledger = LedgerEntry.objects.filter(subscription_id__in=sub_ids).order_by("subscription_id", "at", "id")
    return {
        "subscriptions": [
            tuple(getattr(s, c + "_id" if c in ("plan", "pending_plan") else c) for c in STATE_COLUMNS) for s in subs
        ],
        "ledger": list(
            ledger.values_list(
                "subscription_id",
                "what",
                "from_status",
                "to_status",
                "at",
                "reason",
                "actor",
                "event_id",
                "period",
                "amount_minor",
                "noop",
            )
        ),
        "payments": list(
            Payment.objects.filter(pk__in=payment_ids)
            .order_by("pk")
            .values_list("pk", "status", "gateway_payment_id", "message", "settled_at")
        ),
        "invoices": list(
            Invoice.objects.order_by("sequence").values_list(
                "number",
                "payment_ref",
                "user_id",
                "subscription_id",
                "total_minor",
                "taxable_minor",
                "cgst_minor",
                "sgst_minor",
                "igst_minor",
                "buyer_name",
                "buyer_email",
                "buyer_state",
                "description",
                "issued_at",
            )
        ),
        "notices": sorted(
            BillingNotice.objects.filter(subscription_id__in=sub_ids).values_list(
                "subscription_id", "kind", "key", "subject", "to", "sent_at"
            )
        ),
        "mails": sorted((m.subject, tuple(m.to), m.body) for m in outbox),
    }


def _outcome(settle: Callable[[], object], sub_ids: list[int], results: Results, outbox: list[Any]) -> dict[str, Any]:
    """Settle, run what would run after commit, look, and undo it all."""
    outbox.clear()
    mark = len(connection.run_on_commit)
    with transaction.atomic():
        settle()
        for hook in connection.run_on_commit[mark:]:
            hook[1]()
        state = _snapshot(sub_ids, [pk for pk, _ in results], outbox)
        transaction.set_rollback(True)
    return state


def _one_by_one(results: Results) -> None:
    for payment_id, ref in results:
        payment_settle(payment_id=payment_id, outcome="succeeded", at=AT, actor="scheduler", gateway_payment_id=ref)


def _many(results: Results) -> None:
    payments_settle_succeeded_many(results=results, at=AT, actor="scheduler")


def test_settling_many_leaves_what_settling_one_by_one_leaves(mailoutbox: list[Any]) -> None:
    f.publication()
    sub_ids, results = _scenario()
    expected = _outcome(lambda: _one_by_one(results), sub_ids, results, mailoutbox)
    got = _outcome(lambda: _many(results), sub_ids, results, mailoutbox)
    assert got == expected
    # and the one-by-one outcome is what a reader expects of these rows
    periods = [row[STATE_COLUMNS.index("period")] for row in expected["subscriptions"]]
    assert periods == [1, 1, 2, 1, 0]
    assert expected["subscriptions"][1][STATE_COLUMNS.index("plan")] == f.premium_plan().pk
    assert [inv[0] for inv in expected["invoices"]][-5:] == [f"INV/2026-27/{n:06d}" for n in range(7, 12)]
    assert len(expected["mails"]) == 5  # the already settled payment mailed before, and only then
    flagged = Payment.objects.get(pk=results[-1][0])
    assert flagged.status == "created"  # undone: the snapshot above held the flag
    assert "refund it" in expected["payments"][-1][3]


def test_settling_many_again_changes_nothing(mailoutbox: list[Any]) -> None:
    f.publication()
    sub_ids, results = _scenario()
    with transaction.atomic():
        first = payments_settle_succeeded_many(results=results, at=AT, actor="scheduler")
    assert sorted(first) == sorted(pk for pk, _ in results if pk != results[4][0])
    before = _snapshot(sub_ids, [pk for pk, _ in results], [])
    assert payments_settle_succeeded_many(results=results, at=AT + HOUR, actor="scheduler") == []
    assert _snapshot(sub_ids, [pk for pk, _ in results], []) == before


def test_a_renewal_settled_many_gives_access_for_the_new_period() -> None:
    f.publication()
    sub = bought()
    payment_id, ref = _renewal(sub)
    payments_settle_succeeded_many(results=[(payment_id, ref)], at=AT, actor="scheduler")
    sub.refresh_from_db()
    assert (sub.status, sub.period) == ("active", 1)
    assert sub.access_until == sub.current_period_end == END + timedelta(days=31)
    assert Invoice.objects.get(payment_ref=ref).total_minor == monthly_plan().price_minor


def _charge(key: str, mandate: str = "mandate_ok") -> ChargeRequest:
    return ChargeRequest(
        idempotency_key=key,
        amount_minor=30_000,
        currency="INR",
        customer_ref="cust_1",
        mandate_ref=mandate,
        description="Monthly",
        customer_email="r@example.com",
        metadata={},
    )


@pytest.mark.parametrize("books", ["database", "memory"])
def test_charging_many_charges_each_key_once(books: str) -> None:
    gateway = TestGateway(books=MemoryBooks() if books == "memory" else None)
    first = gateway.charge(_charge("k1"))
    answers = gateway.charge_many([_charge("k1"), _charge("k2", "mandate_decline"), _charge("k3", "unavailable")])
    assert answers[0] == first
    assert getattr(answers[1], "status", None) is ChargeStatus.DECLINED
    assert isinstance(answers[2], GatewayUnavailable)
    again = TestGateway(books=gateway.books, decider=lambda req: ChargeStatus.SUCCEEDED).charge_many(
        [_charge("k2"), _charge("k2")]
    )
    assert [a.status for a in again if not isinstance(a, Exception)] == [ChargeStatus.DECLINED] * 2
    if books == "database":
        assert sorted(TestGatewayCharge.objects.values_list("idempotency_key", flat=True)) == ["k1", "k2"]
