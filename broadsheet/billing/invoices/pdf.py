"""A tax invoice or credit note as a PDF (fpdf2, pure Python).

The document's text is built first as plain lines (`invoice_lines`), then laid
out; the rupee sign needs a Unicode font, so without DejaVu Sans on the system
amounts read "Rs." and the text is kept to Latin-1.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from broadsheet.billing.models import Invoice
from broadsheet.billing.rules.pricing import GST_RATE_BP
from broadsheet.core.lazy_modules import lazy_module
from broadsheet.core.money import format_money
from broadsheet.newsroom.selectors import publication_get
from broadsheet.pictures import storage

DEJAVU_SANS = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"
INDIA = ZoneInfo("Asia/Kolkata")
_LABEL_WIDTH = 60
_LINE = 7

if TYPE_CHECKING:
    import fpdf
else:
    # About 45 MB per process with fontTools: loaded by the first invoice, not by every web worker.
    fpdf = lazy_module("fpdf")


@dataclass(frozen=True, slots=True)
class Content:
    """The words on the document, in order: a title, labelled rows per block, and the amounts."""

    title: str
    header: list[tuple[str, str]]
    seller: list[tuple[str, str]]
    buyer: list[tuple[str, str]]
    supply: list[tuple[str, str]]
    amounts: list[tuple[str, str]]

    def rows(self) -> list[tuple[str, str]]:
        return self.header + self.seller + self.buyer + self.supply + self.amounts


def _money(amount_minor: int, currency: str, *, rupee_sign: bool) -> str:
    text = format_money(amount_minor, currency)
    return text if rupee_sign else text.replace("₹", "Rs. ")


def _percent(bp: int) -> str:
    whole, frac = divmod(bp, 100)
    return f"{whole}%" if frac == 0 else f"{whole}.{frac:02d}%"


def _day(at: datetime) -> str:
    return f"{at.astimezone(INDIA):%d %b %Y}"


def invoice_lines(invoice: Invoice, *, rupee_sign: bool = True) -> Content:
    """Everything printed on the document, as label/value pairs."""
    header = [
        ("Number", invoice.number),
        ("Date", invoice.issued_at.astimezone(INDIA).strftime("%d %b %Y")),
        ("Payment reference", invoice.payment_ref),
    ]
    if invoice.is_credit_note and invoice.credit_note_for is not None:
        original = invoice.credit_note_for
        header.append(("Against invoice", f"{original.number} of {original.issued_at.astimezone(INDIA):%d %b %Y}"))
    seller = [
        *([("Publication", invoice.publication_name)] if invoice.publication_name else []),
        ("Supplier", invoice.seller_legal_name),
        ("GSTIN", invoice.seller_gstin or "-"),
        ("Address", invoice.seller_address or "-"),
        ("State", invoice.seller_state),
    ]
    buyer = [
        ("Recipient", invoice.buyer_name or invoice.buyer_email),
        ("E-mail", invoice.buyer_email),
        ("State (place of supply)", invoice.buyer_state or "-"),
    ]
    supply = [("SAC", invoice.sac), ("Description", invoice.description)]
    if invoice.service_from and invoice.service_until:
        supply.append(("Service period", f"{_day(invoice.service_from)} to {_day(invoice.service_until)}"))
    title = "Credit Note" if invoice.is_credit_note else "Tax Invoice"
    return Content(title, header, seller, buyer, supply, _amount_lines(invoice, rupee_sign=rupee_sign))


def _amount_lines(invoice: Invoice, *, rupee_sign: bool) -> list[tuple[str, str]]:
    """The amounts: list price and discount, taxable value, GST by its parts, the total."""

    def money(amount: int) -> str:
        return _money(int(amount), invoice.currency, rupee_sign=rupee_sign)

    amounts = []
    if invoice.discount_minor and not invoice.is_credit_note:
        offer = f" (offer {invoice.offer_code})" if invoice.offer_code else ""
        amounts += [
            ("List price", money(invoice.total_minor + invoice.discount_minor)),
            (f"Discount{offer}", "-" + money(invoice.discount_minor)),
        ]
    amounts.append(("Taxable value", money(invoice.taxable_minor)))
    if invoice.intra_state:  # the same rule pricing.gst_split applied when the amounts were split
        half = _percent(GST_RATE_BP // 2)
        amounts += [(f"CGST @ {half}", money(invoice.cgst_minor)), (f"SGST @ {half}", money(invoice.sgst_minor))]
    else:
        amounts.append((f"IGST @ {_percent(GST_RATE_BP)}", money(invoice.igst_minor)))
    total_label = "Total credited (tax included)" if invoice.is_credit_note else "Total (tax included)"
    amounts.append((total_label, money(invoice.total_minor)))
    return amounts


class _Writer:
    def __init__(self, pdf: fpdf.FPDF, family: str, unicode: bool) -> None:
        self.pdf, self.family, self.unicode = pdf, family, unicode

    def text(self, value: str) -> str:
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def title(self, value: str) -> None:
        self.pdf.set_font(self.family, size=18)
        self.pdf.cell(0, 12, self.text(value), new_x=fpdf.XPos.LMARGIN, new_y=fpdf.YPos.NEXT)

    def rows(self, rows: list[tuple[str, str]], *, bold_last: bool = False) -> None:
        for i, (label, value) in enumerate(rows):
            size = 12 if bold_last and i == len(rows) - 1 else 10
            self.pdf.set_font(self.family, size=size)
            self.pdf.cell(_LABEL_WIDTH, _LINE, self.text(label))
            self.pdf.multi_cell(0, _LINE, self.text(value), new_x=fpdf.XPos.LMARGIN, new_y=fpdf.YPos.NEXT)
        self.pdf.ln(4)


def invoice_pdf(invoice: Invoice, *, font_path: str = DEJAVU_SANS, compress: bool = True) -> bytes:
    """The PDF of a tax invoice or credit note."""
    unicode = Path(font_path).is_file()
    content = invoice_lines(invoice, rupee_sign=unicode)
    pdf = fpdf.FPDF(format="A4")
    pdf.set_compression(compress)
    pdf.set_title(f"{content.title} {invoice.number}")
    pdf.set_author(invoice.seller_legal_name)
    pdf.set_creation_date(invoice.issued_at)
    if unicode:
        pdf.add_font("DejaVu", "", font_path)
    writer = _Writer(pdf, "DejaVu" if unicode else "Helvetica", unicode)
    pdf.add_page()
    _logo(pdf)
    writer.title(content.title)
    for block in (content.header, content.seller, content.buyer, content.supply):
        writer.rows(block)
    writer.rows(content.amounts, bold_last=True)
    return bytes(pdf.output())


LOGO_WIDTH_MM = 60


def _logo(pdf: fpdf.FPDF) -> None:
    """The publication's logo at the top, when one is set and its file can be read."""
    logo = publication_get().logo
    if logo is None or not logo.file:
        return
    try:
        with storage.renditions().open(logo.file, "rb") as handle:
            data = handle.read()
    except OSError:
        return  # a missing file costs the logo, never the invoice
    height = LOGO_WIDTH_MM * logo.height / logo.width
    pdf.image(io.BytesIO(data), w=LOGO_WIDTH_MM, h=height)
    pdf.ln(4)
