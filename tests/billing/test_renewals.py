"""The renewal run on a real database: notices, charges, retries, expiry, crash safety, the command."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import (
    BillingNotice,
    Invoice,
    Payment,
    Plan,
    Subscription,
    TestGatewayCharge,
)
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.renewals.run import ADVISORY_LOCK_SPACE, RenewalSummary, Share, renewal_run
from broadsheet.billing.renewals.tasks import billing_renew_due
from broadsheet.billing.rules.lifecycle import Event
from broadsheet.billing.subscriptions.services import subscription_apply, subscription_create_pending
from broadsheet.core import schedule
from tests import factories as f

pytestmark = pytest.mark.django_db
T0 = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
END = datetime(2027, 2, 28, 9, 0, tzinfo=UTC)  # the first period's end for a monthly plan bought at T0
HOUR, DAY = timedelta(hours=1), timedelta(days=1)


def monthly_plan(price_minor: int = 30_000) -> Plan:
    plan, _ = Plan.objects.get_or_create(
        slug="monthly-test", defaults={"name": "Monthly Test", "price_minor": price_minor, "period_months": 1}
    )
    plan.benefits.add(f.premium_plan().benefits.get())
    return plan


def bought(*, plan: Plan | None = None, at: datetime = T0, mandate: str = "mandate_ok", **row: object) -> Subscription:
    """A reader who paid for `plan` at `at` through the test gateway, leaving a mandate for renewals."""
    plan = plan or monthly_plan()
    user = f.reader()
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=at, gateway="test", buyer_state="Maharashtra")
    payment = payment_create(
        user_id=user.pk,
        plan=plan,
        kind=Payment.Kind.FIRST,
        amount_minor=plan.price_minor,
        at=at,
        gateway="test",
        subscription_id=sub.pk,
    )
    payment_settle(
        payment_id=payment.pk,
        outcome="succeeded",
        at=at,
        actor="gateway:test",
        gateway_payment_id=f"pay_first_{sub.pk}",
        mandate_ref=mandate,
        customer_ref=f"cust_{user.pk}",
    )
    if row:
        Subscription.objects.filter(pk=sub.pk).update(**row)
    return Subscription.objects.get(pk=sub.pk)


def travel(start: datetime, stop: datetime, step: timedelta = 6 * HOUR) -> Iterator[tuple[datetime, RenewalSummary]]:
    at = start
    while at <= stop:
        yield at, renewal_run(now=at)
        at += step


def notices(sub: Subscription, kind: str) -> list[str]:
    return list(BillingNotice.objects.filter(subscription=sub, kind=kind).order_by("id").values_list("key", flat=True))


def test_a_due_subscription_is_noticed_then_charged_once_and_invoiced() -> None:
    sub = bought()
    assert renewal_run(now=END - 49 * HOUR).as_dict()["notices"] == 0
    first = renewal_run(now=END - 48 * HOUR)
    assert (first.notices, first.charged) == (1, 0)
    assert renewal_run(now=END - 2 * HOUR).charged == 0  # not yet within the lead time
    charged = renewal_run(now=END - HOUR)
    assert (charged.notices, charged.charged) == (0, 1)
    assert renewal_run(now=END).charged == 0
    sub.refresh_from_db()
    assert sub.status == "active" and sub.period == 1
    assert sub.current_period_end == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    renewal = Payment.objects.get(subscription=sub, kind="renewal")
    assert (renewal.status, renewal.amount_minor, renewal.period) == ("succeeded", 30_000, 1)
    assert Invoice.objects.filter(subscription=sub).count() == 2
    assert TestGatewayCharge.objects.get(idempotency_key=renewal.idempotency_key).amount_minor == 30_000
    assert notices(sub, "pre_debit") == ["p1"] and notices(sub, "renewed") == ["p1"]
    assert "premium" in benefits_of(user_id=sub.user_id, at=END + 10 * DAY)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("threads", [1, 4])
def test_a_run_killed_between_the_charge_and_its_record_charges_once_when_run_again(
    settings: Any, threads: int
) -> None:
    settings.BROADSHEET_RENEWAL_GATEWAY_THREADS = threads  # 4: gateway calls in threads on PostgreSQL
    sub = bought()
    renewal_run(now=END - 48 * HOUR)

    def killed(payment: Payment) -> None:
        raise SystemExit("killed after the gateway answered")

    with pytest.raises(SystemExit):
        renewal_run(now=END - HOUR, after_charge=killed)
    crashed = Payment.objects.get(subscription=sub, kind="renewal")
    assert crashed.status == "created"
    assert TestGatewayCharge.objects.filter(idempotency_key=crashed.idempotency_key).count() == 1
    assert Subscription.objects.get(pk=sub.pk).period == 0  # nothing recorded yet

    again = renewal_run(now=END - HOUR + timedelta(minutes=5))
    assert again.charged == 1
    assert TestGatewayCharge.objects.count() == 1
    assert Payment.objects.filter(subscription=sub, kind="renewal").count() == 1
    assert Payment.objects.get(pk=crashed.pk).status == "succeeded"
    assert Invoice.objects.filter(subscription=sub, payment_ref=TestGatewayCharge.objects.get().payment_id).count() == 1
    sub.refresh_from_db()
    assert sub.period == 1 and sub.current_period_end == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    assert renewal_run(now=END + DAY).charged == 0


def test_a_declining_mandate_is_retried_on_days_1_3_7_then_expires_after_grace() -> None:
    sub = bought(mandate="mandate_decline")
    summaries = [s for _, s in travel(END - 48 * HOUR, END + 9 * DAY)]
    assert Subscription.objects.get(pk=sub.pk).status == "past_due"
    assert "premium" in benefits_of(user_id=sub.user_id, at=END + 9 * DAY)  # grace: still reading
    summaries += [s for _, s in travel(END + 9 * DAY + 6 * HOUR, END + 12 * DAY)]
    sub.refresh_from_db()
    attempts = list(Payment.objects.filter(subscription=sub, kind="renewal").order_by("attempt"))
    assert [(p.attempt, p.status) for p in attempts] == [(a, "declined") for a in range(4)]
    tried_on = [p.created_at - END for p in attempts]
    assert tried_on == [timedelta(0), DAY, 3 * DAY, 7 * DAY]  # the first at the first 6-hourly run after end - 1h
    assert TestGatewayCharge.objects.filter(status="declined").count() == 4
    assert notices(sub, "failed") == ["p1-r0", "p1-r1", "p1-r2", "p1-r3"]
    assert notices(sub, "expired") == ["p0"]
    assert sum(s.retried for s in summaries) == 3 and sum(s.expired for s in summaries) == 1
    assert sub.status == "expired"
    assert benefits_of(user_id=sub.user_id, at=END + 10 * DAY) == frozenset()
    assert not Invoice.objects.filter(subscription=sub, payment_ref__startswith="pay_test").exists()


def test_a_retry_that_succeeds_renews_from_the_original_period_end() -> None:
    sub = bought(mandate="mandate_decline")
    list(travel(END - 48 * HOUR, END, step=HOUR))
    Subscription.objects.filter(pk=sub.pk).update(mandate_ref="mandate_new_card")
    list(travel(END + HOUR, END + 2 * DAY, step=HOUR))
    sub.refresh_from_db()
    assert (sub.status, sub.period, sub.retry_count) == ("active", 1, 0)
    assert sub.current_period_end == datetime(2027, 3, 31, 9, 0, tzinfo=UTC)
    assert Payment.objects.filter(subscription=sub, status="succeeded", kind="renewal").count() == 1


def test_an_unavailable_gateway_keeps_the_payment_and_the_next_run_uses_the_same_key() -> None:
    sub = bought(mandate="mandate_unavailable")
    renewal_run(now=END - 48 * HOUR)
    assert renewal_run(now=END - HOUR).unavailable == 1
    assert renewal_run(now=END - HOUR + timedelta(minutes=5)).unavailable == 1
    payment = Payment.objects.get(subscription=sub, kind="renewal")
    assert payment.status == "created" and not TestGatewayCharge.objects.exists()
    Subscription.objects.filter(pk=sub.pk).update(mandate_ref="mandate_ok")
    assert renewal_run(now=END - HOUR + timedelta(minutes=10)).charged == 1
    assert list(Payment.objects.filter(subscription=sub, kind="renewal").values_list("pk", "status")) == [
        (payment.pk, "succeeded")
    ]


def test_a_charge_needing_the_readers_approval_is_declined_with_a_way_to_pay() -> None:
    sub = bought(mandate="mandate_action")
    renewal_run(now=END - 48 * HOUR)
    assert renewal_run(now=END - HOUR).declined == 1
    payment = Payment.objects.get(subscription=sub, kind="renewal")
    assert payment.status == "declined" and "account page" in payment.message
    sub.refresh_from_db()
    assert sub.status == "past_due" and sub.next_retry_at == END + DAY


def test_a_cancelled_subscription_is_not_charged_and_expires_at_its_end_with_one_notice() -> None:
    sub = bought()
    subscription_apply(subscription_id=sub.pk, event=Event.CANCEL, at=T0 + DAY, actor="user")
    summaries = [s for _, s in travel(END - 3 * DAY, END + 2 * DAY)]
    sub.refresh_from_db()
    assert sub.status == "expired"
    assert not Payment.objects.filter(kind="renewal").exists()
    assert notices(sub, "pre_debit") == [] and notices(sub, "expired") == ["p0"]
    assert sum(s.expired for s in summaries) == 1


def test_a_refund_ends_the_subscription_at_the_chosen_time() -> None:
    sub = bought()
    subscription_apply(
        subscription_id=sub.pk, event=Event.REFUND_FULL, at=T0 + DAY, actor="staff:1", access_until=T0 + 2 * DAY
    )
    renewal_run(now=T0 + DAY + HOUR)
    assert Subscription.objects.get(pk=sub.pk).status == "active"
    assert renewal_run(now=T0 + 2 * DAY).expired == 1
    assert Subscription.objects.get(pk=sub.pk).status == "expired"
    assert notices(sub, "expired") == ["p0"]


def test_subscriptions_renewed_by_gateway_webhooks_or_without_a_mandate_are_left_alone() -> None:
    by_webhook = bought(gateway_ref="sub_stripe_123")
    no_mandate = bought(mandate="")
    Subscription.objects.filter(pk=no_mandate.pk).update(mandate_ref="")
    list(travel(END - 3 * DAY, END + 3 * DAY))
    for sub in (by_webhook, no_mandate):
        sub.refresh_from_db()
        assert (sub.status, sub.period) == ("active", 0)
        assert not BillingNotice.objects.filter(subscription=sub, kind="pre_debit").exists()
    assert not Payment.objects.filter(kind="renewal").exists()


@pytest.mark.skipif("connection.vendor != 'postgresql'")
@pytest.mark.django_db(transaction=True)
def test_rows_held_by_another_run_are_skipped() -> None:
    import psycopg
    from django.conf import settings

    sub = bought()
    renewal_run(now=END - 48 * HOUR)
    db = settings.DATABASES["default"]
    dsn = f"host={db['HOST']} port={db['PORT'] or 5432} user={db['USER']} dbname={connection.settings_dict['NAME']}"
    with psycopg.connect(dsn, autocommit=True) as other:
        other.execute("SELECT pg_advisory_lock(%s, %s)", [ADVISORY_LOCK_SPACE, sub.pk])
        held = renewal_run(now=END - HOUR)
        assert (held.skipped, held.charged) == (1, 0)
        assert not Payment.objects.filter(kind="renewal").exists()
    assert renewal_run(now=END - HOUR).charged == 1


def test_the_renew_command_shows_progress_and_a_summary(settings: object) -> None:
    settings.BROADSHEET_RENEWAL_BATCH = 2  # type: ignore[attr-defined]
    for _ in range(3):
        bought()
    out = StringIO()
    call_command("renew", "--now", (END - 48 * HOUR).isoformat(), stdout=out)
    call_command("renew", "--now", (END - HOUR).isoformat(), "--limit", "2", stdout=out)
    text = out.getvalue()
    assert "2/3 due subscriptions" in text and "3/3 due subscriptions" in text
    assert "Done: 3 notices sent, 0 charged" in text
    assert "Done: 0 notices sent, 2 charged, 0 declined, 0 retried, 0 expired, 0 gateway unavailable" in text
    assert Payment.objects.filter(kind="renewal", status="succeeded").count() == 2


def test_the_worker_runs_the_renewals_every_five_minutes() -> None:
    job = next(j for j in schedule.jobs() if j.name == "billing.renew")
    assert job.every == 300 and job.task is billing_renew_due
    sub = bought(current_period_end=T0)  # any row: the task runs at the real clock's now
    assert set(billing_renew_due.call()) >= {"notices", "charged", "expired", "skipped"}
    assert Subscription.objects.get(pk=sub.pk).status in {"active", "expired"}


def test_the_subscription_admin_shows_its_payments_and_ledger(client: Client) -> None:
    sub = bought()
    renewal_run(now=END - 48 * HOUR)
    renewal_run(now=END - HOUR)
    client.force_login(f.reader(is_staff=True, is_superuser=True))
    page = client.get(reverse("admin:billing_subscription_change", args=[sub.pk])).content.decode()
    assert "renewal_succeeded" in page and "payment_succeeded" in page
    assert Payment.objects.get(subscription=sub, kind="renewal").gateway_payment_id in page


def _renewals() -> dict[int, int]:
    """Succeeded renewal charges per subscription."""
    found: dict[int, int] = {}
    for sub_id in Payment.objects.filter(kind="renewal", status="succeeded").values_list("subscription_id", flat=True):
        found[sub_id] = found.get(sub_id, 0) + 1
    return found


def test_shares_split_the_due_rows_and_together_renew_each_once() -> None:
    subs = [bought() for _ in range(5)]
    renewal_run(now=END - 48 * HOUR)  # the pre-debit notices
    even = renewal_run(now=END - HOUR, share=Share(0, 2))
    assert set(_renewals()) == {s.pk for s in subs if s.pk % 2 == 0}
    odd = renewal_run(now=END - HOUR, share=Share(1, 2))
    assert even.charged + odd.charged == 5
    assert _renewals() == {s.pk: 1 for s in subs}
    assert renewal_run(now=END - HOUR).charged == 0  # a whole run after them finds nothing due
    with pytest.raises(ValueError, match="from 0 to 1"):
        Share(2, 2)


@pytest.mark.django_db(transaction=True)  # the worker closes its connection after a round
def test_the_periodic_job_splits_into_shares_the_workers_run(settings: object) -> None:
    settings.BROADSHEET_RENEWAL_SHARES = 2  # type: ignore[attr-defined]
    subs = [bought() for _ in range(4)]
    renewal_run(now=END - 48 * HOUR)
    with time_machine.travel(END - HOUR, tick=False):
        assert billing_renew_due.call() == {"shares_enqueued": 2}
        queued = DBTaskResult.objects.filter(task_path__endswith="billing_renew_share")
        assert sorted(r.args_kwargs["args"] for r in queued) == [[0, 2], [1, 2]]
        call_command("worker", "--once", stdout=StringIO())
    assert {r.status for r in queued.all()} == {"SUCCESSFUL"}
    assert _renewals() == {s.pk: 1 for s in subs}


def test_the_renew_command_takes_a_share() -> None:
    subs = [bought() for _ in range(3)]
    call_command("renew", "--now", (END - 48 * HOUR).isoformat(), stdout=StringIO())
    out = StringIO()
    call_command("renew", "--now", (END - HOUR).isoformat(), "--share", "1/3", stdout=out)
    assert "share 1 of 3" in out.getvalue()
    assert set(_renewals()) == {s.pk for s in subs if s.pk % 3 == 1}
    with pytest.raises(CommandError, match="K/N"):
        call_command("renew", "--share", "3/3", stdout=StringIO())
