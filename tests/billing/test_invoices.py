"""GST tax invoices and credit notes: numbering, idempotency, tax split, caps, the PDF."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connections, transaction

from broadsheet.billing.invoices.pdf import invoice_lines, invoice_pdf
from broadsheet.billing.invoices.services import (
    CreditExceedsInvoice,
    InvoiceError,
    PaymentRefConflict,
    credit_left,
    credit_note_issue,
    invoice_issue,
)
from broadsheet.billing.models import Invoice, InvoiceSequence
from broadsheet.billing.rules.pricing import SAC_ONLINE_NEWS
from broadsheet.readers.models import User
from tests import factories as f

IST = ZoneInfo("Asia/Kolkata")
AT = datetime(2026, 11, 29, 10, 30, tzinfo=IST)
GSTIN = "27AABCB1234C1Z5"


@pytest.fixture(autouse=True)
def _seller(settings: object) -> None:
    settings.BROADSHEET_GSTIN = GSTIN  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_ADDRESS = "12 Dalal Street, Fort, Mumbai 400001"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_STATE = "Maharashtra"  # type: ignore[attr-defined]


@pytest.fixture
def buyer(db: None) -> User:
    f.publication(legal_name="Test Gazette Media Pvt Ltd")
    return f.reader("asha@example.com")


def _issue(user: User, ref: str, *, total: int = 270000, state: str = "Maharashtra", at: datetime = AT) -> Invoice:
    return invoice_issue(
        user_id=user.pk,
        payment_ref=ref,
        total_minor=total,
        description="Smart Essential, 1 Year",
        buyer_name="Asha Rao",
        buyer_state=state,
        at=at,
    )


def _numbers(series: str = "INV") -> list[int]:
    return list(Invoice.objects.filter(series=series).order_by("sequence").values_list("sequence", flat=True))


# --- numbering ------------------------------------------------------------------


def test_numbers_are_sequential_within_a_financial_year(buyer: User) -> None:
    invoices = [_issue(buyer, f"pay_{i}", at=AT + timedelta(days=i)) for i in range(3)]
    assert [i.number for i in invoices] == ["INV/2026-27/000001", "INV/2026-27/000002", "INV/2026-27/000003"]
    assert InvoiceSequence.objects.get(series="INV", financial_year="2026-27").last_number == 3


def test_a_new_financial_year_restarts_at_one_at_india_midnight(buyer: User) -> None:
    march = _issue(buyer, "pay_march", at=datetime(2027, 3, 31, 23, 59, tzinfo=IST))
    april = _issue(buyer, "pay_april", at=datetime(2027, 4, 1, 0, 1, tzinfo=IST))
    assert march.number == "INV/2026-27/000001"
    assert april.number == "INV/2027-28/000001"


def test_the_same_payment_gets_one_invoice(buyer: User) -> None:
    first = _issue(buyer, "pay_once")
    again = _issue(buyer, "pay_once", at=AT + timedelta(hours=1))
    assert again.pk == first.pk
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get(series="INV").last_number == 1


def test_a_payment_reused_for_another_amount_is_refused_and_nothing_changes(buyer: User) -> None:
    _issue(buyer, "pay_x")
    with pytest.raises(PaymentRefConflict):
        _issue(buyer, "pay_x", total=90000)
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get(series="INV").last_number == 1


@pytest.mark.parametrize("total", [0, -100])
def test_an_invoice_needs_a_positive_amount(buyer: User, total: int) -> None:
    with pytest.raises(InvoiceError):
        _issue(buyer, "pay_zero", total=total)
    assert not InvoiceSequence.objects.exists()


def test_a_naive_time_is_refused(buyer: User) -> None:
    with pytest.raises(InvoiceError):
        _issue(buyer, "pay_naive", at=datetime(2026, 11, 29, 10, 30))


@pytest.mark.django_db(transaction=True)
def test_a_rollback_after_issue_leaves_no_gap() -> None:
    f.publication()
    user = f.reader()
    _issue(user, "pay_1")
    with pytest.raises(RuntimeError), transaction.atomic():
        _issue(user, "pay_2")
        raise RuntimeError("the payment record failed to save")
    assert not Invoice.objects.filter(payment_ref="pay_2").exists()
    assert _issue(user, "pay_3").number == "INV/2026-27/000002"
    assert _numbers() == [1, 2]


# --- what the invoice says ------------------------------------------------------------


def test_seller_and_buyer_details_are_copied_onto_the_invoice(buyer: User) -> None:
    inv = _issue(buyer, "pay_details")
    assert (inv.seller_legal_name, inv.seller_gstin, inv.seller_state) == (
        "Test Gazette Media Pvt Ltd",
        GSTIN,
        "Maharashtra",
    )
    assert inv.seller_address.startswith("12 Dalal Street")
    assert (inv.buyer_name, inv.buyer_email, inv.buyer_state) == ("Asha Rao", "asha@example.com", "Maharashtra")
    assert inv.sac == SAC_ONLINE_NEWS
    assert inv.currency == "INR"


def test_intra_state_supply_charges_cgst_and_sgst(buyer: User) -> None:
    inv = _issue(buyer, "pay_intra", state="maharashtra ")
    assert (inv.taxable_minor, inv.cgst_minor, inv.sgst_minor, inv.igst_minor) == (228814, 20593, 20593, 0)
    assert inv.intra_state


@pytest.mark.parametrize("state", ["Karnataka", ""])
def test_inter_state_or_unknown_state_supply_charges_igst(buyer: User, state: str) -> None:
    inv = _issue(buyer, "pay_inter", state=state)
    assert (inv.taxable_minor, inv.cgst_minor, inv.sgst_minor, inv.igst_minor) == (228814, 0, 0, 41186)
    assert not inv.intra_state


@pytest.mark.parametrize("total", [1, 99, 90000, 270000, 390000, 123457])
@pytest.mark.parametrize("state", ["Maharashtra", "Kerala"])
def test_gst_parts_add_up_to_the_total(buyer: User, total: int, state: str) -> None:
    inv = _issue(buyer, f"pay_{total}_{state}", total=total, state=state)
    assert inv.taxable_minor + inv.cgst_minor + inv.sgst_minor + inv.igst_minor == inv.total_minor == total


# --- credit notes -------------------------------------------------------------------


def test_credit_notes_are_numbered_in_their_own_series(buyer: User) -> None:
    inv1, inv2 = _issue(buyer, "pay_a"), _issue(buyer, "pay_b")
    cn1 = credit_note_issue(invoice=inv1, amount_minor=100000, reason="partial refund", at=AT + timedelta(days=1))
    cn2 = credit_note_issue(invoice=inv2, amount_minor=270000, reason="cancelled", at=AT + timedelta(days=1))
    assert (cn1.number, cn2.number) == ("CN/2026-27/000001", "CN/2026-27/000002")
    assert cn1.credit_note_for == inv1
    assert cn1.is_credit_note
    assert _issue(buyer, "pay_c").number == "INV/2026-27/000003"  # the invoice series is untouched


def test_a_credit_note_is_split_at_the_invoice_place_of_supply(buyer: User) -> None:
    inv = _issue(buyer, "pay_ka", state="Karnataka")
    cn = credit_note_issue(invoice=inv, amount_minor=90000, reason="refund", at=AT)
    assert (cn.taxable_minor, cn.cgst_minor, cn.sgst_minor, cn.igst_minor) == (76271, 0, 0, 13729)
    assert cn.buyer_state == "Karnataka"


def test_credit_notes_never_exceed_what_is_left_and_a_refusal_changes_nothing(buyer: User) -> None:
    inv = _issue(buyer, "pay_cap")
    credit_note_issue(invoice=inv, amount_minor=200000, reason="first", at=AT)
    with pytest.raises(CreditExceedsInvoice):
        credit_note_issue(invoice=inv, amount_minor=70001, reason="too much", at=AT)
    assert credit_left(inv) == 70000
    assert Invoice.objects.filter(series="CN").count() == 1
    assert InvoiceSequence.objects.get(series="CN").last_number == 1
    credit_note_issue(invoice=inv, amount_minor=70000, reason="the rest", at=AT)
    assert credit_left(inv) == 0
    with pytest.raises(CreditExceedsInvoice):
        credit_note_issue(invoice=inv, amount_minor=1, reason="nothing left", at=AT)


def test_credit_notes_for_the_whole_invoice_return_exactly_its_tax(buyer: User) -> None:
    inv = _issue(buyer, "pay_parts")
    for amount in (33333, 33333, 270000 - 66666):  # each rounded on its own; the last one takes the remainder
        credit_note_issue(invoice=inv, amount_minor=amount, reason="instalment", at=AT)
    notes = list(inv.credit_notes.all())
    for field in ("total_minor", "taxable_minor", "cgst_minor", "sgst_minor", "igst_minor"):
        assert sum(getattr(n, field) for n in notes) == getattr(inv, field), field
    for n in notes:
        assert n.taxable_minor + n.cgst_minor + n.sgst_minor + n.igst_minor == n.total_minor


def test_a_credit_note_against_a_credit_note_is_refused(buyer: User) -> None:
    cn = credit_note_issue(invoice=_issue(buyer, "pay_cn"), amount_minor=100, reason="r", at=AT)
    with pytest.raises(InvoiceError):
        credit_note_issue(invoice=cn, amount_minor=50, reason="r", at=AT)


def test_the_same_refund_gets_one_credit_note(buyer: User) -> None:
    inv = _issue(buyer, "pay_rf")
    first = credit_note_issue(invoice=inv, amount_minor=1000, reason="r", at=AT, refund_ref="rfnd_1")
    again = credit_note_issue(invoice=inv, amount_minor=1000, reason="r", at=AT, refund_ref="rfnd_1")
    assert again.pk == first.pk
    assert credit_left(inv) == 269000


# --- parallel purchases (SQLite and PostgreSQL) ---------------------------------------


PARALLEL = 20


def _in_parallel(refs: list[str], user: User) -> list[str]:
    barrier = threading.Barrier(len(refs))

    def buy(ref: str) -> str:
        barrier.wait()
        try:
            return _issue(user, ref).number
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(refs)) as pool:
        return list(pool.map(buy, refs))


@pytest.mark.django_db(transaction=True)
def test_twenty_parallel_purchases_get_numbers_one_to_twenty() -> None:
    f.publication()
    user = f.reader()
    numbers = _in_parallel([f"pay_par_{i}" for i in range(PARALLEL)], user)
    assert len(set(numbers)) == PARALLEL
    assert _numbers() == list(range(1, PARALLEL + 1))
    assert InvoiceSequence.objects.get(series="INV", financial_year="2026-27").last_number == PARALLEL


@pytest.mark.django_db(transaction=True)
def test_parallel_retries_of_one_payment_make_one_invoice() -> None:
    f.publication()
    user = f.reader()
    numbers = _in_parallel(["pay_retry"] * 10, user)
    assert set(numbers) == {"INV/2026-27/000001"}
    assert Invoice.objects.count() == 1
    assert InvoiceSequence.objects.get(series="INV").last_number == 1


# --- the PDF --------------------------------------------------------------------------


def test_invoice_lines_carry_every_required_field(buyer: User) -> None:
    content = invoice_lines(_issue(buyer, "pay_pdf"))
    text = "\n".join([content.title] + [f"{label}: {value}" for label, value in content.rows()])
    for expected in (
        "Tax Invoice",
        "INV/2026-27/000001",
        "29 Nov 2026",
        "Test Gazette Media Pvt Ltd",
        GSTIN,
        "12 Dalal Street",
        "Asha Rao",
        "asha@example.com",
        SAC_ONLINE_NEWS,
        "Smart Essential, 1 Year",
        "Taxable value: ₹2,288.14",
        "CGST @ 9%: ₹205.93",
        "SGST @ 9%: ₹205.93",
        "Total (tax included): ₹2,700",
    ):
        assert expected in text, expected
    assert "IGST" not in text
    assert "{{" not in text


def test_credit_note_lines_name_the_original_and_use_igst_across_states(buyer: User) -> None:
    inv = _issue(buyer, "pay_pdf_cn", state="Karnataka")
    cn = credit_note_issue(invoice=inv, amount_minor=90000, reason="refund", at=AT)
    content = invoice_lines(cn, rupee_sign=False)
    rows = dict(content.rows())
    assert content.title == "Credit Note"
    assert rows["Against invoice"].startswith("INV/2026-27/000001")
    assert rows["IGST @ 18%"] == "Rs. 137.29"
    assert rows["Total credited (tax included)"] == "Rs. 900"
    assert "CGST @ 9%" not in rows


def test_invoice_pdf_with_the_unicode_font(buyer: User) -> None:
    pdf = invoice_pdf(_issue(buyer, "pay_pdf_u"))
    assert pdf.startswith(b"%PDF-")
    assert pdf.rstrip().endswith(b"%%EOF")
    assert b"INV/2026-27/000001" in pdf  # the document title in the metadata
    assert b"{{" not in pdf


def test_invoice_pdf_falls_back_to_rs_without_the_font(buyer: User) -> None:
    inv = _issue(buyer, "pay_pdf_rs")
    pdf = invoice_pdf(inv, font_path="/nonexistent/font.ttf", compress=False)
    assert pdf.startswith(b"%PDF-")
    for expected in (b"Tax Invoice", b"INV/2026-27/000001", GSTIN.encode(), b"Rs. 2,700", b"Rs. 205.93", b"998431"):
        assert expected in pdf, expected
    assert b"{{" not in pdf
