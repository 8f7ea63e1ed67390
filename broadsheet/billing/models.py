"""Plans, the benefits they grant, and the subscription records benefits come from."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.core.generations import GenerationMixin
from broadsheet.core.money import format_money, per_month_floor, period_label


class Benefit(GenerationMixin, models.Model):
    """One entitlement a plan can grant ("premium", "epaper", "ad_free", …)."""

    generation = "plans"
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(max_length=120)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Plan(GenerationMixin, models.Model):
    generation = "plans"
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    price_minor = models.PositiveIntegerField(help_text="Total price in paise, tax included (₹2,700 is 270000).")
    currency = models.CharField(max_length=3, default="INR")
    period_months = models.PositiveIntegerField()
    benefits = models.ManyToManyField(Benefit, blank=True, related_name="plans")
    is_active = models.BooleanField(default=True)
    display_order = models.PositiveIntegerField(default=0)
    trial_days = models.PositiveIntegerField(default=0)
    max_devices = models.PositiveSmallIntegerField(default=5, help_text="Devices that may be signed in at once.")

    class Meta:
        ordering = ["display_order", "price_minor"]

    def __str__(self) -> str:
        return self.name

    @property
    def price_display(self) -> str:
        return format_money(self.price_minor, self.currency)

    @property
    def per_month_display(self) -> str:
        return format_money(per_month_floor(self.price_minor, self.period_months), self.currency)

    @property
    def period_display(self) -> str:
        return period_label(self.period_months)


class Subscription(GenerationMixin, models.Model):
    """A reader's right to a plan's benefits over a period.

    Until billing lands, staff create these in the admin; the billing issue adds
    the lifecycle, gateways and ledger on top of this record.
    """

    generation = "subscriptions"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending payment"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        EXPIRED = "expired", "Expired"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    auto_renew = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [models.Index(fields=["user", "status", "current_period_end"])]

    def __str__(self) -> str:
        return f"{self.user} · {self.plan} ({self.get_status_display()})"


# --- GST tax invoices and credit notes ---------------------------------------


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
