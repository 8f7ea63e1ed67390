"""Parallel claims never share a code, never give a reader two, and tell the team once (SQLite and PostgreSQL)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from django.db import connections
from django.utils import timezone

from broadsheet.partners.models import PartnerAudit, PartnerCode
from broadsheet.partners.rules import ClaimOutcome
from broadsheet.partners.services import ClaimResult, code_claim
from tests.partners import builders as b

pytestmark = pytest.mark.django_db(transaction=True)


def in_parallel(calls: list[Callable[[], ClaimResult]]) -> list[ClaimResult]:
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], ClaimResult]) -> ClaimResult:
        barrier.wait()
        try:
            return call()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


def claimer(pool_id: int, user_id: int) -> Callable[[], ClaimResult]:
    return lambda: code_claim(pool_id=pool_id, user_id=user_id, at=timezone.now())


def test_fifty_parallel_claims_over_forty_codes_give_forty_distinct_codes_and_ten_pool_empty(
    mailoutbox: list[Any], settings: Any
) -> None:
    settings.BROADSHEET_PARTNER_ALERT_EMAILS = ["partners@example.com"]
    pool = b.pool(codes=40, low_stock_threshold=5)
    readers = [b.partner_subscriber() for _ in range(50)]

    results = in_parallel([claimer(pool.pk, r.pk) for r in readers])

    claimed = [r for r in results if r.outcome is ClaimOutcome.CLAIMED]
    empty = [r for r in results if r.outcome is ClaimOutcome.POOL_EMPTY]
    assert len(claimed) == 40 and len(empty) == 10
    assert len({r.code for r in claimed}) == 40
    assert all(r.code is None for r in empty)
    rows = PartnerCode.objects.filter(pool=pool, claimed_at__isnull=False)
    assert rows.count() == 40
    assert len(set(rows.values_list("claimed_by", flat=True))) == 40
    assert set(rows.values_list("code", flat=True)) == {r.code for r in claimed}
    assert PartnerAudit.objects.filter(action=PartnerAudit.Action.CLAIMED).count() == 40
    assert PartnerAudit.objects.filter(action=PartnerAudit.Action.CLAIM_REFUSED, detail="pool_empty").count() == 10
    assert len(mailoutbox) == 1  # one low-stock alert, however many claims saw the stock low
    assert PartnerAudit.objects.filter(action=PartnerAudit.Action.LOW_STOCK_ALERT).count() == 1


def test_one_subscriber_claiming_many_times_at_once_gets_one_code() -> None:
    pool = b.pool(codes=40)
    reader = b.partner_subscriber()

    results = in_parallel([claimer(pool.pk, reader.pk) for _ in range(12)])

    assert {r.code for r in results} == {PartnerCode.objects.get(claimed_by=reader).code}
    assert [r.outcome for r in results].count(ClaimOutcome.CLAIMED) == 1
    assert PartnerCode.objects.filter(pool=pool, claimed_at__isnull=False).count() == 1
