"""Claiming a partner code: one per reader per pool, never twice, only while entitled; the alert; the audit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from broadsheet.partners.models import PartnerAudit, PartnerCode
from broadsheet.partners.rules import ClaimOutcome
from broadsheet.partners.services import alert_recipients, code_claim
from tests.partners import builders as b

pytestmark = pytest.mark.django_db


def claim(pool_id: int, user_id: int) -> Any:
    return code_claim(pool_id=pool_id, user_id=user_id, at=timezone.now())


def test_an_entitled_subscriber_claims_one_code_and_gets_the_same_one_again() -> None:
    pool = b.pool(codes=3)
    reader = b.partner_subscriber()
    first = claim(pool.pk, reader.pk)
    assert first.outcome is ClaimOutcome.CLAIMED and first.code
    again = claim(pool.pk, reader.pk)
    assert again.outcome is ClaimOutcome.ALREADY_CLAIMED and again.code == first.code
    assert PartnerCode.objects.filter(claimed_by=reader).count() == 1
    assert PartnerCode.objects.filter(claimed_at__isnull=True).count() == 2


def test_two_subscribers_never_get_the_same_code_and_the_audit_says_who_got_which_when() -> None:
    pool = b.pool(codes=5)
    readers = [b.partner_subscriber() for _ in range(3)]
    results = [claim(pool.pk, r.pk) for r in readers]
    assert len({r.code for r in results}) == 3
    claimed = PartnerAudit.objects.filter(action=PartnerAudit.Action.CLAIMED).select_related("code", "user")
    assert {(a.user, a.code.code) for a in claimed} == {(r, res.code) for r, res in zip(readers, results, strict=True)}
    assert all(a.at is not None for a in claimed)


def test_a_reader_without_the_benefit_cannot_claim_and_nothing_is_handed_out() -> None:
    pool = b.pool(codes=3)
    reader = b.user()
    assert claim(pool.pk, reader.pk).outcome is ClaimOutcome.NOT_ENTITLED
    assert PartnerCode.objects.filter(claimed_at__isnull=False).count() == 0
    refused = PartnerAudit.objects.get(action=PartnerAudit.Action.CLAIM_REFUSED)
    assert refused.user == reader and refused.detail == "not_entitled"


def test_a_subscriber_on_a_plan_without_partner_access_cannot_claim() -> None:
    from broadsheet.billing.subscriptions.services import subscription_grant

    pool = b.pool(codes=3)
    reader = b.user()
    subscription_grant(user_id=reader.pk, plan=b.premium_only_plan(), start=timezone.now() - timedelta(days=1))
    assert claim(pool.pk, reader.pk).outcome is ClaimOutcome.NOT_ENTITLED


def test_a_subscriber_who_lost_the_benefit_cannot_claim() -> None:
    pool = b.pool(codes=3)
    reader = b.partner_subscriber()
    b.expire_subscriptions(reader)
    assert claim(pool.pk, reader.pk).outcome is ClaimOutcome.NOT_ENTITLED
    assert not PartnerCode.objects.filter(claimed_by=reader).exists()


def test_a_subscription_whose_period_ended_cannot_claim() -> None:
    pool = b.pool(codes=3)
    reader = b.partner_subscriber(start=timezone.now() - timedelta(days=400))  # a 12-month plan, lapsed
    assert claim(pool.pk, reader.pk).outcome is ClaimOutcome.NOT_ENTITLED
    assert not PartnerCode.objects.filter(claimed_by=reader).exists()


def test_a_code_claimed_before_losing_the_benefit_is_still_shown() -> None:
    pool = b.pool(codes=3)
    reader = b.partner_subscriber()
    code = claim(pool.pk, reader.pk).code
    b.expire_subscriptions(reader)
    again = claim(pool.pk, reader.pk)
    assert again.outcome is ClaimOutcome.ALREADY_CLAIMED and again.code == code


def test_an_expired_or_inactive_pool_refuses() -> None:
    reader = b.partner_subscriber()
    expired = b.pool(codes=3, expires_at=timezone.now() - timedelta(minutes=1))
    inactive = b.pool(codes=3, active=False)
    assert claim(expired.pk, reader.pk).outcome is ClaimOutcome.EXPIRED
    assert claim(inactive.pk, reader.pk).outcome is ClaimOutcome.EXPIRED
    assert PartnerCode.objects.filter(claimed_at__isnull=False).count() == 0


def test_a_pool_the_benefit_code_names_is_the_benefit_checked() -> None:
    pool = b.pool(codes=3, benefit_code="premium")
    from broadsheet.billing.subscriptions.services import subscription_grant

    reader = b.user()
    subscription_grant(user_id=reader.pk, plan=b.premium_only_plan(), start=timezone.now() - timedelta(days=1))
    assert claim(pool.pk, reader.pk).outcome is ClaimOutcome.CLAIMED
    assert claim(b.pool(codes=1).pk, reader.pk).outcome is ClaimOutcome.NOT_ENTITLED  # the default: "partner"


def test_an_empty_pool_says_so_and_tells_the_team_once(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Callable[..., Any], settings: Any
) -> None:
    settings.BROADSHEET_PARTNER_ALERT_EMAILS = ["partners@example.com"]
    pool = b.pool(codes=1)
    first, second, third = (b.partner_subscriber() for _ in range(3))
    with django_capture_on_commit_callbacks(execute=True):
        assert claim(pool.pk, first.pk).outcome is ClaimOutcome.CLAIMED
    with django_capture_on_commit_callbacks(execute=True):
        result = claim(pool.pk, second.pk)
    assert result.outcome is ClaimOutcome.POOL_EMPTY and result.code is None
    with django_capture_on_commit_callbacks(execute=True):
        assert claim(pool.pk, third.pk).outcome is ClaimOutcome.POOL_EMPTY
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["partners@example.com"]
    assert "has run out" in mailoutbox[0].subject


def test_one_low_stock_alert_when_the_pool_drops_below_the_threshold(
    mailoutbox: list[Any], django_capture_on_commit_callbacks: Callable[..., Any], settings: Any
) -> None:
    settings.BROADSHEET_PARTNER_ALERT_EMAILS = ["desk@example.com"]
    manager = b.user("manager@example.com")
    manager.is_staff = True
    manager.save()
    group, _ = Group.objects.get_or_create(name="Subscription managers")  # created by migrate
    group.permissions.add(Permission.objects.get(codename="change_partnerpool"))
    manager.groups.add(group)
    bystander = b.user("staff-without-the-right@example.com")
    bystander.is_staff = True
    bystander.save()
    pool = b.pool(codes=6, low_stock_threshold=4)
    for expected_mails in [0, 0, 1, 1, 1]:  # 5, 4, 3 (below 4: alert), 2, 1 left
        with django_capture_on_commit_callbacks(execute=True):
            assert claim(pool.pk, b.partner_subscriber().pk).outcome is ClaimOutcome.CLAIMED
        assert len(mailoutbox) == expected_mails
    message = mailoutbox[0]
    assert sorted(message.to) == ["desk@example.com", "manager@example.com"]
    assert "3 left" in message.subject and "{" not in message.body
    pool.refresh_from_db()
    assert pool.alerted_at is not None
    alert = PartnerAudit.objects.get(action=PartnerAudit.Action.LOW_STOCK_ALERT)
    assert "3 codes left" in alert.detail


def test_alert_recipients_are_staff_with_the_right_and_the_configured_addresses(settings: Any) -> None:
    settings.BROADSHEET_PARTNER_ALERT_EMAILS = ["ops@example.com"]
    direct = b.user("direct@example.com")
    direct.is_staff = True
    direct.save()
    direct.user_permissions.add(Permission.objects.get(codename="change_partnerpool"))
    not_staff = b.user("not-staff@example.com")
    not_staff.user_permissions.add(Permission.objects.get(codename="change_partnerpool"))
    boss = b.user("boss@example.com")
    boss.is_staff = boss.is_superuser = True
    boss.save()
    assert alert_recipients() == ["boss@example.com", "direct@example.com", "ops@example.com"]


def test_the_audit_is_append_only() -> None:
    pool = b.pool(codes=1)
    claim(pool.pk, b.partner_subscriber().pk)
    row = PartnerAudit.objects.get(action=PartnerAudit.Action.CLAIMED)
    row.detail = "rewritten"
    with pytest.raises(ValueError, match="append-only"):
        row.save()


def test_an_unknown_pool_raises() -> None:
    from broadsheet.partners.models import PartnerPool

    with pytest.raises(PartnerPool.DoesNotExist):
        claim(999_999, b.partner_subscriber().pk)
