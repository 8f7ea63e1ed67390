"""GST tax invoices and credit notes, and the per-year sequences that number them."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.billing.models.subscriptions import Subscription


class InvoiceSequence(models.Model):
    """The last number issued in one series for one financial year.

    Numbers are taken by locking this row (services in billing.invoices), so a
    rolled-back issue leaves no gap and parallel issues never share a number.
    """

    class Series(models.TextChoices):
        INVOICE = "INV", "Tax invoice"
        CREDIT_NOTE = "CN", "Credit note"

    series = models.CharField(max_length=3, choices=Series.choices)
    financial_year = models.CharField(max_length=7, help_text='April to March, India time: "2026-27".')
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["series", "financial_year"], name="billing_invoiceseq_series_fy_uniq")
        ]

    def __str__(self) -> str:
        return f"{self.series}/{self.financial_year}: {self.last_number}"


class Invoice(models.Model):
    """A GST tax invoice (series INV) or a credit note against one (series CN). Never edited.

    Seller and buyer details are copied in at issue time: the document must read
    the same years later, whatever happens to the publication or the account.
    Amounts are paise; prices are tax-inclusive, so
    taxable_minor + cgst_minor + sgst_minor + igst_minor == total_minor.
    """

    number = models.CharField(max_length=32, unique=True)
    series = models.CharField(max_length=3, choices=InvoiceSequence.Series.choices)
    financial_year = models.CharField(max_length=7)
    sequence = models.PositiveIntegerField()
    issued_at = models.DateTimeField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invoices")
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="invoices"
    )
    payment_ref = models.CharField(max_length=120, help_text="The gateway's payment (or refund) id.")
    buyer_name = models.CharField(max_length=200)
    buyer_email = models.EmailField()
    buyer_state = models.CharField(max_length=60, blank=True)
    seller_legal_name = models.CharField(max_length=200)
    seller_gstin = models.CharField(max_length=15, blank=True)
    seller_address = models.TextField(blank=True)
    seller_state = models.CharField(max_length=60)
    sac = models.CharField(max_length=8)
    description = models.CharField(max_length=240)
    publication_name = models.CharField(max_length=120, blank=True, help_text="The trade name the reader knows.")
    discount_minor = models.PositiveBigIntegerField(default=0, help_text="Taken off the list price by an offer.")
    offer_code = models.CharField(max_length=40, blank=True)
    service_from = models.DateTimeField(null=True, blank=True, help_text="The period of service this pays for.")
    service_until = models.DateTimeField(null=True, blank=True)
    total_minor = models.PositiveBigIntegerField()
    taxable_minor = models.PositiveBigIntegerField()
    cgst_minor = models.PositiveBigIntegerField(default=0)
    sgst_minor = models.PositiveBigIntegerField(default=0)
    igst_minor = models.PositiveBigIntegerField(default=0)
    currency = models.CharField(max_length=3, default="INR")
    credit_note_for = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="credit_notes"
    )

    class Meta:
        ordering = ["series", "financial_year", "sequence"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "financial_year", "sequence"], name="billing_invoice_series_fy_seq_uniq"
            ),
            models.UniqueConstraint(
                fields=["payment_ref"],
                condition=models.Q(series="INV"),
                name="billing_invoice_one_per_payment",
            ),
        ]
        indexes = [models.Index(fields=["user", "issued_at"])]

    def __str__(self) -> str:
        return self.number

    @property
    def is_credit_note(self) -> bool:
        return self.series == InvoiceSequence.Series.CREDIT_NOTE

    @property
    def intra_state(self) -> bool:
        """Place of supply in the seller's state: CGST + SGST rather than IGST (as pricing.gst_split decides)."""
        buyer = self.buyer_state.strip().upper()
        return bool(buyer) and buyer == self.seller_state.strip().upper()
