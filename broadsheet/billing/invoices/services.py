"""Issuing GST tax invoices and credit notes: the only writers of Invoice rows.

Numbers are sequential per series and financial year without gaps: the number is
taken by one UPDATE of the (series, financial year) row of InvoiceSequence, which
locks it, and the document is created in the same transaction, so a rollback
gives the number back and parallel issues queue on the lock. Renewal runs issue
many at once (`invoices_issue_many`): one block of numbers, one INSERT. Call these inside the caller's own
transaction when the invoice must stand or fall with the payment record.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F, Sum

from broadsheet.billing import conf, locks
from broadsheet.billing.models import Invoice, InvoiceSequence
from broadsheet.billing.rules.financial_year import financial_year
from broadsheet.billing.rules.pricing import SAC_ONLINE_NEWS, TaxSplit, gst_split
from broadsheet.newsroom.selectors import publication_get

Series = InvoiceSequence.Series


class InvoiceError(ValueError):
    """An invoice or credit note that may not be issued as asked."""


class PaymentRefConflict(InvoiceError):
    """The payment already has an invoice, for another reader or amount."""


class CreditExceedsInvoice(InvoiceError):
    """A credit note for more than is left to credit on its invoice."""


@dataclass(frozen=True, slots=True)
class Seller:
    legal_name: str
    gstin: str
    address: str
    state: str
    trade_name: str = ""


@dataclass(frozen=True, slots=True)
class Supply:
    """What the invoice is for, beyond the amount: the offer that applied and the period of service."""

    discount_minor: int = 0
    offer_code: str = ""
    service_from: datetime | None = None
    service_until: datetime | None = None

    def fields(self) -> dict[str, object]:
        return {
            "discount_minor": self.discount_minor,
            "offer_code": self.offer_code,
            "service_from": self.service_from,
            "service_until": self.service_until,
        }


def seller_get() -> Seller:
    """The publisher's tax identity: legal name from the publication, the rest from settings."""
    return Seller(
        trade_name=publication_get().name,
        legal_name=publication_get().legal_name,
        gstin=conf.seller_gstin(),
        address=conf.seller_address(),
        state=conf.seller_state(),
    )


def invoice_number(series: str, fy: str, sequence: int) -> str:
    """ "INV/2026-27/000123"."""
    return f"{series}/{fy}/{sequence:06d}"


def _ensure_sequence(series: str, fy: str) -> None:
    # INSERT … ON CONFLICT DO NOTHING (INSERT OR IGNORE on SQLite): never raises under a race.
    InvoiceSequence.objects.bulk_create(
        [InvoiceSequence(series=series, financial_year=fy, last_number=0)], ignore_conflicts=True
    )


def _take_numbers(series: str, fy: str, count: int = 1) -> int:
    """Take `count` numbers of the series' year in one statement; the last one taken.

    `UPDATE … SET last_number = last_number + count … RETURNING` locks the row
    until the caller's transaction ends (PostgreSQL, and SQLite's one writer),
    so parallel issues queue and a rollback gives the numbers back: no gaps.
    """
    sql = (
        f"UPDATE {InvoiceSequence._meta.db_table} SET last_number = last_number + %s "
        "WHERE series = %s AND financial_year = %s RETURNING last_number"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [count, series, fy])
        row = cursor.fetchone()
        if row is None:  # the year's first document: create the row, then take
            _ensure_sequence(series, fy)
            cursor.execute(sql, [count, series, fy])
            row = cursor.fetchone()
    return int(row[0])


def _give_back(series: str, fy: str, count: int = 1) -> None:
    """Return numbers just taken (the row is still ours): a lost race for the same payment leaves no gap."""
    InvoiceSequence.objects.filter(series=series, financial_year=fy).update(last_number=F("last_number") - count)


def _check_aware(at: datetime) -> None:
    if at.tzinfo is None or at.utcoffset() is None:
        raise InvoiceError("issue times are aware datetimes")


def _existing_invoice(payment_ref: str, *, user_id: int, total_minor: int) -> Invoice | None:
    found = Invoice.objects.filter(series=Series.INVOICE, payment_ref=payment_ref).first()
    if found is not None and (found.user_id != user_id or found.total_minor != total_minor):
        raise PaymentRefConflict(f"payment {payment_ref} is already invoiced as {found.number} for another amount")
    return found


def _tax_fields(split: TaxSplit) -> dict[str, int]:
    return {
        "total_minor": split.total,
        "taxable_minor": split.taxable_value,
        "cgst_minor": split.cgst,
        "sgst_minor": split.sgst,
        "igst_minor": split.igst,
    }


