"""Writes to partner pools and codes. Every change goes through here, with its audit row."""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import IO, Any

from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.db.models import Q

from broadsheet.billing.entitlements import holds_benefit
from broadsheet.core import clock
from broadsheet.core.site import site_url
from broadsheet.partners import conf
from broadsheet.partners.csvfile import InvalidRow, parse_codes
from broadsheet.partners.models import CODE_MAX_LENGTH, PartnerAudit, PartnerCode, PartnerPool
from broadsheet.partners.rules import ClaimFacts, ClaimOutcome, Eligibility, claim_eligibility, low_stock_alert_due

_CHUNK = 500


# --- import -------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportReport:
    added: int
    duplicates_skipped: int  # twice in the file, or already in the pool
    blank_lines: int
    invalid: tuple[InvalidRow, ...]
    error: str | None  # set when nothing was imported because of the file as a whole

    @property
    def ok(self) -> bool:
        return self.error is None and not self.invalid

    def summary(self) -> str:
        if self.error:
            return f"Nothing imported: {self.error}"
        if self.invalid:
            lines = ", ".join(f"line {row.line} ({row.reason})" for row in self.invalid[:20])
            more = f" and {len(self.invalid) - 20} more" if len(self.invalid) > 20 else ""
            return f"Nothing imported: {len(self.invalid)} invalid rows: {lines}{more}. Fix them and upload again."
        return (
            f"{self.added} codes added, {self.duplicates_skipped} duplicates skipped, "
            f"{self.blank_lines} blank lines skipped."
        )


def _chunks(items: Sequence[str], size: int = _CHUNK) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def pool_import_csv(*, pool: PartnerPool, file: IO[bytes] | Any, actor: Any | None) -> ImportReport:
    """Add the codes of an uploaded CSV to `pool`: all valid rows, or nothing.

    A file that is too large, not UTF-8, not CSV, or has any invalid row imports
    nothing; the report names the problem (with line numbers). Codes already in
    the pool, or repeated in the file, are skipped, so uploading a file again is safe.
    """
    max_bytes = conf.csv_max_bytes()
    parsed = parse_codes(file.read(max_bytes + 1), max_bytes=max_bytes, max_length=CODE_MAX_LENGTH)
    refused = ImportReport(0, parsed.duplicates_in_file, parsed.blank_lines, tuple(parsed.invalid), parsed.error)
    if not refused.ok:
        return refused
    try:
        with transaction.atomic(durable=True):
            added = _add_codes(pool, parsed.codes)
            report = ImportReport(
                added, parsed.duplicates_in_file + len(parsed.codes) - added, parsed.blank_lines, (), None
            )
            _rearm_alert(pool)
            PartnerAudit.objects.create(
                pool=pool,
                user=actor if actor is not None and actor.pk else None,
                action=PartnerAudit.Action.IMPORTED,
                at=clock.now(),
                detail=f"{getattr(file, 'name', None) or 'upload'}: {report.summary()}",
            )
    except IntegrityError:  # another upload to this pool added the same codes at the same moment
        return ImportReport(0, 0, parsed.blank_lines, (), "Another upload to this pool ran at the same time. Retry.")
    return report


def _add_codes(pool: PartnerPool, codes: list[str]) -> int:
    existing: set[str] = set()
    for chunk in _chunks(codes):
        existing.update(PartnerCode.objects.filter(pool=pool, code__in=chunk).values_list("code", flat=True))
    new = [PartnerCode(pool=pool, code=code) for code in codes if code not in existing]
    PartnerCode.objects.bulk_create(new, batch_size=_CHUNK)
    return len(new)


def _rearm_alert(pool: PartnerPool) -> None:
    """Fresh stock above the threshold: the next run-down sends a new alert."""
    if pool.alerted_at is not None and _remaining(pool.pk) >= pool.low_stock_threshold:
        PartnerPool.objects.filter(pk=pool.pk).update(alerted_at=None)
        pool.alerted_at = None


def _remaining(pool_id: int) -> int:
    return PartnerCode.objects.filter(pool_id=pool_id, claimed_at__isnull=True).count()


# --- claim ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ClaimResult:
    outcome: ClaimOutcome
    code: str | None
    partner_name: str

    @property
    def has_code(self) -> bool:
        return self.code is not None


def code_claim(*, pool_id: int, user_id: int, at: datetime) -> ClaimResult:
    """Give the reader one code from the pool: theirs again if they have one, else a free one.

    Race-safe: parallel claims never share a code, and a reader holds at most one
    per pool (a unique index; losing that race returns the code that won).
    Raises PartnerPool.DoesNotExist for an unknown pool.
    """
    with transaction.atomic(durable=True):
        pool = PartnerPool.objects.get(pk=pool_id)
        return _claim(pool, user_id, at)


def _claim(pool: PartnerPool, user_id: int, at: datetime) -> ClaimResult:
    name = pool.partner_name
    mine = _code_of(pool.pk, user_id)
    facts = ClaimFacts(
        has_code=mine is not None,
        holds_benefit=mine is not None or holds_benefit(user_id=user_id, benefit=pool.benefit_code, at=at),
        pool_active=pool.active,
        expires_at=pool.expires_at,
    )
    eligibility = claim_eligibility(facts, now=at)
    if eligibility is Eligibility.ALREADY_CLAIMED:
        return ClaimResult(ClaimOutcome.ALREADY_CLAIMED, mine, name)
    if eligibility is not Eligibility.ELIGIBLE:
        return _refuse(pool, user_id, at, ClaimOutcome(eligibility.value))
    try:
        with transaction.atomic():  # a savepoint: a parallel claim by the same reader may win the unique index
            taken = _take_free_code(pool.pk, user_id, at)
    except IntegrityError:
        return ClaimResult(ClaimOutcome.ALREADY_CLAIMED, _code_of(pool.pk, user_id), name)
    if taken is None:
        result = _refuse(pool, user_id, at, ClaimOutcome.POOL_EMPTY)
        _alert_if_due(pool, at, remaining=0)
        return result
    code_id, code = taken
    PartnerAudit.objects.create(pool=pool, code_id=code_id, user_id=user_id, action=PartnerAudit.Action.CLAIMED, at=at)
    _alert_if_due(pool, at, remaining=_remaining(pool.pk))
    return ClaimResult(ClaimOutcome.CLAIMED, code, name)


