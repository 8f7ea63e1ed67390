"""Uploading a CSV of codes into a pool: counts, line numbers, and never a half import."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from broadsheet.partners.models import PartnerAudit, PartnerCode, PartnerPool
from broadsheet.partners.services import code_claim, pool_import_csv
from tests.partners import builders as b

pytestmark = pytest.mark.django_db


def upload(pool: PartnerPool, data: bytes, actor: Any = None) -> Any:
    return pool_import_csv(pool=pool, file=SimpleUploadedFile("codes.csv", data, "text/csv"), actor=actor)


def codes_of(pool: PartnerPool) -> list[str]:
    return list(PartnerCode.objects.filter(pool=pool).order_by("pk").values_list("code", flat=True))


def test_a_clean_file_with_a_bom_header_and_blank_lines_is_imported_and_audited() -> None:
    pool = b.pool(codes=0)
    manager = b.user("manager@example.com")
    report = upload(pool, b"\xef\xbb\xbfcode\r\nAAA-1\r\n\r\nBBB-2\r\nhttps://partner.example/r/CCC-3\r\n", manager)
    assert report.ok
    assert (report.added, report.duplicates_skipped, report.blank_lines) == (3, 0, 1)
    assert codes_of(pool) == ["AAA-1", "BBB-2", "https://partner.example/r/CCC-3"]
    audit = PartnerAudit.objects.get(action=PartnerAudit.Action.IMPORTED)
    assert audit.user == manager and "codes.csv" in audit.detail and "3 codes added" in audit.detail


def test_duplicates_in_the_file_and_in_the_pool_are_skipped_and_counted() -> None:
    pool = b.pool(codes=0)
    upload(pool, b"AAA\nBBB\n")
    report = upload(pool, b"BBB\nCCC\nCCC\nAAA\nDDD\n")
    assert (report.added, report.duplicates_skipped) == (2, 3)
    assert codes_of(pool) == ["AAA", "BBB", "CCC", "DDD"]


def test_uploading_the_same_file_twice_adds_nothing_the_second_time() -> None:
    pool = b.pool(codes=0)
    data = b"code\n" + b"\n".join(f"X-{i}".encode() for i in range(1200)) + b"\n"
    assert upload(pool, data).added == 1200
    again = upload(pool, data)
    assert (again.added, again.duplicates_skipped) == (0, 1200)
    assert PartnerCode.objects.filter(pool=pool).count() == 1200


def test_the_same_code_may_be_in_two_pools() -> None:
    one, two = b.pool(codes=0), b.pool(codes=0)
    assert upload(one, b"SHARED\n").added == 1
    assert upload(two, b"SHARED\n").added == 1


def test_a_file_with_invalid_rows_imports_nothing_and_names_the_lines() -> None:
    pool = b.pool(codes=0)
    report = upload(pool, b"code\nGOOD-1\n,forgot the code\nGOOD 2\nGOOD-3\n")
    assert not report.ok and report.added == 0
    assert [(r.line, r.reason) for r in report.invalid] == [
        (3, "no code in the first column"),
        (4, "contains spaces or control characters"),
    ]
    assert "line 3" in report.summary() and "line 4" in report.summary()
    assert codes_of(pool) == []
    assert not PartnerAudit.objects.exists()


def test_invalid_utf8_imports_nothing() -> None:
    pool = b.pool(codes=0)
    report = upload(pool, "code\nAAA\nBÄB\n".encode("latin-1"))
    assert report.error is not None and "not UTF-8" in report.error and "line 3" in report.error
    assert codes_of(pool) == []


def test_an_oversize_file_imports_nothing(settings: Any) -> None:
    settings.BROADSHEET_PARTNER_CSV_MAX_BYTES = 100
    pool = b.pool(codes=0)
    report = upload(pool, b"\n".join(f"CODE-{i:05d}".encode() for i in range(50)))
    assert report.error is not None and "larger than 100 bytes" in report.error
    assert codes_of(pool) == []


def test_a_code_longer_than_the_column_is_an_invalid_row() -> None:
    pool = b.pool(codes=0)
    report = upload(pool, b"OK\n" + b"https://partner.example/" + b"x" * 600 + b"\n")
    assert [(r.line, r.reason) for r in report.invalid] == [(2, "longer than 500 characters")]
    assert codes_of(pool) == []


def test_a_plain_binary_file_object_works_too() -> None:
    pool = b.pool(codes=0)
    report = pool_import_csv(pool=pool, file=io.BytesIO(b"ONE\nTWO\n"), actor=None)
    assert report.added == 2
    assert PartnerAudit.objects.get(action=PartnerAudit.Action.IMPORTED).user is None


def test_new_stock_above_the_threshold_rearms_the_low_stock_alert() -> None:
    pool = b.pool(codes=2, low_stock_threshold=2)
    code_claim(pool_id=pool.pk, user_id=b.partner_subscriber().pk, at=timezone.now())
    pool.refresh_from_db()
    assert pool.alerted_at is not None
    upload(pool, b"NEW-1\nNEW-2\n")
    pool.refresh_from_db()
    assert pool.alerted_at is None
