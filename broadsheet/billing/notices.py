"""E-mails about subscriptions, each sent at most once.

A notice is a BillingNotice row, unique by (subscription, kind, key), created in
the caller's transaction; the mail goes out after commit. A renewal run records
its "renewed" notices many at a time (`renewed_notices_many`). A second attempt for
the same key finds the row and sends nothing, so a task that runs twice, or a
payment reported by both the reader's return and a webhook, mails once.

Keys, per kind (one mail per key and subscription):

* pre_debit ``p<N>``: before charging period N (docs/renewals.md: timing);
* renewed ``p<N>``: period N was charged (the receipt of a renewal);
* failed ``p<N>-r<A>``: attempt A at period N was declined;
* expired ``p<N>``: the subscription ended after period N;
* price_change ``change-<id>``: one PlanPriceChange;
* receipt ``payment-<id>``: any other payment.

A paid gift's mails (its code to the recipient, a word to the buyer) are not
rows: they go once because the gift moves from pending to paid once
(`settlement.payment_settle`), and are sent after that commit (`gift_paid_mails`).

Dates in the mails are in the publication's time zone.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, mailers
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from broadsheet.billing.invoices.pdf import invoice_pdf
from broadsheet.billing.models import (
    BillingNotice,
    Gift,
    Invoice,
    InvoiceSequence,
    Payment,
    Plan,
    PlanPriceChange,
    Subscription,
)
from broadsheet.billing.statements import plan_line, url_number
from broadsheet.core import clock
from broadsheet.core.site import absolute, site_url
from broadsheet.newsroom.selectors import PublicationSettings, publication_get

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
    attach_invoice: Invoice | None = None,
) -> bool:
    """Record and (after commit) send one notice; False if it was already sent.

    `attach_invoice`: its PDF is made and attached after commit, outside the payment's transaction.
    """
    recipient = to or subscription.user.email
    try:
        with transaction.atomic():
            BillingNotice.objects.create(
                subscription=subscription, kind=kind, key=key, sent_at=at, to=recipient, subject=subject[:200]
            )
    except IntegrityError:
        return False
    message = _message(publication_get(), subscription, subject, template, context, recipient)

    def send() -> None:
        if attach_invoice is not None:
            name = f"{url_number(attach_invoice.number)}.pdf"
            message.attach(name, invoice_pdf(attach_invoice), "application/pdf")
        message.send()

    transaction.on_commit(send, robust=True)  # a mail failure never undoes a payment
    return True


def _message(
    publication: PublicationSettings,
    subscription: Subscription,
    subject: str,
    template: str,
    context: Mapping[str, Any],
    recipient: str,
) -> EmailMessage:
    with timezone.override(publication.time_zone or settings.TIME_ZONE):
        body = render_to_string(
            template,
            {**context, "publication": publication, "site_url": site_url(), "subscription": subscription},
        )
    return EmailMessage(subject=f"{subject} · {publication.name}", body=body, to=[recipient])


def receipt_after_commit(*, payment_id: int) -> None:
    """The payment receipt, once per payment (gifts are receipted to the buyer as well)."""
    payment = Payment.objects.select_related("plan", "subscription__user", "user").get(pk=payment_id)
    sub = payment.subscription
    if sub is None:
        return  # a gift's code and confirmation go out with `gift_paid_mails`
    if payment.kind == Payment.Kind.RENEWAL:
        renewed_notice(subscription=sub, payment=payment, at=payment.settled_at or clock.now())
        return
    at = payment.settled_at or clock.now()
    invoice = _invoice_of(payment)
    notice_once(
        subscription=sub,
        kind=BillingNotice.Kind.RECEIPT,
        key=f"payment-{payment.pk}",
        subject=f"Payment received: {payment.plan.name}",
        template="billing/mail/receipt.txt",
        context={"payment": payment, **_receipt_context(sub, invoice, at)},
        at=at,
        attach_invoice=invoice,
    )


def _invoice_of(payment: Payment) -> Invoice | None:
    ref = payment.gateway_payment_id or payment.idempotency_key
    return Invoice.objects.filter(series=InvoiceSequence.Series.INVOICE, payment_ref=ref).first()


def _renewal_context(payment: Payment, invoice_number: str) -> dict[str, Any]:
    return {
        "payment": payment,
        "invoice_number": invoice_number,
        "invoice_url": _invoice_url(invoice_number) if invoice_number else "",
    }


def _invoice_url(number: str) -> str:
    return site_url() + reverse("billing_invoice_pdf", args=[url_number(number)])


def _receipt_context(sub: Subscription, invoice: Invoice | None, at: datetime) -> dict[str, Any]:
    """What every receipt says besides the payment: the next renewal's date and price, and the invoice."""
    sub.refresh_from_db()  # the payment's settlement moved its period on
    line = plan_line(sub, at)
    return {
        "renews_on": line.renews_on,
        "next_charge": line.next_charge,
        "paid_until": line.paid_until,
        "invoice": invoice,
        "invoice_url": _invoice_url(invoice.number) if invoice else "",
    }


# --- gifts -------------------------------------------------------------------------


def redeem_url(code: str) -> str:
    return absolute(f"{reverse('gift_redeem')}?{urlencode({'code': code})}")


def gift_paid_mails(*, gift_id: int) -> None:
    """A paid gift: the code to the recipient, with how to redeem it, and a confirmation to the buyer."""
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


# --- renewals -------------------------------------------------------------------------


