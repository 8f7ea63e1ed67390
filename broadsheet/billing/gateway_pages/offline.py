"""The offline gateway's hosted checkout page (TEST MODE), and what the tester's choice does.

Ours, labelled TEST MODE everywhere, and served only while the "test" gateway is
configured. A choice settles the session in the gateway's books, then hands its
signed webhook to our inbox in-process, as if it had come over HTTP.
"""

from __future__ import annotations

import logging
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from broadsheet.billing.checkout.services import checkout_return
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.gateways.registry import configured_gateways
from broadsheet.billing.models import Payment
from broadsheet.billing.webhooks.inbox import inbox_receive
from broadsheet.core import clock

log = logging.getLogger(__name__)

CHOICES = ("success", "decline", "pending", "confirm", "fail")


def test_gateway_choose(*, session_id: str, choice: str, at: datetime) -> str:
    """The tester's choice on the TEST MODE page, then its signed webhook; returns where the reader goes."""
    gateway = TestGateway()
    if choice in ("confirm", "fail"):
        record = gateway.confirm_pending(session_id, paid=choice == "confirm")
    else:
        record = gateway.complete(session_id, choice)
    _deliver_test_webhook(gateway, session_id, at=at)
    return record.return_url


def _deliver_test_webhook(gateway: TestGateway, session_id: str, *, at: datetime) -> None:
    """Hand the gateway's signed webhook to our inbox in-process, as if it had come over HTTP."""
    payload = gateway.session_event(session_id)
    if payload is None:
        return
    body, headers = gateway.sign_webhook(payload)
    try:
        inbox_receive(gateway_name=gateway.name, body=body, headers=headers, at=at)
    except Exception:  # the inbox keeps its own record; the outcome is recorded as the return page would
        log.exception("test gateway webhook for %s was not taken in", session_id)
        payment = Payment.objects.filter(gateway=gateway.name, checkout_session_id=session_id).first()
        if payment is not None:
            checkout_return(payment=payment, at=at)


@require_http_methods(["GET", "POST"])
def test_gateway_page(request: HttpRequest, session_id: str) -> HttpResponse:
    """The offline test gateway's hosted checkout page: ours, and labelled TEST MODE everywhere."""
    if "test" not in configured_gateways():
        raise Http404("the test gateway is not configured")
    record = TestGateway().session(session_id)
    if record is None:
        raise Http404
    if request.method == "POST":
        choice = request.POST.get("choice", "")
        if choice not in CHOICES:
            return HttpResponseBadRequest("unknown choice")
        return HttpResponseRedirect(test_gateway_choose(session_id=session_id, choice=choice, at=clock.now()))
    return render(request, "billing/gateways/offline/page.html", {"session": record})
