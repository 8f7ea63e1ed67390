"""`broadsheet partner-demo-pool`: a demo pool of partner codes, created once."""

from __future__ import annotations

import io
import secrets
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.billing.models import Benefit
from broadsheet.partners.models import PartnerPool
from broadsheet.partners.services import pool_import_csv

DEMO_PARTNER = "Partner Publication"
DEMO_CODES = 200
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O or 1/I: codes are read aloud and typed


def demo_code() -> str:
    chars = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"DEMO-{chars[:4]}-{chars[4:]}"


class Command(BaseCommand):
    help = f"Create the demo pool '{DEMO_PARTNER}' with {DEMO_CODES} generated codes, unless it exists."

    def handle(self, *args: Any, **options: Any) -> None:
        self.verbose = options["verbosity"] >= 1
        pool = PartnerPool.objects.filter(partner_name=DEMO_PARTNER).first()
        if pool is not None and pool.codes.exists():
            self._summary(pool, "exists")
            return
        if pool is None:
            pool = PartnerPool.objects.create(
                partner_name=DEMO_PARTNER,
                description="A year of our partner's digital edition, free with your plan. "
                "Redeem the code on the partner's site.",
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
