"""`broadsheet partner-demo-pool`: creates the demo pool once."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from broadsheet.partners.management.commands.partner_demo_pool import DEMO_PARTNER
from broadsheet.partners.models import PartnerCode, PartnerPool

pytestmark = pytest.mark.django_db


def run() -> str:
    out = io.StringIO()
    call_command("partner_demo_pool", stdout=out)
    return out.getvalue()


def test_the_demo_pool_is_created_once_with_two_hundred_codes() -> None:
    first = run()
    assert "created: 200 of 200 free" in first
    pool = PartnerPool.objects.get(partner_name=DEMO_PARTNER)
    codes = list(PartnerCode.objects.filter(pool=pool).values_list("code", flat=True))
    assert len(set(codes)) == 200 and all(c.startswith("DEMO-") for c in codes)
    second = run()
    assert "exists: 200 of 200 free" in second
    assert PartnerPool.objects.count() == 1 and PartnerCode.objects.count() == 200
