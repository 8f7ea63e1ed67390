"""Pages for gifts: parse the form, call one service, render."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render

from broadsheet.billing.checkout import services as checkout
from broadsheet.billing.gifts import services as gifts
from broadsheet.billing.invoices.services import seller_get
from broadsheet.billing.models import Gift, Plan
from broadsheet.billing.rules.pricing import quote
from broadsheet.core import clock


class GiftBuyForm(forms.Form):
    recipient_email = forms.EmailField(label="Recipient's e-mail")
    recipient_name = forms.CharField(label="Recipient's name", max_length=200, required=False)
    message = forms.CharField(label="Your message", max_length=500, required=False, widget=forms.Textarea)
    buyer_name = forms.CharField(label="Your name (for the invoice)", max_length=200)
    # The place of supply decides CGST + SGST or IGST: one of the list, never free text.
    buyer_state = forms.ChoiceField(
        label="Your state or union territory (place of supply, for GST)",
        choices=[("", "Choose…"), *((s, s) for s in checkout.STATES)],
    )


class CodeForm(forms.Form):
    code = forms.CharField(label="Gift code", max_length=40)


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
    context = {"plan": plan, "form": form, "quote": price, "buyer_state": buyer_state in checkout.STATES}
    return render(request, "billing/gift_buy.html", context)


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
