"""A reader's billing in words: plans and their status, invoices, payments (account page, mails, API)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from broadsheet.billing.models import Invoice, Payment, Plan, Subscription
from broadsheet.billing.rules import renewal as renewal_rules
from broadsheet.core.money import format_money

HISTORY_LIMIT = 50


@dataclass(frozen=True, slots=True)
class PlanLine:
    subscription_id: int
    plan_name: str
    plan_id: int
    status: str  # in words
    paid_until: str
    renews_on: str  # empty when renewal is off
    ends_on: str  # empty while it renews
    next_charge: str  # empty when nothing will be charged
    changes_to: str  # "changes to Super Saver on 1 May 2027", or empty
    can_cancel: bool
    can_resume: bool
    can_change: bool
    next_charge_minor: int | None = None  # the next charge in paise, None when nothing will be charged
    cannot_renew_on: str = ""  # renewal is on but nothing can pay it (no saved method): the plan ends then


@dataclass(frozen=True, slots=True)
class InvoiceLine:
    number: str
    issued_on: str
    total: str
    title: str  # "Tax invoice" or "Credit note"
    pdf_url: str


@dataclass(frozen=True, slots=True)
class PaymentLine:
    date: str
    what: str
    amount: str
    status: str
    reference: str


@dataclass(frozen=True, slots=True)
class AccountBilling:
    plans: list[PlanLine]
    other_plans: list[Plan]
    invoices: list[InvoiceLine]
    payments: list[PaymentLine]


def day_words(at: datetime | None) -> str:
    return timezone.localtime(at).strftime("%-d %B %Y") if at is not None else ""


def url_number(number: str) -> str:
    """ "INV/2026-27/000123" → "INV_2026-27_000123", safe in a URL path (numbers never hold "_")."""
    return number.replace("/", "_")


def number_from_url(slug: str) -> str:
    return slug.replace("_", "/")


def _status_words(sub: Subscription, at: datetime) -> str:
    running = sub.access_until is not None and sub.access_until > at
    if sub.status == Subscription.Status.ACTIVE and running:
        if sub.auto_renew and not renewal_rules.can_renew(mandate_ref=sub.mandate_ref, gateway_ref=sub.gateway_ref):
            return "Active, will not renew"
        return "Active" if sub.auto_renew else "Active, renewal off"
    if sub.status == Subscription.Status.PAST_DUE and running:
        return "Payment due: we could not take the renewal charge and will try again"
    if sub.status == Subscription.Status.PENDING:
        return "Waiting for your payment to be confirmed"
    return "Ended"


def plan_line(sub: Subscription, at: datetime) -> PlanLine:
    running = sub.access_until is not None and sub.access_until > at
    active = sub.status == Subscription.Status.ACTIVE and running
    renewable = renewal_rules.can_renew(mandate_ref=sub.mandate_ref, gateway_ref=sub.gateway_ref)
    renews = active and sub.auto_renew and renewable
    next_plan = sub.pending_plan or sub.plan
    price = sub.renewal_price_minor if sub.renewal_price_minor is not None and sub.pending_plan is None else None
    charge = (price if price is not None else next_plan.price_minor) if renews else None
    changes_to = ""
    if sub.pending_plan is not None and running:
        changes_to = f"changes to {sub.pending_plan.name} on {day_words(sub.current_period_end)}"
    return PlanLine(
        subscription_id=sub.pk,
        plan_name=sub.plan.name,
        plan_id=sub.plan_id,
        status=_status_words(sub, at),
        paid_until=day_words(sub.current_period_end) if sub.status != Subscription.Status.PENDING else "",
        renews_on=day_words(sub.current_period_end) if renews else "",
        ends_on=day_words(sub.access_until) if running and not sub.auto_renew else "",
        next_charge=format_money(charge, sub.currency) if charge is not None else "",
        changes_to=changes_to,
        can_cancel=running and sub.auto_renew and renewable and sub.status != Subscription.Status.PENDING,
        can_resume=active and not sub.auto_renew and sub.access_ends_at is None,
        can_change=active,
        next_charge_minor=charge,
        cannot_renew_on=day_words(sub.access_until) if active and sub.auto_renew and not renewable else "",
    )


def _shown(sub: Subscription, at: datetime, pending_ids: set[int]) -> bool:
    """Running plans, pending ones whose payment the bank has yet to confirm, and ended ones."""
    if sub.status == Subscription.Status.PENDING:
        return sub.pk in pending_ids
    return True


def account_billing(*, user_id: int, at: datetime) -> AccountBilling:
    subs = list(
        Subscription.objects.filter(user_id=user_id)
        .select_related("plan", "pending_plan")
        .order_by("-access_until", "-pk")
    )
    pending_ids = set(
        Payment.objects.filter(user_id=user_id, status=Payment.Status.PENDING).values_list("subscription_id", flat=True)
    )
    lines = [plan_line(s, at) for s in subs if _shown(s, at, pending_ids)]
    current = [line for line in lines if line.status != "Ended"]
    ended = [line for line in lines if line.status == "Ended"][:1] if not current else []
    return AccountBilling(
        plans=current + ended,
        other_plans=list(Plan.objects.filter(is_active=True)),
        invoices=invoice_lines(user_id=user_id),
        payments=payment_lines(user_id=user_id),
    )


def invoice_lines(*, user_id: int) -> list[InvoiceLine]:
    rows = Invoice.objects.filter(user_id=user_id).order_by("-issued_at", "-id")[:HISTORY_LIMIT]
    return [
        InvoiceLine(
            number=inv.number,
            issued_on=day_words(inv.issued_at),
            total=format_money(inv.total_minor, inv.currency),
            title="Credit note" if inv.is_credit_note else "Tax invoice",
            pdf_url=reverse("billing_invoice_pdf", args=[url_number(inv.number)]),
        )
        for inv in rows
    ]


def payment_lines(*, user_id: int) -> list[PaymentLine]:
    rows = (
        Payment.objects.filter(user_id=user_id)
        .exclude(status=Payment.Status.CREATED)
        .select_related("plan")
        .order_by("-created_at", "-id")[:HISTORY_LIMIT]
    )
    return [
        PaymentLine(
            date=day_words(p.settled_at or p.created_at),
            what=f"{p.get_kind_display()}: {p.plan.name}",
            amount=format_money(p.amount_minor, p.currency),
            status=p.get_status_display(),
            reference=p.gateway_payment_id or p.idempotency_key,
        )
        for p in rows
    ]


def invoice_for_reader(*, user_id: int, number: str) -> Invoice | None:
    """The reader's own invoice or credit note by number; None for anyone else's."""
    return Invoice.objects.filter(user_id=user_id, number=number).first()
