"""What a paid payment changes (`rules.paid`), the rules both settlement paths follow (no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

from broadsheet.billing.rules import paid
from broadsheet.billing.rules.lifecycle import DEFAULT_GRACE, Event, Status, new_subscription, transition

NOW = datetime(2027, 3, 1, 10, 0, tzinfo=UTC)


def payment(kind: str, **facts: object) -> paid.PaidPayment:
    base: dict[str, object] = {
        "kind": kind,
        "label": kind.title(),
        "period": 0,
        "plan_id": 1,
        "period_months": 1,
        "amount_minor": 29_900,
    }
    return paid.PaidPayment(**{**base, **facts})  # type: ignore[arg-type]


def outcome(facts: paid.PaidPayment, state: object) -> paid.PaidOutcome:
    return paid.paid_outcome(facts, state, now=NOW, actor="test", grace=DEFAULT_GRACE)  # type: ignore[arg-type]


def test_a_first_payment_activates_with_its_offer_and_trial_days_and_is_invoiced_and_receipted() -> None:
    pending = new_subscription(plan_id=1, period_months=1, now=NOW)
    result = outcome(payment(paid.FIRST, offer_days=3, trial_days=7), pending)
    assert result.step is not None and result.step.state.status is Status.ACTIVE
    plain = outcome(payment(paid.FIRST), pending)
    assert plain.step is not None
    assert result.step.state.period_end - plain.step.state.period_end == timedelta(days=10)
    assert (result.invoice, result.receipt, result.confirm_offer, result.refund_due) == (True, True, True, False)


def test_a_plan_held_already_is_never_applied_and_is_flagged_for_its_refund() -> None:
    result = outcome(payment(paid.FIRST, held_already=True), None)
    assert result.step is None and result.refund_due and result.message == paid.PAID_TWICE
    assert (result.invoice, result.receipt, result.confirm_offer) == (True, False, False)


def test_a_gift_moves_the_gift_only_and_a_free_one_has_no_invoice() -> None:
    result = outcome(payment(paid.GIFT, amount_minor=0), None)
    assert result.gift_paid and result.step is None and not result.invoice and result.receipt


def test_a_renewal_moves_the_period_on_and_a_refused_one_keeps_the_money_for_a_refund() -> None:
    pending = new_subscription(plan_id=1, period_months=1, now=NOW)
    active = transition(pending, Event.PAYMENT_SUCCEEDED, now=NOW, period=0)
    renewed = outcome(payment(paid.RENEWAL, period=1, offer_days=5), active.state)
    assert renewed.step is not None and renewed.step.state.period == 1 and renewed.step.entry.reason == "Renewal paid"
    assert renewed.step.state.period_end > active.state.period_end
    without_offer = outcome(payment(paid.RENEWAL, period=1), active.state).step
    assert without_offer is not None and without_offer.state == renewed.step.state  # extra days: first payments only
    refused = outcome(payment(paid.RENEWAL, period=1), replace(active.state, auto_renew=False))  # renewal is off
    assert refused.step is None and refused.refused and refused.message.endswith("refund it.")
    assert refused.invoice and refused.receipt and refused.confirm_offer
