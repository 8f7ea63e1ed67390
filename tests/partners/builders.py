"""Builders for partner-access tests: a plan granting the "partner" benefit, its subscribers, pools."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

from django.utils import timezone

from broadsheet.billing.models import Benefit, Plan, Subscription
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.partners.models import PartnerCode, PartnerPool
from broadsheet.readers.models import User

_seq = itertools.count(1)


def partner_plan() -> Plan:
    plan, _ = Plan.objects.get_or_create(
        slug="smart-essential", defaults={"name": "Smart Essential", "price_minor": 270000, "period_months": 12}
    )
    benefit, _ = Benefit.objects.get_or_create(code="partner", defaults={"name": "Partner publication access"})
    plan.benefits.add(benefit)
    return plan


def premium_only_plan() -> Plan:
    plan, _ = Plan.objects.get_or_create(
        slug="premium-only", defaults={"name": "Premium only", "price_minor": 90000, "period_months": 3}
    )
    benefit, _ = Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium stories"})
    plan.benefits.add(benefit)
    return plan


def user(email: str | None = None) -> User:
    """A reader without a usable password: hashing one per reader would slow the 50-reader tests."""
    return User.objects.create_user(email or f"partner-reader{next(_seq)}@example.com", None)


def partner_subscriber(email: str | None = None, *, start: datetime | None = None) -> User:
    reader = user(email)
    subscription_grant(user_id=reader.pk, plan=partner_plan(), start=start or timezone.now() - timedelta(days=1))
    return reader


def expire_subscriptions(reader: User) -> None:
    for sub in Subscription.objects.filter(user=reader):
        sub.status = Subscription.Status.EXPIRED
        sub.access_until = None
        sub.save()  # bumps the "subscriptions" generation: cached benefits are dropped


def pool(codes: int = 40, **fields: object) -> PartnerPool:
    values: dict[str, object] = {"partner_name": f"Partner Weekly {next(_seq)}", "low_stock_threshold": 0}
    values.update(fields)
    p = PartnerPool.objects.create(**values)
    PartnerCode.objects.bulk_create(PartnerCode(pool=p, code=f"P{p.pk}-CODE-{i:04d}") for i in range(codes))
    return p
