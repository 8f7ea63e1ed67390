"""The plans page, and what a reader does to their plan from the account page.

Thin views: parse, call one service (account.self_service), redirect with a message.
"""

from __future__ import annotations

from typing import Literal, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_POST

from broadsheet.billing.account import self_service
from broadsheet.billing.checkout.views import safe_next
from broadsheet.billing.invoices.pdf import invoice_pdf
from broadsheet.billing.models import Plan, Subscription
from broadsheet.billing.statements import day_words, invoice_for_reader, number_from_url
from broadsheet.core import clock


def subscribe(request: HttpRequest) -> HttpResponse:
    """The plan table; choosing a plan goes on to its checkout, carrying where the reader came from."""
    next_path = safe_next(request, request.GET.get("next"))
    chosen = request.GET.get("plan", "")
    if chosen and Plan.objects.filter(slug=chosen, is_active=True).exists():
        url = reverse("billing_checkout", args=[chosen])
        return HttpResponseRedirect(f"{url}?{urlencode({'next': next_path})}" if next_path else url)
    gifts = Plan.objects.filter(is_active=True).only("slug", "name")
    return render(request, "billing/subscribe.html", {"next": next_path, "chosen": chosen, "gift_plans": gifts})


def _reader_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)


def _own_subscription(request: HttpRequest, subscription_id: int) -> Subscription:
    return get_object_or_404(Subscription.objects.select_related("plan"), pk=subscription_id, user_id=request.user.pk)


@login_required
@require_http_methods(["GET", "POST"])
def subscription_cancel_view(request: HttpRequest, subscription_id: int) -> HttpResponse:
    """GET asks to confirm (the first click); POST turns renewal off (the second)."""
    sub = _own_subscription(request, subscription_id)
    if request.method == "GET":
        return render(request, "billing/cancel_confirm.html", {"subscription": sub})
    try:
        sub = self_service.subscription_cancel(subscription_id=sub.pk, user_id=_reader_id(request), at=clock.now())
    except self_service.SelfServiceRefused as refused:
        messages.error(request, str(refused))
    else:
        end = sub.access_until or sub.current_period_end
        messages.success(
            request, f"Renewal is off. You keep {sub.plan.name} until {day_words(end)}; nothing more will be charged."
        )
    return redirect("account")


@login_required
@require_POST
def subscription_resume_view(request: HttpRequest, subscription_id: int) -> HttpResponse:
    sub = _own_subscription(request, subscription_id)
    try:
        sub = self_service.subscription_resume(subscription_id=sub.pk, user_id=_reader_id(request), at=clock.now())
    except self_service.SelfServiceRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, f"Renewal is back on: {sub.plan.name} renews on {day_words(sub.current_period_end)}.")
    return redirect("account")


@login_required
@require_POST
def subscription_change_plan_view(request: HttpRequest, subscription_id: int) -> HttpResponse:
    sub = _own_subscription(request, subscription_id)
    plan = get_object_or_404(Plan, slug=request.POST.get("plan", ""), is_active=True)
    when: Literal["renewal", "now"] = "now" if request.POST.get("when") == "now" else "renewal"
    try:
        change = self_service.subscription_change_plan(
            subscription_id=sub.pk, user_id=_reader_id(request), plan=plan, when=when, at=clock.now()
        )
    except self_service.SelfServiceRefused as refused:
        messages.error(request, str(refused))
        return redirect("account")
    if change.outcome == "scheduled":
        messages.success(request, f"Your plan changes to {plan.name} on {day_words(sub.current_period_end)}.")
    elif change.outcome == "changed":
        messages.success(request, f"{plan.name} is now your plan.")
    return HttpResponseRedirect(change.redirect_url)


@login_required
def invoice_pdf_view(request: HttpRequest, number: str) -> HttpResponse:
    """The reader's own tax invoice or credit note as PDF; anyone else's is 404."""
    invoice = invoice_for_reader(user_id=_reader_id(request), number=number_from_url(number))
    if invoice is None:
        raise Http404
    response = HttpResponse(invoice_pdf(invoice), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{number}.pdf"'
    return response
