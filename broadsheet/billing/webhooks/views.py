"""The gateways' webhook endpoint: read the raw body, hand it to the inbox, answer in HTTP.

The answer is for the gateway, which retries on 5xx: 400 means "this is not a
genuine event, do not send it again", 200 means "stored; nothing more to do",
500 means "stored, but handling broke: try again later".
"""

from __future__ import annotations

import logging

from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import GatewayError, InvalidSignature, UnknownGateway
from broadsheet.billing.models import InboxEvent
from broadsheet.billing.webhooks.inbox import inbox_receive
from broadsheet.core import clock

log = logging.getLogger(__name__)

ANSWERS = {
    InboxEvent.Status.PROCESSED: 200,
    InboxEvent.Status.IGNORED: 200,
    InboxEvent.Status.UNMATCHED: 200,  # stored and reported to staff: a redelivery would not help
    InboxEvent.Status.RECEIVED: 200,
    InboxEvent.Status.FAILED: 500,
}


def _text(status: int, text: str) -> HttpResponse:
    return HttpResponse(text + "\n", status=status, content_type="text/plain; charset=utf-8")


def _body(request: HttpRequest) -> bytes | None:
    """The raw body, or None when it is over BROADSHEET_WEBHOOK_MAX_BYTES (checked before reading it)."""
    limit = conf.webhook_max_bytes()
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > limit:
        return None
    try:
        body = request.body
    except RequestDataTooBig:
        return None
    return body if len(body) <= limit else None


@csrf_exempt
@require_POST
def gateway_webhook(request: HttpRequest, gateway: str) -> HttpResponse:
    body = _body(request)
    if body is None:
        return _text(413, "body too large")
    try:
        row = inbox_receive(gateway_name=gateway, body=body, headers=request.headers, at=clock.now())
    except UnknownGateway:
        return _text(404, "no such gateway")
    except InvalidSignature as exc:
        log.info("webhook for %s refused: %s", gateway, exc)
        return _text(400, "invalid signature")
    except GatewayError as exc:
        if exc.code == "not_configured":  # our fault: keep the gateway retrying until it is fixed
            log.error("webhook for %s cannot be verified: %s", gateway, exc)
            return _text(500, "not configured")
        log.info("webhook for %s refused: %s", gateway, exc)
        return _text(400, "not an event")
    status = ANSWERS.get(InboxEvent.Status(row.status), 200)
    duplicate = " (duplicate)" if row.deliveries > 1 and status == 200 else ""
    return _text(status, f"{row.status}{duplicate}")
