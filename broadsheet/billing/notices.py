"""E-mails about subscriptions, each sent at most once.

A notice is a BillingNotice row, unique by (subscription, kind, key), created in
the caller's transaction; the mail goes out after commit. A second attempt for
the same key finds the row and sends nothing, so a task that runs twice, or a
payment reported by both the reader's return and a webhook, mails once.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string

from broadsheet.billing.models import BillingNotice, Payment, Subscription
from broadsheet.core import clock
from broadsheet.newsroom.selectors import publication_get

log = logging.getLogger(__name__)


def notice_once(
    *,
    subscription: Subscription,
    kind: str,
    key: str,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    at: datetime,
    to: str | None = None,
) -> bool:
    """Record and (after commit) send one notice; False if it was already sent."""
    recipient = to or subscription.user.email
    try:
        with transaction.atomic():
            BillingNotice.objects.create(
                subscription=subscription, kind=kind, key=key, sent_at=at, to=recipient, subject=subject[:200]
            )
    except IntegrityError:
        return False
    publication = publication_get()
    body = render_to_string(
        template,
        {**context, "publication": publication, "site_url": settings.SITE_URL, "subscription": subscription},
    )
    message = EmailMessage(subject=f"{subject} · {publication.name}", body=body, to=[recipient])
    transaction.on_commit(message.send, robust=True)  # a mail failure never undoes a payment
    return True


def receipt_after_commit(*, payment_id: int) -> None:
    """The payment receipt, once per payment (gifts are receipted to the buyer as well)."""
    payment = Payment.objects.select_related("plan", "subscription__user", "user").get(pk=payment_id)
    sub = payment.subscription
    if sub is None:
        return  # a gift's receipt and code go out with billing.gifts
    notice_once(
        subscription=sub,
        kind=BillingNotice.Kind.RECEIPT,
        key=f"payment-{payment.pk}",
        subject=f"Payment received: {payment.plan.name}",
        template="billing/mail/receipt.txt",
        context={"payment": payment},
        at=payment.settled_at or clock.now(),
    )
