"""Pages for gifts and group licences: parse the form, call one service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from broadsheet.billing import gifts, groups
from broadsheet.billing.invoices import seller_get
from broadsheet.billing.models import Gift, Plan
from broadsheet.billing.pricing import quote
from broadsheet.core import clock


class GiftBuyForm(forms.Form):
    recipient_email = forms.EmailField(label="Recipient's e-mail")
    recipient_name = forms.CharField(label="Recipient's name", max_length=200, required=False)
    message = forms.CharField(label="Your message", max_length=500, required=False, widget=forms.Textarea)
    buyer_name = forms.CharField(label="Your name (for the invoice)", max_length=200)
    buyer_state = forms.CharField(
        label="Your state (place of supply, for GST)", max_length=60, help_text="e.g. Maharashtra"
    )


class CodeForm(forms.Form):
    code = forms.CharField(label="Gift code", max_length=40)


class JoinForm(forms.Form):
    join_code = forms.CharField(label="Join code", max_length=40)


@login_required
def gift_buy(request: HttpRequest, plan_slug: str) -> HttpResponse:
    plan = get_object_or_404(Plan, slug=plan_slug, is_active=True)
    form = GiftBuyForm(request.POST or None, initial={"buyer_name": getattr(request.user, "display_name", "")})
    if request.method == "POST" and form.is_valid():
        _, redirect_url = gifts.gift_checkout_start(buyer=request.user, at=clock.now(), plan=plan, **form.cleaned_data)  # type: ignore[arg-type]
        return HttpResponseRedirect(redirect_url)
    buyer_state = form.data.get("buyer_state", "") if form.is_bound else ""
    price = quote(
        plan.price_minor, offer=None, now=clock.now(), seller_state=seller_get().state, buyer_state=buyer_state or None
    )
    return render(request, "billing/gift_buy.html", {"plan": plan, "form": form, "quote": price})


@login_required
def gift_sent(request: HttpRequest, gift_id: int) -> HttpResponse:
    gift = get_object_or_404(Gift.objects.select_related("plan"), pk=gift_id)
    if gift.buyer_id != request.user.pk:
        raise Http404("no such gift")
    return render(request, "billing/gift_sent.html", {"gift": gift})


@login_required
def gift_redeem(request: HttpRequest) -> HttpResponse:
    form = CodeForm(request.POST or None, initial={"code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        try:
            sub = gifts.gift_redeem(code=form.cleaned_data["code"], user_id=request.user.pk, at=clock.now())  # type: ignore[arg-type]
        except gifts.GiftRefused as refused:
            form.add_error("code", refused.message)
            return render(request, "billing/gift_redeem.html", {"form": form}, status=400)
        messages.success(
            request, f"Your gift is redeemed: {sub.plan.name} until {sub.current_period_end:%d %B %Y}. Enjoy reading."
        )
        return redirect("account")
    return render(request, "billing/gift_redeem.html", {"form": form})


@login_required
def group_join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(request.POST or None, initial={"join_code": request.GET.get("code", "")[:40]})
    if request.method == "POST" and form.is_valid():
        try:
            seat = groups.seat_take(join_code=form.cleaned_data["join_code"], user_id=request.user.pk, at=clock.now())  # type: ignore[arg-type]
        except groups.GroupRefused as refused:
            form.add_error("join_code", refused.message)
            return render(request, "billing/group_join.html", {"form": form}, status=400)
        messages.success(request, f"You hold a seat of {seat.organisation.name}.")
        return redirect("account")
    return render(request, "billing/group_join.html", {"form": form})


@login_required
@require_POST
def group_leave(request: HttpRequest, org_id: int) -> HttpResponse:
    if groups.seat_release(organisation_id=org_id, user_id=request.user.pk):  # type: ignore[arg-type]
        messages.success(request, "You have given up your seat.")
    return redirect("account")
