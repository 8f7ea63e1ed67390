"""Reads for the account page: the partner pools a reader sees, and where they stand in each."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q

from broadsheet.billing.entitlements import holds_benefit
from broadsheet.partners.models import PartnerCode, PartnerPool
from broadsheet.partners.rules import ClaimFacts, Eligibility, claim_eligibility


@dataclass(frozen=True, slots=True)
class PoolForReader:
    pool_id: int
    partner_name: str
    description: str
    includes: str
    redeem_url: str
    code_valid_until: datetime | None
    expires_at: datetime | None
    state: Eligibility  # ALREADY_CLAIMED shows the code; ELIGIBLE shows the Claim button
    code: str | None
    code_is_link: bool
    claimed_at: datetime | None


def partner_pools_for_reader(*, user_id: int, at: datetime) -> list[PoolForReader]:
    """Open pools, and any pool the reader already holds a code from (shown again even after it closes)."""
    mine = {
        c.pool_id: c for c in PartnerCode.objects.filter(claimed_by_id=user_id).only("pool_id", "code", "claimed_at")
    }
    pools = PartnerPool.objects.filter(
        Q(active=True, expires_at__isnull=True) | Q(active=True, expires_at__gt=at) | Q(pk__in=list(mine))
    )
    result = []
    for pool in pools:
        code = mine.get(pool.pk)
        facts = ClaimFacts(
            has_code=code is not None,
            holds_benefit=code is not None or holds_benefit(user_id=user_id, benefit=pool.benefit_code, at=at),
            pool_active=pool.active,
            expires_at=pool.expires_at,
        )
        result.append(
            PoolForReader(
                pool_id=pool.pk,
                partner_name=pool.partner_name,
                description=pool.description,
                includes=pool.includes,
                redeem_url=pool.redeem_url,
                code_valid_until=pool.code_valid_until,
                expires_at=pool.expires_at,
                state=claim_eligibility(facts, now=at),
                code=code.code if code else None,
                code_is_link=bool(code and code.is_link),
                claimed_at=code.claimed_at if code else None,
            )
        )
    return result
