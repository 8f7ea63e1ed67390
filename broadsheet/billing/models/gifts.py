"""Gift subscriptions: bought by one reader, redeemed by another with a code."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from broadsheet.billing.models.plans import Plan
from broadsheet.billing.models.subscriptions import Subscription


class Gift(models.Model):
    """A plan bought for someone else. The recipient's benefits start when they redeem the code."""

    class Status(models.TextChoices):
        PENDING = "pending", "Awaiting payment"
        PAID = "paid", "Paid, not yet redeemed"
        REDEEMED = "redeemed", "Redeemed"
        REFUNDED = "refunded", "Refunded"

    buyer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="gifts_bought")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="gifts")
    recipient_email = models.EmailField()
    recipient_name = models.CharField(max_length=200, blank=True)
    message = models.CharField(max_length=500, blank=True)
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_state = models.CharField(max_length=60, blank=True, help_text="The buyer's place of supply, for GST.")
    code = models.CharField(max_length=24, unique=True, help_text="What the recipient types to redeem.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    redeemed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="gifts_redeemed"
    )
    redeemed_at = models.DateTimeField(null=True, blank=True)
    subscription = models.OneToOneField(
        Subscription, null=True, blank=True, on_delete=models.PROTECT, related_name="gift"
    )
    created_at = models.DateTimeField()
    redeem_by = models.DateTimeField(help_text="The code cannot be redeemed after this.")

    def __str__(self) -> str:
        return f"{self.plan} for {self.recipient_email} ({self.status})"

    def clean(self) -> None:
        """Staff may extend a code's life, never end it before it was bought."""
        if self.created_at and self.redeem_by and self.redeem_by <= self.created_at:
            raise ValidationError({"redeem_by": "The code must stay redeemable after the gift was bought."})