def invoice_issue(
    *,
    user_id: int,
    payment_ref: str,
    total_minor: int,
    description: str,
    buyer_name: str,
    buyer_state: str,
    at: datetime,
    subscription_id: int | None = None,
    supply: Supply | None = None,
) -> Invoice:
    """The tax invoice for one payment; issuing it again for the same payment returns the first one.

    `total_minor` is what the reader paid, tax included; GST is carved out by
    place of supply (the buyer's state against the seller's).
    """
    _check_aware(at)
    if total_minor <= 0 or not payment_ref:
        raise InvoiceError("an invoice is for a payment: a gateway reference and a positive amount")
    existing = _existing_invoice(payment_ref, user_id=user_id, total_minor=total_minor)
    if existing is not None:
        return existing
    req = InvoiceRequest(
        user_id=user_id,
        payment_ref=payment_ref,
        total_minor=total_minor,
        description=description,
        buyer_name=buyer_name,
        buyer_state=buyer_state,
        buyer_email="",  # read once the number is taken
        subscription_id=subscription_id,
        supply=supply,
    )
    try:
        return _invoice_insert(req, at)
    except IntegrityError:
        # The same payment invoiced in another financial year's series at the same moment.
        existing = _existing_invoice(payment_ref, user_id=user_id, total_minor=total_minor)
        if existing is None:
            raise
        return existing


def _invoice_insert(req: InvoiceRequest, at: datetime) -> Invoice:
    """Take the next number and insert the invoice; the payment invoiced meanwhile gives its number back."""
    seller, fy = seller_get(), financial_year(at)
    with transaction.atomic():
        sequence = _take_numbers(Series.INVOICE, fy)
        # A parallel issue for the same payment held the lock before us: it is visible now.
        existing = _existing_invoice(req.payment_ref, user_id=req.user_id, total_minor=req.total_minor)
        if existing is not None:
            _give_back(Series.INVOICE, fy)
            return existing
        email = get_user_model().objects.values_list("email", flat=True).get(pk=req.user_id)
        invoice = _invoice_row(replace(req, buyer_email=email), seller, fy, sequence, at)
        invoice.save(force_insert=True)
        return invoice


@dataclass(frozen=True, slots=True)
class InvoiceRequest:
    """One payment to invoice in `invoices_issue_many` (what `invoice_issue` takes, with the buyer's e-mail)."""

    user_id: int
    payment_ref: str
    total_minor: int
    description: str
    buyer_name: str
    buyer_state: str
    buyer_email: str
    subscription_id: int | None = None
    supply: Supply | None = None


def _distinct(requests: Sequence[InvoiceRequest]) -> list[InvoiceRequest]:
    """One request per payment; the same payment asked twice for another reader or amount is refused."""
    first: dict[str, InvoiceRequest] = {}
    for req in requests:
        if req.total_minor <= 0 or not req.payment_ref:
            raise InvoiceError("an invoice is for a payment: a gateway reference and a positive amount")
        seen = first.setdefault(req.payment_ref, req)
        if (seen.user_id, seen.total_minor) != (req.user_id, req.total_minor):
            raise PaymentRefConflict(f"payment {req.payment_ref} asked twice with different readers or amounts")
    return list(first.values())


def invoices_issue_many(*, requests: Sequence[InvoiceRequest], at: datetime) -> list[Invoice]:
    """Tax invoices for many payments at once, numbered as one block; payments already invoiced are skipped.

    The same rules as `invoice_issue`, in a handful of statements whatever the
    count: the block of numbers is taken with one UPDATE (which holds the
    sequence row until the caller's transaction ends), payments invoiced
    meanwhile are left out and their numbers given back, the rest are inserted
    together in the order asked. Returns the invoices issued here.
    """
    _check_aware(at)
    wanted = _distinct(requests)
    if not wanted:
        return []
    seller, fy = seller_get(), financial_year(at)
    with transaction.atomic():
        last = _take_numbers(Series.INVOICE, fy, len(wanted))
        done = {
            inv.payment_ref: inv
            for inv in Invoice.objects.filter(series=Series.INVOICE, payment_ref__in=[r.payment_ref for r in wanted])
        }
        for req in wanted:
            found = done.get(req.payment_ref)
            if found is not None and (found.user_id, found.total_minor) != (req.user_id, req.total_minor):
                raise PaymentRefConflict(f"payment {req.payment_ref} is already invoiced as {found.number}")
        todo = [req for req in wanted if req.payment_ref not in done]
        if len(todo) < len(wanted):
            _give_back(Series.INVOICE, fy, len(wanted) - len(todo))
        first = last - len(wanted) + 1
        rows = [_invoice_row(req, seller, fy, first + n, at) for n, req in enumerate(todo)]
        return Invoice.objects.bulk_create(rows)


