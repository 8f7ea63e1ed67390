"""The reader's own things through the API: benefits and until when, the meter, the
subscription, invoices with PDF links, devices."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client

from broadsheet.billing.invoices.services import invoice_issue
from broadsheet.billing.models import Subscription
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.core import clock
from tests import factories as f
from tests.api.helpers import bearer, get, token_for

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")


def test_a_subscriber_sees_benefits_until_when_and_the_plan() -> None:
    f.publication()
    user = f.reader()  # a subscriber whose card renews the plan, so a next charge is due
    start = clock.now() - timedelta(days=1)
    subscription_grant(user_id=user.pk, plan=f.premium_plan(), start=start, gateway="test", mandate_ref="mandate_api")
    token = token_for(user)
    sub = Subscription.objects.get(user=user)
    benefits = get(Client(), "/api/v1/me/benefits", token)[1]["benefits"]
    assert [(b["code"], b["through"]) for b in benefits] == [("premium", "account")]
    assert abs(datetime.fromisoformat(benefits[0]["until"]) - sub.access_until).total_seconds() < 0.001  # type: ignore[operator]
    plans = get(Client(), "/api/v1/me/subscription", token)[1]["subscriptions"]
    assert [(p["plan"], p["status"], p["next_charge"], p["next_charge_minor"]) for p in plans] == [
        ("Smart Essential", "active", "₹2,700", 270000)
    ]
    meter = get(Client(), "/api/v1/me/meter", token)[1]
    assert meter["applies"] is False


def test_the_meter_says_used_limit_and_when_it_resets_in_the_publication_time_zone() -> None:
    f.publication(registered_free_limit=5)
    with time_machine.travel(datetime(2026, 11, 30, 23, 0, tzinfo=IST), tick=False):
        story = f.story()
        token = token_for(f.reader())
        get(Client(), f"/api/v1/articles/{story.article.pk}", token)
        meter = get(Client(), "/api/v1/me/meter", token)[1]
    assert (meter["used"], meter["limit"], meter["remaining"], meter["period"]) == (1, 5, 4, "2026-11")
    assert datetime.fromisoformat(meter["resets_at"]) == datetime(2026, 12, 1, tzinfo=IST)
    assert meter["applies"] is True


def test_invoices_come_with_pdf_links_that_open_with_the_token(settings: object) -> None:
    settings.BROADSHEET_GSTIN = "27AABCB1234C1Z5"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_ADDRESS = "12 Dalal Street, Fort, Mumbai 400001"  # type: ignore[attr-defined]
    f.publication()
    user, stranger = f.reader(), f.reader()
    invoice_issue(
        user_id=user.pk,
        payment_ref="pay_api_1",
        total_minor=270000,
        description="Smart Essential, 1 Year",
        buyer_name="Asha Rao",
        buyer_state="Maharashtra",
        at=datetime(2026, 11, 29, 10, 30, tzinfo=IST),
    )
    token = token_for(user)
    invoices = get(Client(), "/api/v1/me/invoices", token)[1]["invoices"]
    assert [(i["kind"], i["total"], i["total_minor"]) for i in invoices] == [("invoice", "₹2,700", 270000)]
    path = invoices[0]["pdf_url"].removeprefix(settings.SITE_URL)  # type: ignore[attr-defined]
    pdf = Client().get(path, **bearer(token))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert Client().get(path, **bearer(token_for(stranger))).status_code == 404
    assert get(Client(), "/api/v1/me/invoices", token_for(stranger))[1]["invoices"] == []


def test_a_plan_nothing_can_renew_promises_no_next_charge() -> None:
    f.publication()
    user = f.subscriber()  # granted by staff, no saved payment method
    plans = get(Client(), "/api/v1/me/subscription", token_for(user))[1]["subscriptions"]
    assert [(p["plan"], p["status"], p["next_charge"], p["next_charge_minor"]) for p in plans] == [
        ("Smart Essential", "active", "", None)
    ]
