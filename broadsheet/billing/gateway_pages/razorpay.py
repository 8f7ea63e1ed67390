"""Razorpay Checkout's pages: ours that opens checkout.js for an order, and the handler's verify post.

A good signature (the order and payment signed with our key secret) records the
payment as paid, through settlement like every other channel.
"""

from __future__ import annotations

from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import GatewayError, InvalidSignature
from broadsheet.billing.gateways.razorpay.gateway import RazorpayGateway
from broadsheet.billing.gateways.registry import configured_gateways, get_gateway
from broadsheet.billing.models import Payment
from broadsheet.billing.payments import settlement
from broadsheet.core import clock
from broadsheet.newsroom.selectors import publication_get


def razorpay_verify(
    *, payment: Payment, order_id: str, razorpay_payment_id: str, signature: str, at: datetime
) -> Payment:
    """Razorpay Checkout's handler reports a payment: verify its signature, then record it as paid.

    Raises InvalidSignature (and records nothing) when the signature does not
    match the order and payment with our key secret.
    """
    if not order_id or order_id != payment.checkout_session_id:
        raise InvalidSignature("the order is not this payment's")
    gateway = get_gateway("razorpay")
    if not isinstance(gateway, RazorpayGateway):
        raise GatewayError("the razorpay gateway is not Razorpay's adapter", code="not_configured")
    gateway.verify_checkout(order_id=order_id, payment_id=razorpay_payment_id, signature=signature)
    return settlement.payment_settle(
        payment_id=payment.pk,
        outcome="succeeded",
        at=at,
        actor="gateway:razorpay",
        gateway_payment_id=razorpay_payment_id,
    )


def razorpay_checkout_page(request: HttpRequest, order_id: str) -> HttpResponse:
    """Our page that opens Razorpay Checkout (checkout.js) for an order made by checkout_start."""
    if "razorpay" not in configured_gateways() or not request.user.is_authenticated:
        raise Http404
    payment = get_object_or_404(
        Payment.objects.select_related("plan"),
        gateway="razorpay",
        checkout_session_id=order_id,
        user_id=request.user.pk,
    )
    options = {
        "key": conf.razorpay_key_id(),
        "order_id": order_id,
        "amount": payment.amount_minor,
        "currency": payment.currency,
        "name": publication_get().name,
        "description": payment.plan.name,
        "prefill": {"email": request.user.email},
    }
    context = {
        "payment": payment,
        "rzp_options": options,
        "verify_url": reverse("billing_razorpay_verify"),
        "cancel_url": reverse("billing_return", args=[payment.pk]),
    }
    return render(request, "billing/gateways/razorpay/checkout.html", context)


@require_POST
def razorpay_verify_view(request: HttpRequest) -> HttpResponse:
    """Razorpay Checkout's handler posts here; a good signature records the payment, then the return page."""
    if "razorpay" not in configured_gateways() or not request.user.is_authenticated:
        raise Http404
    order_id = request.POST.get("razorpay_order_id", "")
    payment = get_object_or_404(Payment, gateway="razorpay", checkout_session_id=order_id, user_id=request.user.pk)
    try:
        razorpay_verify(
            payment=payment,
            order_id=order_id,
            razorpay_payment_id=request.POST.get("razorpay_payment_id", ""),
            signature=request.POST.get("razorpay_signature", ""),
            at=clock.now(),
        )
    except InvalidSignature:
        return HttpResponseBadRequest("The payment could not be verified.")
    return redirect("billing_return", payment_id=payment.pk)
