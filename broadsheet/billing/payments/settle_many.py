"""Many succeeded renewal charges settled at once: the set-based twin of `settlement.payment_settle`.

A renewal run records hundreds of succeeded charges per transaction. Settling
them one by one costs ~30 statements each; here the same rules
(`rules.paid.paid_outcome`, the invoice's `settlement.invoice_request`) run per
row in Python and only the writes are set-wise (tests/billing/
test_settle_many.py checks both paths leave identical rows, invoices and mails).
It stays a writer of the services layer: everything not plainly a renewal goes
through `settlement.payment_settle`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Model
from django.utils import timezone

from broadsheet.billing import conf, locks, notices
from broadsheet.billing.invoices.services import invoices_issue_many
from broadsheet.billing.models import LedgerEntry, Payment, Subscription
from broadsheet.billing.payments.settlement import SUCCEEDED, invoice_request, paid_facts, payment_settle
from broadsheet.billing.rules import paid
from broadsheet.billing.subscriptions.services import STATE_COLUMNS, copy_state, ledger_row, state_of
from broadsheet.core.generations import bump


def payments_settle_succeeded_many(*, results: Sequence[tuple[int, str]], at: datetime, actor: str) -> list[int]:
    """`payment_settle` for many succeeded renewal charges, in a few statements per call.

    `results` pairs a payment id with the gateway's payment id. One
    transaction: the payments not yet succeeded are locked (the others are
    skipped, as `payment_settle` skips them), then their subscriptions; the
    rules of `rules.paid` run per row in Python; payments, subscriptions, ledger
    entries, invoices (one block of numbers) and "renewed" notices are written
    set-wise, and the mails go out after commit through one connection. A row
    the set-based path does not cover (not a renewal, an offer, a refused
    transition, a second payment of one subscription) is settled by
    `payment_settle` in the same transaction, so the outcome is the same as
    settling them one by one. Returns the ids of the payments settled here.
    """
    refs: dict[int, str] = {}
    for payment_id, ref in results:
        refs.setdefault(payment_id, ref)
    with transaction.atomic():
        payments = list(locks.payments_lock(refs).exclude(status=SUCCEEDED))
        bulk, single = _split_for_bulk(payments)
        subs = locks.subscriptions_lock([p.subscription_id for p in bulk if p.subscription_id is not None])
        applied = _outcomes(bulk, subs, at=at, actor=actor, single=single)
        _write_settled([p for p, _ in applied], refs, at=at)
        _write_renewed(applied, subs, at=at)
        for payment in single:
            payment_settle(
                payment_id=payment.pk, outcome="succeeded", at=at, actor=actor, gateway_payment_id=refs[payment.pk]
            )
    return sorted(p.pk for p in payments)


def _split_for_bulk(payments: list[Payment]) -> tuple[list[Payment], list[Payment]]:
    """Plain renewals, one per subscription, go set-wise; anything else one by one."""
    bulk: list[Payment] = []
    single: list[Payment] = []
    taken: set[int] = set()
    for payment in payments:
        sub_id = payment.subscription_id
        plain = payment.kind == Payment.Kind.RENEWAL and payment.offer_id is None
        if plain and sub_id is not None and sub_id not in taken:
            taken.add(sub_id)
            bulk.append(payment)
        else:
            single.append(payment)
    return bulk, single


def _outcomes(
    bulk: list[Payment], subs: dict[int, Subscription], *, at: datetime, actor: str, single: list[Payment]
) -> list[tuple[Payment, paid.PaidOutcome]]:
    """Each renewal's outcome, by the rules `payment_settle` follows; one the lifecycle refuses joins `single`."""
    grace = conf.grace_period()
    applied = []
    for payment in bulk:
        assert payment.subscription_id is not None
        state = state_of(subs[payment.subscription_id])
        outcome = paid.paid_outcome(paid_facts(payment), state, now=at, actor=actor, grace=grace)
        if outcome.step is None:  # payment_settle records it and flags it for a refund
            single.append(payment)
            continue
        applied.append((payment, outcome))
    return applied


def _write_settled(payments: list[Payment], refs: dict[int, str], *, at: datetime) -> None:
    for payment in payments:
        payment.status = SUCCEEDED
        payment.gateway_payment_id = refs[payment.pk] or payment.gateway_payment_id
        payment.message = ""
        payment.settled_at = at
    _update_rows(Payment, payments, ["status", "gateway_payment_id", "message", "settled_at"])


def _write_renewed(
    applied: list[tuple[Payment, paid.PaidOutcome]], subs: dict[int, Subscription], *, at: datetime
) -> None:
    """Subscriptions, ledger, invoices and notices of the renewals applied set-wise."""
    changed, entries = [], []
    stamp = timezone.now()
    for payment, outcome in applied:
        assert payment.subscription_id is not None and outcome.step is not None
        sub, result = subs[payment.subscription_id], outcome.step
        if not result.entry.noop:
            copy_state(sub, result.state)
            sub.updated_at = stamp  # bulk_update leaves auto_now alone
            changed.append(sub)
        entries.append(ledger_row(sub, result.entry))
    if changed:
        _update_rows(Subscription, changed, [*STATE_COLUMNS, "updated_at"])
        bump("subscriptions")  # bulk_update does not call Model.save
    LedgerEntry.objects.bulk_create(entries)
    renewed = [(subs[p.subscription_id], p, outcome) for p, outcome in applied if p.subscription_id is not None]
    requests = [
        invoice_request(p, buyer=sub, service=(sub.current_period_start, sub.current_period_end))
        for sub, p, outcome in renewed
        if outcome.invoice
    ]
    invoices_issue_many(requests=requests, at=at)
    notices.renewed_notices_many(renewals=[(sub, p) for sub, p, outcome in renewed if outcome.receipt], at=at)


def _update_rows(model: type[Model], rows: Sequence[Model], names: Sequence[str]) -> None:
    """Write `names` of many rows: one `UPDATE … FROM (VALUES …)` per 1 000 rows on PostgreSQL.

    Django's bulk_update builds a CASE per row and column, which costs more
    Python time than the whole rest of a renewal; elsewhere (SQLite) it is used as is.
    """
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(rows, list(names))
        return
    meta = model._meta
    fields = [meta.pk, *(meta.get_field(name) for name in names)]
    columns = [connection.ops.quote_name(str(field.column)) for field in fields]  # type: ignore[union-attr]
    row_sql = "(" + ", ".join(f"%s::{field.db_type(connection)}" for field in fields) + ")"
    sets = ", ".join(f"{c} = v.{c}" for c in columns[1:])
    table = connection.ops.quote_name(meta.db_table)
    with connection.cursor() as cursor:
        for start in range(0, len(rows), 1000):
            chunk = rows[start : start + 1000]
            params = [
                field.get_db_prep_save(getattr(row, field.attname), connection)  # type: ignore[union-attr]
                for row in chunk
                for field in fields
            ]
            values = ", ".join([row_sql] * len(chunk))
            cursor.execute(
                f"UPDATE {table} SET {sets} FROM (VALUES {values}) AS v({', '.join(columns)}) "
                f"WHERE {table}.{columns[0]} = v.{columns[0]}",
                params,
            )