def _code_of(pool_id: int, user_id: int) -> str | None:
    return PartnerCode.objects.filter(pool_id=pool_id, claimed_by_id=user_id).values_list("code", flat=True).first()


def _refuse(pool: PartnerPool, user_id: int, at: datetime, outcome: ClaimOutcome) -> ClaimResult:
    PartnerAudit.objects.create(
        pool=pool, user_id=user_id, action=PartnerAudit.Action.CLAIM_REFUSED, at=at, detail=outcome.value
    )
    return ClaimResult(outcome, None, pool.partner_name)


_PG_TAKE = """
UPDATE {table} SET claimed_by_id = %s, claimed_at = %s
WHERE id = (
    SELECT id FROM {table} WHERE pool_id = %s AND claimed_at IS NULL
    ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED
) AND claimed_at IS NULL
RETURNING id, code
"""
_PG_ANY_FREE = "SELECT EXISTS (SELECT 1 FROM {table} WHERE pool_id = %s AND claimed_at IS NULL)"
_PG_RETRIES = 200  # x 10 ms: in-flight claims holding the last rows commit or roll back well within this


def _take_free_code(pool_id: int, user_id: int, at: datetime) -> tuple[int, str] | None:
    """Mark one free code as the reader's in a single statement; None when none is left."""
    if connection.vendor == "postgresql":
        table = connection.ops.quote_name(PartnerCode._meta.db_table)
        with connection.cursor() as cursor:
            # SKIP LOCKED: parallel claims take different rows without waiting. Finding
            # none may only mean the rest are locked by claims that could still roll
            # back; while unclaimed rows exist, try again shortly instead of waiting on
            # their locks (waiting on row locks in id order can deadlock).
            for _ in range(_PG_RETRIES):
                cursor.execute(_PG_TAKE.format(table=table), [user_id, at, pool_id])
                row = cursor.fetchone()
                if row is not None:
                    return int(row[0]), str(row[1])
                cursor.execute(_PG_ANY_FREE.format(table=table), [pool_id])
                any_free = cursor.fetchone()
                if not any_free or not any_free[0]:
                    return None
                time.sleep(0.01)
        return None
    # SQLite runs transactions in IMMEDIATE mode: this block holds the write lock,
    # so claims are serialised. The conditional update keeps it correct anywhere.
    free = PartnerCode.objects.filter(pool_id=pool_id, claimed_at__isnull=True).order_by("pk")
    while (candidate := free.values_list("pk", "code").first()) is not None:
        if PartnerCode.objects.filter(pk=candidate[0], claimed_at__isnull=True).update(
            claimed_by_id=user_id, claimed_at=at
        ):
            return candidate
    return None


# --- low-stock alert ---------------------------------------------------------------


def _alert_if_due(pool: PartnerPool, at: datetime, *, remaining: int) -> None:
    """Once per run-down: mark the pool alerted (one conditional update wins) and mail after commit."""
    due = low_stock_alert_due(
        remaining=remaining, threshold=pool.low_stock_threshold, already_alerted=pool.alerted_at is not None
    )
    if not due or not PartnerPool.objects.filter(pk=pool.pk, alerted_at__isnull=True).update(alerted_at=at):
        return
    pool.alerted_at = at
    recipients = alert_recipients()
    PartnerAudit.objects.create(
        pool=pool,
        action=PartnerAudit.Action.LOW_STOCK_ALERT,
        at=at,
        detail=f"{remaining} codes left (threshold {pool.low_stock_threshold}); "
        f"mailed to {', '.join(recipients) or 'nobody: no recipients configured'}",
    )
    message = _alert_message(pool, remaining, recipients)
    transaction.on_commit(message.send, robust=True)  # a mail failure never fails the reader's claim


def alert_recipients() -> list[str]:
    """Active staff who may change partner pools (superusers included), plus BROADSHEET_PARTNER_ALERT_EMAILS."""
    from django.contrib.auth.models import Permission

    perm = Permission.objects.filter(codename="change_partnerpool", content_type__app_label="partners")
    perm_ids = list(perm.values_list("pk", flat=True))
    may_change = Q(is_superuser=True) | Q(user_permissions__in=perm_ids) | Q(groups__permissions__in=perm_ids)
    staff = get_user_model().objects.filter(may_change, is_active=True, is_staff=True).exclude(email="")
    extra = conf.alert_emails()
    return sorted(set(staff.values_list("email", flat=True)) | set(extra))


def _alert_message(pool: PartnerPool, remaining: int, recipients: list[str]) -> EmailMessage:
    site = site_url()
    state = "has run out" if remaining == 0 else f"is running low: {remaining} left"
    body = (
        f"The pool of partner codes for {pool.partner_name} {state}.\n"
        f"The alert threshold is {pool.low_stock_threshold} unclaimed codes.\n\n"
        f"Upload more codes: {site}/admin/partners/partnerpool/{pool.pk}/upload/\n"
        "You will get one more alert after the next upload runs low again.\n"
    )
    return EmailMessage(subject=f"Partner codes: {pool.partner_name} {state}", body=body, to=recipients)
