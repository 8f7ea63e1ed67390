"""`broadsheet partner-demo-pool`: a demo pool of partner codes, created once."""

from __future__ import annotations

import io
import secrets
from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.billing.models import Benefit
from broadsheet.core import clock
from broadsheet.partners.models import PartnerPool
from broadsheet.partners.services import pool_import_csv

DEMO_PARTNER = "The Deccan Ledger"
OLD_DEMO_PARTNER = "Partner Publication"  # the demo pool's name before it named its partner
DEMO_DETAILS = {
    "description": "Our partner paper in Hyderabad, free for a year with your plan.",
    "includes": "A year of The Deccan Ledger's digital edition: every story, its e-paper and newsletters.",
    "redeem_url": "https://deccan-ledger.example/redeem",
}
CODE_VALID_DAYS = 180
DEMO_CODES = 200
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed


def demo_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"DEMO-{chars[:4]}-{chars[4:]}"


class Command(BaseCommand):
    help = f"Create the demo pool '{DEMO_PARTNER}' with {DEMO_CODES} generated codes, unless it exists."

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbose = options["verbosity"] >= 1
        pool = PartnerPool.objects.filter(partner_name__in=[DEMO_PARTNER, OLD_DEMO_PARTNER]).first()
        if pool is not None and not pool.redeem_url:
            # A demo database from before pools named their partner: give it the details.
            pool.partner_name = DEMO_PARTNER
            for name, value in DEMO_DETAILS.items():
                setattr(pool, name, value)
            pool.code_valid_until = pool.code_valid_until or clock.now() + timedelta(days=CODE_VALID_DAYS)
            pool.save()
        if pool is not None and pool.codes.exists():
            self._summary(pool, "exists")
            return
        if pool is None:
            pool = PartnerPool.objects.create(
                partner_name=DEMO_PARTNER,
                **DEMO_DETAILS,
                code_valid_until=clock.now() + timedelta(days=CODE_VALID_DAYS),
                benefit_code="partner",
                low_stock_threshold=20,
            )
        codes: set[str] = set()
        while len(codes) < DEMO_CODES:
            codes.add(demo_code())
        csv_bytes = ("code\n" + "\n".join(sorted(codes)) + "\n").encode()
        report = pool_import_csv(pool=pool, file=io.BytesIO(csv_bytes), actor=None)
        if not report.ok:
            raise CommandError(report.summary())
        self._summary(pool, "created")

    verbose = True

    def _summary(self, pool: PartnerPool, how: str) -> None:
        if not self.verbose:
            return
        free = pool.codes.filter(claimed_at__isnull=True).count()
        total = pool.codes.count()
        self.stdout.write(self.style.SUCCESS(f"partner pool '{pool.partner_name}' {how}: {free} of {total} free"))
        if not Benefit.objects.filter(code=pool.benefit_code).exists():
            self.stdout.write(
                self.style.WARNING(f"no benefit '{pool.benefit_code}' yet: no plan lets readers claim these codes")
            )
