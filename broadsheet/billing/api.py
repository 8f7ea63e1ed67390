"""The reader's subscription and invoices through the API (read-only: buying and cancelling
happen on the web's pages, whose links the app opens)."""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from ninja import Router, Schema
from pydantic import Field

from broadsheet.api.problems import responses
from broadsheet.billing.models import Invoice, Subscription
from broadsheet.billing.statements import plan_line, url_number
from broadsheet.core import clock
from broadsheet.core.money import format_money
from broadsheet.readers.api_auth import device_token, user_id_of

router = Router(tags=["Reader"], auth=device_token)


class SubscriptionOut(Schema):
    id: int
    plan: str
    plan_slug: str
    status: str = Field(description="pending, active, past_due or expired")
    status_text: str = Field(description="The status in words, as the account page shows it")
    current_period_end: datetime | None
    access_until: datetime | None = Field(description="When the benefits stop unless it renews")
    auto_renew: bool
    next_charge_minor: int | None = Field(description="What the next renewal charges (paise); null if none")
    next_charge: str
    changes_to: str
    manage_url: str = Field(description="The account page, where the reader cancels, resumes or changes plan")


class SubscriptionsOut(Schema):
    subscriptions: list[SubscriptionOut]


class InvoiceOut(Schema):
    number: str
    kind: str = Field(description="invoice or credit_note")
    issued_at: datetime
    total_minor: int
    currency: str
    total: str
    pdf_url: str = Field(description="The PDF; send the same Authorization header")


class InvoicesOut(Schema):
    invoices: list[InvoiceOut]


@router.get("/me/subscription", summary="The reader's plans", response={200: SubscriptionsOut, **responses(401)})
def subscription_get(request: HttpRequest) -> SubscriptionsOut:
    """The reader's plans: running ones first, then ended ones."""
    now = clock.now()
    subs = (
        Subscription.objects.filter(user_id=user_id_of(request))
        .exclude(status=Subscription.Status.PENDING, access_until__isnull=True)
        .select_related("plan", "pending_plan")
        .order_by("-access_until", "-pk")[:20]
    )
    out = []
    for sub in subs:
        line = plan_line(sub, now)
        out.append(
            SubscriptionOut(
                id=sub.pk,
                plan=sub.plan.name,
                plan_slug=sub.plan.slug,
                status=sub.status,
                status_text=line.status,
                current_period_end=sub.current_period_end,
                access_until=sub.access_until,
                auto_renew=sub.auto_renew,
                next_charge_minor=line.next_charge_minor,
                next_charge=line.next_charge,
                changes_to=line.changes_to,
                manage_url=settings.SITE_URL + reverse("account"),
            )
        )
    return SubscriptionsOut(subscriptions=out)


@router.get("/me/invoices", summary="Tax invoices and credit notes", response={200: InvoicesOut, **responses(401)})
def invoices_list(request: HttpRequest) -> InvoicesOut:
    """Tax invoices and credit notes, newest first."""
    rows = Invoice.objects.filter(user_id=user_id_of(request)).order_by("-issued_at", "-id")[:100]
    return InvoicesOut(
        invoices=[
            InvoiceOut(
                number=inv.number,
                kind="credit_note" if inv.is_credit_note else "invoice",
                issued_at=inv.issued_at,
                total_minor=inv.total_minor,
                currency=inv.currency,
                total=format_money(inv.total_minor, inv.currency),
                pdf_url=settings.SITE_URL + reverse("billing_invoice_pdf", args=[url_number(inv.number)]),
            )
            for inv in rows
        ]
    )
