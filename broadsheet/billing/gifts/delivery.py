"""A paid gift: pending to paid, once, and the code mailed to its recipient (the buyer told).

Kept apart from buying and redeeming, which create payments and subscriptions:
settling a gift payment calls in here, and nothing here calls back.
"""

from __future__ import annotations

from datetime import datetime

from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode

from broadsheet.billing.models import Gift
from broadsheet.core.site import absolute, site_url
from broadsheet.newsroom.selectors import publication_get


def gift_mark_paid(*, gift_id: int, at: datetime) -> bool:
    """Pending → paid, once (a conditional update); the code is mailed after commit. False if already done."""
    moved = Gift.objects.filter(pk=gift_id, status=Gift.Status.PENDING).update(status=Gift.Status.PAID)
    if moved:
        transaction.on_commit(lambda: gift_mails_send(gift_id=gift_id), robust=True)
    return bool(moved)


def redeem_url(code: str) -> str:
    return absolute(f"{reverse('gift_redeem')}?{urlencode({'code': code})}")


def gift_mails_send(*, gift_id: int) -> None:
    """The code to the recipient, with how to redeem it, and a confirmation to the buyer."""
    gift = Gift.objects.select_related("plan", "buyer").get(pk=gift_id)
    publication = publication_get()
    context = {
        "gift": gift,
        "publication": publication,
        "site_url": site_url(),
        "redeem_url": redeem_url(gift.code),
        "giver": gift.buyer_name or gift.buyer.email,
    }
    to_recipient = EmailMessage(
        subject=f"A gift for you: {gift.plan.name} · {publication.name}",
        body=render_to_string("billing/mail/gift_code.txt", context),
        to=[gift.recipient_email],
    )
    to_buyer = EmailMessage(
        subject=f"Your gift is on its way · {publication.name}",
        body=render_to_string("billing/mail/gift_bought.txt", context),
        to=[gift.buyer.email],
    )
    to_recipient.send()
    to_buyer.send()
