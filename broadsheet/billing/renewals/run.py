"""The renewal run: pre-debit notices, renewal charges, retries and expiries of due subscriptions.

Gathering and acting only; what to do with each row is `renewal_rules.decide`,
and every change of state goes through `billing.services`. One run:

1. selects the ids of rows that may be due, with one indexed query per kind of
   due-ness (`_due_ids`);
2. in batches (BROADSHEET_RENEWAL_BATCH), claims the batch's rows so a second
   worker running at the same time skips them (PostgreSQL session advisory
   locks, held across the gateway calls and released after the batch; SQLite
   has one writer and needs none), loads them with their pre-debit notices,
   decides, and acts.

Crash safety of a charge: the Payment row and its idempotency key are created
and committed first; the gateway is called outside any transaction
(`charging.charges_ask`); then the outcome is recorded by `payment_settle`. The key is a function of the row's
state (period and attempt, `renewal_rules.attempt_of`), which a crash between
charge and record leaves untouched, so the next run asks the gateway again with
the same key and records the one charge the gateway already made.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, fields
from datetime import datetime

from django.db import connection, transaction

from broadsheet.billing import conf, notices
from broadsheet.billing.gateways.base import ChargeResult, ChargeStatus, Gateway
from broadsheet.billing.gateways.registry import configured_gateways, get_gateway
from broadsheet.billing.models import BillingNotice, Payment, Subscription
from broadsheet.billing.payments.settle_many import payments_settle_succeeded_many
from broadsheet.billing.payments.settlement import NewPayment, payment_settle, payments_create_many
from broadsheet.billing.renewals.charging import Answer, Charge, charges_ask
from broadsheet.billing.rules import renewal as renewal_rules
from broadsheet.billing.rules.lifecycle import Event, IllegalTransition
from broadsheet.billing.rules.pricing import PriceChange
from broadsheet.billing.rules.renewal import Action, Facts, Policy
from broadsheet.billing.subscriptions.plan_prices import price_changes_by_plan, price_of
from broadsheet.billing.subscriptions.services import subscription_apply

log = logging.getLogger(__name__)

ACTOR = "scheduler"
ADVISORY_LOCK_SPACE = 0x5245  # "RE": the first key of the (int4, int4) advisory locks on subscriptions
Status = Subscription.Status


@dataclass
class RenewalSummary:
    """What one run did, per outcome."""

    notices: int = 0  # pre-debit notices sent
    charged: int = 0  # charges that succeeded (renewals and retries)
    declined: int = 0  # charges declined (or needing the reader's approval)
    retried: int = 0  # of the charges above, how many were retries of a past-due period
    pending: int = 0  # charges the gateway will confirm later, by webhook
    expired: int = 0
    unavailable: int = 0  # the gateway did not answer: tried again next run with the same key
    errors: int = 0  # the gateway refused the request (configuration): see the log
    skipped: int = 0  # due, but already done by another run or refused by the lifecycle
    seen: int = 0  # rows looked at

    def as_dict(self) -> dict[str, int]:
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def line(self) -> str:
        return (
            f"{self.notices} notices sent, {self.charged} charged, {self.declined} declined, "
            f"{self.retried} retried, {self.expired} expired, {self.unavailable} gateway unavailable, "
            f"{self.pending} pending, {self.errors} errors, {self.skipped} skipped"
        )


@dataclass(frozen=True, slots=True)
class Share:
    """One of `of` runs side by side, each taking the due rows whose id leaves `index` when divided by
    `of`: several workers (or `renew --share K/N` in several shells) renew at once without asking for the same
    rows. The advisory locks still stand behind it, so overlapping shares never charge a row twice."""

    index: int
    of: int

    def __post_init__(self) -> None:
        if self.of < 1 or not 0 <= self.index < self.of:
            raise ValueError(f"share {self.index} of {self.of}: the index is from 0 to {self.of - 1}")

    def holds(self, pk: int) -> bool:
        return pk % self.of == self.index


Progress = Callable[[int, int, RenewalSummary], None]
AfterCharge = Callable[[Payment], None]


# --- settings ---------------------------------------------------------------------------


@dataclass
class _Run:
    now: datetime
    policy: Policy
    gateway_names: frozenset[str]
    changes: dict[int, list[PriceChange]]
    after_charge: AfterCharge | None
    summary: RenewalSummary = field(default_factory=RenewalSummary)
    gateways: threading.local = field(default_factory=threading.local)

    def gateway(self, name: str) -> Gateway:
        """One instance per gateway and thread, kept for the run."""
        mine: dict[str, Gateway] = self.gateways.__dict__.setdefault("by_name", {})
        if name not in mine:
            mine[name] = get_gateway(name)
        return mine[name]

    def count(self, outcome: str) -> None:
        setattr(self.summary, outcome, getattr(self.summary, outcome) + 1)


# --- the run ----------------------------------------------------------------------------


def renewal_run(
    *,
    now: datetime,
    gateway_name: str | None = None,
    limit: int | None = None,
    progress: Progress | None = None,
    after_charge: AfterCharge | None = None,
    share: Share | None = None,
) -> RenewalSummary:
    """Do everything that is due at `now`; safe to run twice, and alongside another run. With `share`,
    only that share of the due rows."""
    names = frozenset(configured_gateways()) if gateway_name is None else frozenset({gateway_name})
    run = _Run(
        now=now,
        policy=conf.renewal_policy(),
        gateway_names=names,
        changes=price_changes_by_plan(),
        after_charge=after_charge,
    )
    ids = _due_ids(run)
    if share is not None:
        ids = [pk for pk in ids if share.holds(pk)]
    if limit is not None:
        ids = ids[:limit]
    size = conf.renewal_batch()
    for start in range(0, len(ids), size):
        _batch(run, ids[start : start + size])
        if progress is not None:
            progress(min(start + size, len(ids)), len(ids), run.summary)
    return run.summary


def _due_ids(run: _Run) -> list[int]:
    """Ids of rows that may have something due, one indexed query per reason, oldest id first."""
    now, horizon = run.now, run.now + run.policy.notice_before
    subs = Subscription.objects.all()
    chargeable = dict(gateway__in=run.gateway_names, gateway_ref="")
    queries = [
        subs.filter(status=Status.ACTIVE, current_period_end__lte=horizon, auto_renew=True, **chargeable).exclude(
            mandate_ref=""
        ),
        subs.filter(status=Status.ACTIVE, current_period_end__lte=now, auto_renew=False),
        subs.filter(status=Status.ACTIVE, access_ends_at__lte=now),
        subs.filter(status=Status.PAST_DUE, next_retry_at__lte=now),
        subs.filter(status=Status.PAST_DUE, grace_ends_at__lte=now),
    ]
    found: set[int] = set()
    for query in queries:
        found.update(query.values_list("pk", flat=True))
    return sorted(found)


def _batch(run: _Run, ids: list[int]) -> None:
    claimed = _claim(ids)
    run.summary.skipped += len(ids) - len(claimed)
    try:
        rows = list(Subscription.objects.filter(pk__in=claimed).select_related("plan", "pending_plan", "user"))
        sent = _notices_sent(claimed)
        charges: list[tuple[Subscription, Facts, Action]] = []
        for sub in rows:
            run.summary.seen += 1
            facts = _facts(run, sub, sent.get((sub.pk, f"p{sub.period + 1}")))
            action = renewal_rules.decide(facts, run.policy, run.now)
            if action in (Action.CHARGE, Action.RETRY):
                charges.append((sub, facts, action))
            else:
                _act(run, sub, facts, action)
        if charges:
            _charge_all(run, charges)
    finally:
        _release(claimed)


def _claim(ids: list[int]) -> list[int]:
    """The ids no other run is working on, now held by this one (PostgreSQL; elsewhere all of them)."""
    if connection.vendor != "postgresql" or not ids:
        return ids
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id FROM unnest(%s::int[]) AS id WHERE pg_try_advisory_lock(%s, id) ORDER BY id",
            [ids, ADVISORY_LOCK_SPACE],
        )
        return [row[0] for row in cursor.fetchall()]


def _release(ids: Sequence[int]) -> None:
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_unlock(%s, id) FROM unnest(%s::int[]) AS id", [ADVISORY_LOCK_SPACE, list(ids)]
        )


def _notices_sent(ids: Iterable[int]) -> dict[tuple[int, str], datetime]:
    rows = BillingNotice.objects.filter(subscription_id__in=list(ids), kind=BillingNotice.Kind.PRE_DEBIT)
    return {(sub_id, key): at for sub_id, key, at in rows.values_list("subscription_id", "key", "sent_at")}


def _facts(run: _Run, sub: Subscription, notice_sent_at: datetime | None) -> Facts:
    renewable = renewal_rules.can_renew(mandate_ref=sub.mandate_ref, gateway_ref=sub.gateway_ref)
    chargeable = renewable and not sub.gateway_ref and sub.gateway in run.gateway_names
    return Facts(
        status=sub.status,
        auto_renew=sub.auto_renew,
        chargeable=chargeable,
        period_end=sub.current_period_end,
        access_ends_at=sub.access_ends_at,
        next_retry_at=sub.next_retry_at,
        grace_ends_at=sub.grace_ends_at,
        notice_sent_at=notice_sent_at,
    )


# --- acting ------------------------------------------------------------------------------


def _act(run: _Run, sub: Subscription, facts: Facts, action: Action) -> None:
    if action is Action.NOTICE:
        _notice(run, sub, facts)
    elif action in (Action.END_PERIOD, Action.END_GRACE):
        _expire(run, sub, Event.PERIOD_ENDED if action is Action.END_PERIOD else Event.GRACE_ENDED)


def _notice(run: _Run, sub: Subscription, facts: Facts) -> None:
    charge_at = renewal_rules.charge_at(facts, run.policy)
    plan, amount = price_of(sub, run.changes.get(sub.pending_plan_id or sub.plan_id, []), charge_at)
    charge_on = max(charge_at, run.now + run.policy.min_notice)
    sent = notices.pre_debit_notice(subscription=sub, plan=plan, amount_minor=amount, charge_on=charge_on, at=run.now)
    run.count("notices" if sent else "skipped")


def _expire(run: _Run, sub: Subscription, event: Event) -> None:
    try:
        with transaction.atomic():
            ended = subscription_apply(
                subscription_id=sub.pk, event=event, at=run.now, actor=ACTOR, reason=f"renewal run: {event}"
            )
            notices.expired_notice(subscription=ended, at=run.now)
    except IllegalTransition as refused:  # another run, a resume or a payment got there first
        log.info("subscription %s not expired: %s", sub.pk, refused)
        run.count("skipped")
        return
    run.count("expired")


# --- charging: payments committed, then the gateway, then the outcomes -------------------


def _charge_all(run: _Run, charges: list[tuple[Subscription, Facts, Action]]) -> None:
    """Charge a batch's due periods, each once.

    The payment rows (and their keys) are committed first, together; the
    gateway is asked outside any transaction (several at once on PostgreSQL);
    the outcomes are recorded `conf.renewal_record_chunk()` to a transaction. A crash
    anywhere leaves rows in `created` that the next run charges again with the
    same key, which the gateway answers from its books.
    """
    with transaction.atomic():
        payments = payments_create_many(payments=[_new_payment(run, sub, facts) for sub, facts, _ in charges])
    created = [(sub, payment, action) for (sub, _, action), payment in zip(charges, payments, strict=True)]
    due = [(sub, payment, action) for sub, payment, action in created if payment.status == Payment.Status.CREATED]
    run.summary.skipped += len(created) - len(due)  # settled by another run, or waiting for a webhook
    answers = charges_ask(due, run.gateway)
    if run.after_charge is not None:
        for (_, payment, _), answer in zip(due, answers, strict=True):
            if isinstance(answer, ChargeResult):
                run.after_charge(payment)
    size = conf.renewal_record_chunk()
    for start in range(0, len(due), size):
        with transaction.atomic():
            _record_chunk(run, due[start : start + size], answers[start : start + size])


def _record_chunk(run: _Run, due: list[Charge], answers: list[Answer]) -> None:
    """One transaction's outcomes: the succeeded ones set-wise, the rest (and any the set refused) one by one."""
    paid = {
        payment.pk
        for (_, payment, _), answer in zip(due, answers, strict=True)
        if isinstance(answer, ChargeResult) and answer.status is ChargeStatus.SUCCEEDED
    }
    if not _record_paid(run, due, answers, paid):
        paid = set()
    for (sub, payment, action), answer in zip(due, answers, strict=True):
        if payment.pk in paid:
            outcome = "charged"
        else:
            try:
                outcome = answer if isinstance(answer, str) else _record(run, sub, payment, answer)
            except Exception:  # left in `created`: the next run asks the gateway again, same key
                log.exception("renewal of subscription %s: recording payment %s failed", sub.pk, payment.pk)
                outcome = "errors"
        run.count(outcome)
        if action is Action.RETRY and outcome in ("charged", "declined", "pending"):
            run.summary.retried += 1


