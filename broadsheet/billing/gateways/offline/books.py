"""The offline gateway's books: what a real gateway keeps on its servers (checkout sessions, charges).

DatabaseBooks (the TestGatewaySession and TestGatewayCharge tables) by default, so every worker
of the demo sees the same sessions; MemoryBooks for unit tests of one process.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from broadsheet.billing.models import TestGatewayCharge, TestGatewaySession


@dataclass(slots=True)
class SessionRecord:
    session_id: str
    idempotency_key: str
    amount_minor: int
    currency: str
    description: str
    customer_email: str
    return_url: str
    cancel_url: str
    metadata: dict[str, str]
    status: str = "open"  # open, paid, declined, pending, cancelled
    payment_id: str = ""


@dataclass(frozen=True, slots=True)
class ChargeRecord:
    idempotency_key: str
    payment_id: str
    amount_minor: int
    currency: str
    status: str
    mandate_ref: str


class Books(Protocol):
    def session_open(self, record: SessionRecord) -> SessionRecord: ...
    def session_get(self, session_id: str) -> SessionRecord | None: ...
    def session_close(self, session_id: str, *, status: str, payment_id: str, only_from: tuple[str, ...]) -> bool: ...
    def charge_get(self, idempotency_key: str) -> ChargeRecord | None: ...
    def charge_add(self, record: ChargeRecord) -> ChargeRecord: ...
    def charges_get(self, keys: Sequence[str]) -> dict[str, ChargeRecord]: ...
    def charges_add(self, records: Sequence[ChargeRecord]) -> dict[str, ChargeRecord]: ...


class MemoryBooks:
    """Books in a dict, for unit tests of one process."""

    def __init__(self) -> None:
        self.sessions: dict[str, SessionRecord] = {}
        self.charges: dict[str, ChargeRecord] = {}

    def session_open(self, record: SessionRecord) -> SessionRecord:
        return self.sessions.setdefault(record.session_id, record)

    def session_get(self, session_id: str) -> SessionRecord | None:
        return self.sessions.get(session_id)

    def session_close(self, session_id: str, *, status: str, payment_id: str, only_from: tuple[str, ...]) -> bool:
        record = self.sessions.get(session_id)
        if record is None or record.status not in only_from:
            return False
        record.status, record.payment_id = status, payment_id
        return True

    def charge_get(self, idempotency_key: str) -> ChargeRecord | None:
        return self.charges.get(idempotency_key)

    def charge_add(self, record: ChargeRecord) -> ChargeRecord:
        return self.charges.setdefault(record.idempotency_key, record)

    def charges_get(self, keys: Sequence[str]) -> dict[str, ChargeRecord]:
        return {key: self.charges[key] for key in keys if key in self.charges}

    def charges_add(self, records: Sequence[ChargeRecord]) -> dict[str, ChargeRecord]:
        return {r.idempotency_key: self.charge_add(r) for r in records}


class DatabaseBooks:
    """Books in the TestGatewaySession and TestGatewayCharge tables, shared by every process."""

    def session_open(self, record: SessionRecord) -> SessionRecord:
        row, _ = TestGatewaySession.objects.get_or_create(
            idempotency_key=record.idempotency_key,
            defaults={
                "session_id": record.session_id,
                "amount_minor": record.amount_minor,
                "currency": record.currency,
                "description": record.description[:240],
                "customer_email": record.customer_email,
                "return_url": record.return_url,
                "cancel_url": record.cancel_url,
                "metadata": dict(record.metadata),
            },
        )
        return _session_record(row)

    def session_get(self, session_id: str) -> SessionRecord | None:
        row = TestGatewaySession.objects.filter(session_id=session_id).first()
        return _session_record(row) if row is not None else None

    def session_close(self, session_id: str, *, status: str, payment_id: str, only_from: tuple[str, ...]) -> bool:
        changed = TestGatewaySession.objects.filter(session_id=session_id, status__in=only_from).update(
            status=status, payment_id=payment_id
        )
        return bool(changed)

    def charge_get(self, idempotency_key: str) -> ChargeRecord | None:
        row = TestGatewayCharge.objects.filter(idempotency_key=idempotency_key).first()
        return _charge_record(row) if row is not None else None

    def charge_add(self, record: ChargeRecord) -> ChargeRecord:
        return self.charges_add([record])[record.idempotency_key]

    def charges_get(self, keys: Sequence[str]) -> dict[str, ChargeRecord]:
        rows = TestGatewayCharge.objects.filter(idempotency_key__in=list(keys))
        return {row.idempotency_key: _charge_record(row) for row in rows}

    def charges_add(self, records: Sequence[ChargeRecord]) -> dict[str, ChargeRecord]:
        """Record charges once per key: INSERT … ON CONFLICT DO NOTHING, then what the books hold for them.

        A key charged meanwhile by another process keeps that first charge.
        """
        TestGatewayCharge.objects.bulk_create(
            [
                TestGatewayCharge(
                    idempotency_key=r.idempotency_key,
                    payment_id=r.payment_id,
                    amount_minor=r.amount_minor,
                    currency=r.currency,
                    status=r.status,
                    mandate_ref=r.mandate_ref[:120],
                )
                for r in records
            ],
            ignore_conflicts=True,
        )
        return self.charges_get([r.idempotency_key for r in records])


def _session_record(row: Any) -> SessionRecord:
    return SessionRecord(
        session_id=row.session_id,
        idempotency_key=row.idempotency_key,
        amount_minor=row.amount_minor,
        currency=row.currency,
        description=row.description,
        customer_email=row.customer_email,
        return_url=row.return_url,
        cancel_url=row.cancel_url,
        metadata=dict(row.metadata),
        status=row.status,
        payment_id=row.payment_id,
    )


def _charge_record(row: Any) -> ChargeRecord:
    return ChargeRecord(
        row.idempotency_key, row.payment_id, row.amount_minor, row.currency, row.status, row.mandate_ref
    )
