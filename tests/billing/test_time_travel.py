"""Two years of renewals with a moved clock: a subscription bought on 31 January, on every plan.

The clock is the `now` handed to each renewal run, moved six hours at a time;
the mail goes through a real SMTP server on loopback (aiosmtpd).
"""

from __future__ import annotations

import calendar
from datetime import UTC, datetime, timedelta

import pytest

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.models import BillingNotice, Payment, Plan, Subscription
from broadsheet.billing.renewals.run import renewal_run
from tests import factories as f
from tests.billing.test_renewals import bought, monthly_plan
from tests.mailserver import Inbox

T0 = datetime(2027, 1, 31, 9, 0, tzinfo=UTC)
TWO_YEARS_ON = datetime(2029, 1, 31, 9, 0, tzinfo=UTC)
STEP = timedelta(hours=6)


def month_ends_from(start: datetime, months: int, count: int) -> list[datetime]:
    """Period ends counted by hand: the start's day in each month, or the month's last day."""
    ends = []
    for n in range(1, count + 1):
        index = start.month - 1 + n * months
        year, month = start.year + index // 12, index % 12 + 1
        ends.append(start.replace(year=year, month=month, day=min(start.day, calendar.monthrange(year, month)[1])))
    return ends


@pytest.mark.django_db(transaction=True)
def test_a_subscription_bought_on_31_january_renews_through_two_years_on_every_plan(smtp: Inbox) -> None:
    plans = [monthly_plan(), *f.demo_plans()]
    subs = {plan.slug: bought(plan=plan, at=T0) for plan in plans}
    seen: dict[str, list[datetime]] = {slug: [sub.current_period_end] for slug, sub in subs.items()}
    at = T0
    while at <= TWO_YEARS_ON + timedelta(days=1):
        renewal_run(now=at)
        for slug, sub in subs.items():
            end = Subscription.objects.values_list("current_period_end", flat=True).get(pk=sub.pk)
            if end != seen[slug][-1]:
                seen[slug].append(end)
        assert "premium" in benefits_of(user_id=subs["monthly-test"].user_id, at=at)  # access never lapses
        at += STEP

    renewals = {"monthly-test": 24, "smart-quarterly": 8, "smart-essential": 2, "super-saver": 1}
    for plan in plans:
        sub = Subscription.objects.get(pk=subs[plan.slug].pk)
        count = renewals[plan.slug]
        assert seen[plan.slug] == month_ends_from(T0, plan.period_months, count + 1), plan.slug
        assert (sub.status, sub.period) == ("active", count)
        _each_notice_once_and_a_day_before_its_charge(sub, plan, count)

    monthly = seen["monthly-test"]
    assert datetime(2028, 2, 29, 9, 0, tzinfo=UTC) in monthly  # the leap day
    assert monthly[monthly.index(datetime(2028, 2, 29, 9, 0, tzinfo=UTC)) + 1].day == 31  # and back to the 31st

    notices_mailed = [m for m in smtp.messages if "renews on" in str(m["Subject"])]
    assert len(notices_mailed) == sum(renewals.values()) == BillingNotice.objects.filter(kind="pre_debit").count()
    assert len({(m["To"], m["Subject"]) for m in notices_mailed}) == len(notices_mailed)
    assert sum("Renewed:" in str(m["Subject"]) for m in smtp.messages) == sum(renewals.values())
    bodies = [smtp.body(i) for i in range(len(smtp.messages))]
    assert not any("{{" in body or "{%" in body for body in bodies)
    monthly_notice = next(
        smtp.body(i) for i, m in enumerate(smtp.messages) if m["Subject"].startswith("Your Monthly Test")
    )
    assert "₹300" in monthly_notice and "/account/" in monthly_notice and "28 February 2027" in monthly_notice


def _each_notice_once_and_a_day_before_its_charge(sub: Subscription, plan: Plan, count: int) -> None:
    sent = dict(BillingNotice.objects.filter(subscription=sub, kind="pre_debit").values_list("key", "sent_at"))
    assert sorted(sent) == sorted(f"p{n}" for n in range(1, count + 1)), plan.slug
    charges = Payment.objects.filter(subscription=sub, kind="renewal").order_by("period")
    assert [p.period for p in charges] == list(range(1, count + 1))
    for payment in charges:
        assert payment.status == "succeeded" and payment.amount_minor == plan.price_minor
        assert payment.created_at - sent[f"p{payment.period}"] >= timedelta(hours=24), (plan.slug, payment.period)