def _invoice_row(req: InvoiceRequest, seller: Seller, fy: str, sequence: int, at: datetime) -> Invoice:
    split = gst_split(req.total_minor, seller_state=seller.state, buyer_state=req.buyer_state)
    return Invoice(
        number=invoice_number(Series.INVOICE, fy, sequence),
        series=Series.INVOICE,
        financial_year=fy,
        sequence=sequence,
        issued_at=at,
        user_id=req.user_id,
        subscription_id=req.subscription_id,
        payment_ref=req.payment_ref,
        buyer_name=req.buyer_name,
        buyer_email=req.buyer_email,
        buyer_state=req.buyer_state,
        seller_legal_name=seller.legal_name,
        seller_gstin=seller.gstin,
        seller_address=seller.address,
        seller_state=seller.state,
        sac=SAC_ONLINE_NEWS,
        description=req.description,
        publication_name=seller.trade_name,
        currency="INR",
        **(req.supply or Supply()).fields(),
        **_tax_fields(split),
    )


def credit_left(invoice: Invoice) -> int:
    """What may still be credited on `invoice`: its total less every earlier credit note."""
    credited = invoice.credit_notes.aggregate(s=Sum("total_minor"))["s"] or 0
    return int(invoice.total_minor - credited)


def _credit_split(invoice: Invoice, amount_minor: int, left: int) -> dict[str, int]:
    """GST on the refund at the invoice's place of supply; the last credit takes exactly what is left of each part."""
    if amount_minor != left:
        return _tax_fields(gst_split(amount_minor, seller_state=invoice.seller_state, buyer_state=invoice.buyer_state))
    sums = invoice.credit_notes.aggregate(
        t=Sum("taxable_minor"), c=Sum("cgst_minor"), s=Sum("sgst_minor"), i=Sum("igst_minor")
    )
    return {
        "total_minor": amount_minor,
        "taxable_minor": invoice.taxable_minor - (sums["t"] or 0),
        "cgst_minor": invoice.cgst_minor - (sums["c"] or 0),
        "sgst_minor": invoice.sgst_minor - (sums["s"] or 0),
        "igst_minor": invoice.igst_minor - (sums["i"] or 0),
    }


def credit_note_issue(
    *, invoice: Invoice, amount_minor: int, reason: str, at: datetime, refund_ref: str = ""
) -> Invoice:
    """A credit note against `invoice` for a refund of `amount_minor` (tax included), in the CN series.

    Never more than is left to credit on the invoice. With `refund_ref` (the
    gateway's refund id) issuing again for the same refund returns the first note.
    """
    _check_aware(at)
    if invoice.series != Series.INVOICE:
        raise InvoiceError("a credit note is issued against a tax invoice")
    if amount_minor <= 0:
        raise InvoiceError("a credit note is for a positive amount")
    fy = financial_year(at)
    with transaction.atomic():
        # Credit notes against one invoice queue on its row, so the cap holds under parallel refunds.
        original = locks.invoice_lock(invoice.pk)
        if refund_ref:
            earlier = original.credit_notes.filter(payment_ref=refund_ref).first()
            if earlier is not None:
                return earlier
        left = credit_left(original)
        if amount_minor > left:
            raise CreditExceedsInvoice(f"{original.number} has {left} paise left to credit, not {amount_minor}")
        tax = _credit_split(original, amount_minor, left)
        sequence = _take_numbers(Series.CREDIT_NOTE, fy)
        note = _credit_note_row(original, tax, sequence=sequence, fy=fy, at=at, reason=reason, refund_ref=refund_ref)
        note.save(force_insert=True)
        return note


def _credit_note_row(
    original: Invoice, tax: dict[str, int], *, sequence: int, fy: str, at: datetime, reason: str, refund_ref: str
) -> Invoice:
    """The credit note against `original`, numbered `sequence` of the CN series, not yet saved."""
    return Invoice(
        number=invoice_number(Series.CREDIT_NOTE, fy, sequence),
        series=Series.CREDIT_NOTE,
        financial_year=fy,
        sequence=sequence,
        issued_at=at,
        user_id=original.user_id,
        subscription_id=original.subscription_id,
        payment_ref=refund_ref or original.payment_ref,
        buyer_name=original.buyer_name,
        buyer_email=original.buyer_email,
        buyer_state=original.buyer_state,
        seller_legal_name=original.seller_legal_name,
        seller_gstin=original.seller_gstin,
        seller_address=original.seller_address,
        seller_state=original.seller_state,
        sac=original.sac,
        description=f"Credit against {original.number}: {reason}"[:240],
        publication_name=original.publication_name,
        currency=original.currency,
        credit_note_for=original,
        **tax,
    )