def pre_debit_notice(
    *, subscription: Subscription, plan: Plan, amount_minor: int, charge_on: datetime, at: datetime
) -> bool:
    """Before charging the next period: the amount, the date, and how to turn renewal off."""
    return notice_once(
        subscription=subscription,
        kind=BillingNotice.Kind.PRE_DEBIT,
        key=f"p{subscription.period + 1}",
        subject=f"Your {plan.name} subscription renews on {_day(charge_on)}",
        template="billing/mail/pre_debit.txt",
        context={"plan": plan, "amount_minor": amount_minor, "charge_on": charge_on},
        at=at,
    )


def renewed_notice(*, subscription: Subscription, payment: Payment, at: datetime) -> bool:
    """A renewal was charged: the receipt, with the new end of the paid period and a link to the invoice.

    Word for word what `renewed_notices_many` sends for the same renewal.
    """
    invoice = _invoice_of(payment)
    return notice_once(
        subscription=subscription,
        kind=BillingNotice.Kind.RENEWED,
        key=f"p{payment.period}",
        subject=f"Renewed: {payment.plan.name}",
        template="billing/mail/renewal_charged.txt",
        context=_renewal_context(payment, invoice.number if invoice else ""),
        at=at,
    )


def renewed_notices_many(*, renewals: Sequence[tuple[Subscription, Payment]], at: datetime) -> int:
    """`renewed_notice` for many renewals: the rows in one INSERT, the mails after commit on one connection.

    Call it with the subscriptions locked (as `payment_settle` holds them): the
    notices already recorded are read first and left out, and no other writer
    can add one for these rows before commit, so the mails sent are exactly the
    rows inserted. Subscriptions need their user loaded. Returns how many were sent.
    """
    if not renewals:
        return 0
    kind = BillingNotice.Kind.RENEWED
    keys = {(sub.pk, f"p{payment.period}") for sub, payment in renewals}
    done = set(
        BillingNotice.objects.filter(subscription_id__in={pk for pk, _ in keys}, kind=kind).values_list(
            "subscription_id", "key"
        )
    )
    rows, messages = [], []
    publication = publication_get()
    numbers = _invoice_numbers([payment for _, payment in renewals])
    for sub, payment in renewals:
        key = f"p{payment.period}"
        if (sub.pk, key) in done:
            continue
        done.add((sub.pk, key))
        subject = f"Renewed: {payment.plan.name}"
        rows.append(
            BillingNotice(subscription=sub, kind=kind, key=key, sent_at=at, to=sub.user.email, subject=subject[:200])
        )
        template = "billing/mail/renewal_charged.txt"
        number = numbers.get(payment.gateway_payment_id or payment.idempotency_key)
        context = _renewal_context(payment, number or "")
        messages.append(_message(publication, sub, subject, template, context, sub.user.email))
    BillingNotice.objects.bulk_create(rows, ignore_conflicts=True)
    if messages:
        transaction.on_commit(lambda: _send_all(messages), robust=True)  # a mail failure never undoes a payment
    return len(messages)


def _invoice_numbers(payments: Sequence[Payment]) -> dict[str, str]:
    """The invoice number of each payment invoiced, by its payment reference, in one query."""
    refs = [p.gateway_payment_id or p.idempotency_key for p in payments]
    rows = Invoice.objects.filter(series=InvoiceSequence.Series.INVOICE, payment_ref__in=refs)
    return dict(rows.values_list("payment_ref", "number"))


def _send_all(messages: list[EmailMessage]) -> None:
    mailers.default.send_messages(messages)


def renewal_failed_notice(*, subscription: Subscription, payment: Payment, at: datetime) -> bool:
    """A renewal charge was declined: when we try again (or that we will not), and how to pay now.

    `subscription` is the row after the decline was recorded (its next retry and grace end).
    """
    return notice_once(
        subscription=subscription,
        kind=BillingNotice.Kind.FAILED,
        key=f"p{payment.period}-r{payment.attempt}",
        subject=f"We could not renew your {payment.plan.name} subscription",
        template="billing/mail/renewal_failed.txt",
        context={"payment": payment},
        at=at,
    )


def expired_notice(*, subscription: Subscription, at: datetime) -> bool:
    """The subscription has ended: once per subscription and last paid period."""
    return notice_once(
        subscription=subscription,
        kind=BillingNotice.Kind.EXPIRED,
        key=f"p{subscription.period}",
        subject=f"Your {subscription.plan.name} subscription has ended",
        template="billing/mail/expired.txt",
        context={},
        at=at,
    )


def price_change_notice(
    *, subscription: Subscription, change: PlanPriceChange, next_price_minor: int, at: datetime
) -> bool:
    """A plan's price changes for renewals from `change.renewals_from`: once per change and subscriber."""
    return notice_once(
        subscription=subscription,
        kind=BillingNotice.Kind.PRICE_CHANGE,
        key=f"change-{change.pk}",
        subject=f"A new price for {change.plan.name} from {_day(change.renewals_from)}",
        template="billing/mail/price_change.txt",
        context={"change": change, "next_price_minor": next_price_minor},
        at=at,
    )


def _day(at: datetime) -> str:
    """A date as the mails print it, in the publication's time zone: "28 February 2027"."""
    publication = publication_get()
    with timezone.override(publication.time_zone or settings.TIME_ZONE):
        local = timezone.localtime(at)
    return f"{local.day} {local:%B %Y}"
