"""The offline test gateway's own books: what a real gateway keeps on its servers.

They make the test gateway behave like a real one where tests look: a hosted
checkout session remembers its amount and return address, and a charge made
twice with the same idempotency key is one charge.
"""

from __future__ import annotations

from django.db import models


class TestGatewaySession(models.Model):
    __test__ = False

    class Status(models.TextChoices):
        OPEN = "open", "Open"
        PAID = "paid", "Paid"
        DECLINED = "declined", "Declined"
        PENDING = "pending", "Pending (confirmed later by webhook)"
        CANCELLED = "cancelled", "Cancelled by the reader"

    session_id = models.CharField(max_length=64, unique=True)
    idempotency_key = models.CharField(max_length=255, unique=True)
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    description = models.CharField(max_length=240)
    customer_email = models.EmailField()
    return_url = models.CharField(max_length=500)
    cancel_url = models.CharField(max_length=500)
    metadata = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    payment_id = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.session_id} ({self.status})"


class TestGatewayCharge(models.Model):
    """One charge as the gateway recorded it; the same idempotency key never makes a second row."""

    __test__ = False
    idempotency_key = models.CharField(max_length=255, unique=True)
    payment_id = models.CharField(max_length=64, unique=True)
    amount_minor = models.PositiveIntegerField()
    currency = models.CharField(max_length=3)
    status = models.CharField(max_length=10)
    mandate_ref = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.payment_id} {self.amount_minor} ({self.status})"