def _record_paid(run: _Run, due: list[Charge], answers: list[Answer], paid: set[int]) -> bool:
    """The succeeded charges in one set-based settle; False (nothing kept) if it failed, to retry them one by one."""
    results = [
        (payment.pk, answer.gateway_payment_id)
        for (_, payment, _), answer in zip(due, answers, strict=True)
        if payment.pk in paid and isinstance(answer, ChargeResult)
    ]
    if not results:
        return True
    try:
        with transaction.atomic():
            payments_settle_succeeded_many(results=results, at=run.now, actor=ACTOR)
    except Exception:
        log.exception("renewal run: settling %s charges together failed; settling them one by one", len(results))
        return False
    return True


def _new_payment(run: _Run, sub: Subscription, facts: Facts) -> NewPayment:
    charge_at = renewal_rules.charge_at(facts, run.policy)
    plan, amount = price_of(sub, run.changes.get(sub.pending_plan_id or sub.plan_id, []), charge_at)
    return NewPayment(
        user_id=sub.user_id,
        plan=plan,
        kind=Payment.Kind.RENEWAL,
        amount_minor=amount,
        at=run.now,
        gateway=sub.gateway,
        subscription_id=sub.pk,
        period=sub.period + 1,
        attempt=renewal_rules.attempt_of(status=sub.status, retry_count=sub.retry_count),
    )


def _record(run: _Run, sub: Subscription, payment: Payment, result: ChargeResult) -> str:
    """The gateway's answer, recorded once; a decline's notice commits with it."""
    with transaction.atomic():
        settled = payment_settle(
            payment_id=payment.pk,
            outcome=result.status.value,
            at=run.now,
            actor=ACTOR,
            gateway_payment_id=result.gateway_payment_id,
            message=result.message,
        )
        if settled.status == Payment.Status.DECLINED:
            after = Subscription.objects.select_related("plan", "user").get(pk=sub.pk)
            notices.renewal_failed_notice(subscription=after, payment=settled, at=run.now)
    return {Payment.Status.SUCCEEDED: "charged", Payment.Status.DECLINED: "declined"}.get(
        Payment.Status(settled.status), "pending"
    )
