"""May this reader claim a partner code now? Pure rules: no Django, no clock, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum


class ClaimOutcome(StrEnum):
    CLAIMED = "claimed"
    ALREADY_CLAIMED = "already_claimed"
    POOL_EMPTY = "pool_empty"
    NOT_ENTITLED = "not_entitled"
    EXPIRED = "expired"


class Eligibility(StrEnum):
    ELIGIBLE = "eligible"  # may take a free code, if one is left
    ALREADY_CLAIMED = "already_claimed"
    NOT_ENTITLED = "not_entitled"
    EXPIRED = "expired"  # the pool has expired or been switched off


@dataclass(frozen=True, slots=True)
class ClaimFacts:
    has_code: bool  # the reader already holds a code from this pool
    holds_benefit: bool  # the reader holds the pool's benefit now
    pool_active: bool
    expires_at: datetime | None


def pool_is_open(*, active: bool, expires_at: datetime | None, now: datetime) -> bool:
    return active and (expires_at is None or now < expires_at)


def claim_eligibility(facts: ClaimFacts, *, now: datetime) -> Eligibility:
    """In order: a reader's own code is always theirs again; then the benefit; then the pool's dates.

    A reader who lost the benefit keeps the code they claimed while they held it,
    but cannot claim a new one.
    """
    if facts.has_code:
        return Eligibility.ALREADY_CLAIMED
    if not facts.holds_benefit:
        return Eligibility.NOT_ENTITLED
    if not pool_is_open(active=facts.pool_active, expires_at=facts.expires_at, now=now):
        return Eligibility.EXPIRED
    return Eligibility.ELIGIBLE


def low_stock_alert_due(*, remaining: int, threshold: int, already_alerted: bool) -> bool:
    """One alert per run-down: when fewer than `threshold` codes remain, or none at all."""
    if already_alerted:
        return False
    return remaining < threshold or remaining == 0


@dataclass(frozen=True, slots=True)
class CodeCheck:
    code: str
    problem: str | None  # None: a usable code


def check_code(raw: str, *, max_length: int) -> CodeCheck:
    """Trim a cell from the CSV and say what, if anything, is wrong with it."""
    code = raw.strip()
    if not code:
        return CodeCheck(code, "blank")
    if len(code) > max_length:
        return CodeCheck(code, f"longer than {max_length} characters")
    if any(ch.isspace() or not ch.isprintable() for ch in code):
        return CodeCheck(code, "contains spaces or control characters")
    return CodeCheck(code, None)
