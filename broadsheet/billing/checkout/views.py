"""Checkout pages under /billing/: the plan and its quote, and the return from the gateway.
The pages a gateway needs (the offline TEST MODE page, Razorpay Checkout) are in gateway_pages/.

Thin: parse, call one service in billing.checkout, render or redirect.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_http_methods

from broadsheet.billing.checkout import services as checkout
from broadsheet.billing.checkout.terms import renewal_terms
from broadsheet.billing.gateways.base import GatewayError
from broadsheet.billing.models import Payment, Plan, Subscription
from broadsheet.billing.subscriptions import services
from broadsheet.core import clock
from broadsheet.core.money import format_money

DECLINED = "Your payment was declined; you have not been charged and no plan was added."
PENDING = "We are waiting for your bank to confirm the payment; you'll get access as soon as it does."


class CheckoutForm(forms.Form):
    buyer_name = forms.CharField(label="Name on the invoice", max_length=200, required=False)
    buyer_state = forms.ChoiceField(
        label="State or union territory (place of supply, for GST)",
        choices=[("", "Choose…"), *((s, s) for s in checkout.STATES)],
    )
    offer_code = forms.CharField(label="Offer code", max_length=40, required=False)


def safe_next(request: HttpRequest, value: str | None) -> str:
    """A local path to send the reader to afterwards, or "" (never an open redirect)."""
    value = value or ""
    ok = url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return value if ok and value.startswith("/") and not value.startswith("//") else ""


def _initial(user_id: int, open_checkout: Payment | None) -> dict[str, str]:
    """The form as the reader last filled it: their open checkout of this plan, else their last purchase."""
    if open_checkout is not None and open_checkout.subscription is not None:
        sub = open_checkout.subscription
        code = open_checkout.offer.code if open_checkout.offer is not None else ""
        return {"buyer_name": sub.buyer_name, "buyer_state": sub.buyer_state, "offer_code": code}
    last = Subscription.objects.filter(user_id=user_id).exclude(buyer_state="").order_by("-pk").first()
    return {"buyer_name": last.buyer_name, "buyer_state": last.buyer_state} if last else {}


@require_http_methods(["GET", "POST"])
def checkout_page(request: HttpRequest, plan_slug: str) -> HttpResponse:
    """The plan, the buyer's details and the quote; "apply" re-quotes, "pay" starts the payment."""
    plan = get_object_or_404(Plan, slug=plan_slug, is_active=True)
    next_path = safe_next(request, request.POST.get("next") or request.GET.get("next"))
    context: dict[str, Any] = {"plan": plan, "next": next_path}
    if not request.user.is_authenticated:
        back = urlencode({"next": request.get_full_path()})
        context |= {
            "signup_url": f"{reverse('account_signup')}?{back}",
            "login_url": f"{reverse('account_login')}?{back}",
        }
        return render(request, "billing/checkout_login.html", context)
    open_checkout = checkout.open_checkout_for(user_id=request.user.pk, plan=plan)
    initial = _initial(request.user.pk, open_checkout)
    form = CheckoutForm(request.POST or None, initial=initial)
    data = form.cleaned_data if request.method == "POST" and form.is_valid() else {}
    resume = initial if open_checkout is not None and request.method == "GET" else {}  # the quote it was on
    if data and request.POST.get("action") == "pay":
        started = _pay(request, plan=plan, data=data, next_path=next_path, context=context)
        if started is not None:
            return started
    context["quote"] = checkout.checkout_quote(
        plan=plan,
        offer_code=data.get("offer_code", "") or resume.get("offer_code", ""),
        buyer_state=data.get("buyer_state", "") or resume.get("buyer_state", ""),
        user_id=request.user.pk,
        at=clock.now(),
    )
    trial = services.trial_days_for(user_id=request.user.pk, plan=plan, subscription_id=None)
    extra = context["quote"].quote.extra_days if context["quote"].offer else 0
    context |= {
        "form": form,
        "state_known": bool(data.get("buyer_state") or resume.get("buyer_state")),
        "open_checkout": open_checkout,
        "trial_days": trial,
        "renewal": renewal_terms(plan=plan, at=clock.now(), free_days=trial + extra),
    }
    return render(request, "billing/checkout.html", context)


def _pay(
    request: HttpRequest, *, plan: Plan, data: dict[str, Any], next_path: str, context: dict[str, Any]
) -> HttpResponse | None:
    """Start the payment and redirect to the gateway; None (with context["error"] set) if it cannot start."""
    user = request.user
    assert user.is_authenticated
    try:
        started = checkout.checkout_start(
            user=user,
            plan=plan,
            offer_code=data["offer_code"],
            buyer_name=data["buyer_name"] or user.email,
            buyer_state=data["buyer_state"],
            return_path=next_path,
            at=clock.now(),
        )
    except checkout.CheckoutRefused as refused:
        context["error"] = str(refused)
        return None
    except GatewayError:
        context["error"] = "The payment service is not answering. Nothing was charged; please try again."
        return None
    if started.outcome == "already_subscribed":
        messages.info(request, f"You already have the {plan.name} plan: it is on your account page.")
    if started.outcome == "in_progress":
        messages.info(request, f"A payment for the {plan.name} plan is already in progress; nothing more was charged.")
    return HttpResponseRedirect(started.redirect_url)


def _owned_payment(request: HttpRequest, payment_id: int) -> Payment:
    if not request.user.is_authenticated:
        raise Http404
    return get_object_or_404(Payment.objects.select_related("plan"), pk=payment_id, user_id=request.user.pk)


def checkout_return_view(request: HttpRequest, payment_id: int) -> HttpResponse:
    """Where the gateway sends the reader back: access on success, plain words otherwise."""
    payment = checkout.checkout_return(payment=_owned_payment(request, payment_id), at=clock.now())
    if payment.refund_due:
        messages.warning(request, paid_twice_message(payment))
        return redirect("account")
    if payment.kind == Payment.Kind.GIFT and payment.status == Payment.Status.SUCCEEDED:
        try:
            return redirect(reverse("gift_sent", args=[payment.gift_id]))
        except NoReverseMatch:
            return redirect("account")
    if payment.status == Payment.Status.SUCCEEDED:
        what = "is now" if payment.kind != Payment.Kind.PLAN_CHANGE else "is now your plan and"
        messages.success(request, f"Thank you: {payment.plan.name} {what} active. Enjoy your reading.")
        return HttpResponseRedirect(safe_next(request, payment.return_path) or reverse("account"))
    retry = reverse("billing_checkout", args=[payment.plan.slug])
    if payment.return_path:
        retry += "?" + urlencode({"next": payment.return_path})
    if payment.kind == Payment.Kind.PLAN_CHANGE:
        retry = reverse("account")
    if payment.status in (Payment.Status.DECLINED, Payment.Status.ABANDONED, Payment.Status.FAILED):
        text, state = DECLINED, "declined"
    elif payment.status == Payment.Status.PENDING:
        text, state = PENDING, "pending"
    else:
        text, state = "Your payment was not completed; you have not been charged.", "open"
    context = {"payment": payment, "message": text, "state": state, "retry_url": retry, "next": payment.return_path}
    return render(request, "billing/checkout_result.html", context)


def paid_twice_message(payment: Payment) -> str:
    amount = format_money(payment.amount_minor, payment.currency)
    done = "has been refunded" if payment.refunded_minor >= payment.amount_minor else "will be refunded"
    return (
        f"You already have the {payment.plan.name} plan, so this second payment of {amount} was not used: "
        f"it {done} in full. Banks take up to a week to show a refund."
    )
