"""Payments (each attempt to take money, keyed before the gateway is called) and refunds."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.billing.models.plans import Plan
from broadsheet.billing.models.subscriptions import Subscription


class Payment(models.Model):
    """One attempt to take money for one period of one subscription (or for a gift).

    The row, with its idempotency key, is committed *before* the gateway is
    called (STYLE habit 7). A crash after the charge and before its outcome is
    recorded leaves the row in `created`; the next run calls the gateway again
    with the same key, and the gateway answers with the same payment instead of
    charging twice.
    """

    class Kind(models.TextChoices):
        FIRST = "first", "First payment"
        RENEWAL = "renewal", "Renewal"
        PLAN_CHANGE = "plan_change", "Change of plan"
        GIFT = "gift", "Gift"

    class Status(models.TextChoices):
        CREATED = "created", "Created (gateway not yet answered)"
        PENDING = "pending", "Pending at the gateway"
        SUCCEEDED = "succeeded", "Paid"
        DECLINED = "declined", "Declined"
        FAILED = "failed", "Failed (gateway error)"
        ABANDONED = "abandoned", "Abandoned checkout"

    FINAL = (Status.SUCCEEDED, Status.DECLINED, Status.ABANDONED)
    OPEN = (Status.CREATED, Status.PENDING)  # a checkout still open: at most one per reader and plan

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="payments")
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="payments"
    )
    gift = models.ForeignKey("billing.Gift", null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="payments")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    period = models.IntegerField(default=0, help_text="The subscription period this pays for.")
    attempt = models.PositiveSmallIntegerField(default=0, help_text="0 for the first try, then one per retry.")
    idempotency_key = models.CharField(max_length=120, unique=True)
    gateway = models.CharField(max_length=20)
    amount_minor = models.PositiveIntegerField(help_text="Paise, tax included.")
    list_price_minor = models.PositiveIntegerField(help_text="The plan's price before any offer.")
    discount_minor = models.PositiveIntegerField(default=0)
    currency = models.CharField(max_length=3, default="INR")
    offer = models.ForeignKey("billing.Offer", null=True, blank=True, on_delete=models.PROTECT, related_name="payments")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.CREATED)
    checkout_session_id = models.CharField(max_length=160, blank=True, db_index=True)
    checkout_url = models.CharField(max_length=500, blank=True, help_text="The gateway's page for this checkout.")
    gateway_payment_id = models.CharField(max_length=160, blank=True, db_index=True)
    message = models.CharField(max_length=240, blank=True, help_text="The gateway's reason, for a decline.")
    return_path = models.CharField(max_length=400, blank=True, help_text="Where the reader goes after paying.")
    refunded_minor = models.PositiveIntegerField(default=0)
    refund_due = models.BooleanField(
        default=False, help_text="Paid twice for one plan: not applied, and given back (billing/duplicates.py)."
    )
    created_at = models.DateTimeField()
    settled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "created_at"]), models.Index(fields=["status", "created_at"])]
        constraints = [
            # One open checkout per reader and plan: a resubmitted form resumes it (billing/checkout.py).
            models.UniqueConstraint(
                fields=["user", "plan"],
                condition=models.Q(kind="first", status__in=["created", "pending"]),
                name="billing_one_open_checkout",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.amount_minor} {self.currency} ({self.status})"


class Refund(models.Model):
    """Money given back by staff, against one payment; its credit note is issued with it."""

    payment = models.ForeignKey(Payment, on_delete=models.PROTECT, related_name="refunds")
    amount_minor = models.PositiveIntegerField()
    idempotency_key = models.CharField(max_length=120, unique=True)
    gateway_refund_id = models.CharField(max_length=160, blank=True)
    reason = models.CharField(max_length=240)
    access_until = models.DateTimeField(help_text="When the reader's access ends because of this refund.")
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"refund {self.amount_minor} of payment {self.payment_id}"
