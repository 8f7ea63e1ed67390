"""Offer codes: percent or fixed off the first period, or extra free days."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.billing.models.plans import Plan


class Offer(models.Model):
    """An offer code as subscription managers set it up. `billing.pricing.Offer` is its pure twin."""

    class Kind(models.TextChoices):
        PERCENT = "percent", "Percent off the first period (value in basis points: 2500 = 25%)"
        FIXED = "fixed", "Fixed amount off the first period (value in paise)"
        EXTRA_DAYS = "extra_days", "Extra free days on the first period (value in days)"

    code = models.CharField(max_length=40, unique=True, help_text="What readers type; stored upper-case.")
    description = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=12, choices=Kind.choices)
    value = models.PositiveIntegerField()
    plans = models.ManyToManyField(Plan, blank=True, related_name="offers", help_text="None: every plan.")
    max_uses = models.PositiveIntegerField(null=True, blank=True, help_text="Empty: unlimited.")
    used = models.PositiveIntegerField(default=0, help_text="Paid uses so far.")
    valid_from = models.DateTimeField(null=True, blank=True)
    valid_until = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)

    def __str__(self) -> str:
        return self.code

    def save(self, *args: object, **kwargs: object) -> None:
        self.code = self.code.strip().upper()
        super().save(*args, **kwargs)  # type: ignore[arg-type]


class OfferRedemption(models.Model):
    """One reader's use of an offer: reserved at checkout, confirmed by the payment, or released."""

    class Status(models.TextChoices):
        RESERVED = "reserved", "Reserved at checkout"
        CONFIRMED = "confirmed", "Paid"
        RELEASED = "released", "Released (declined or abandoned)"

    offer = models.ForeignKey(Offer, on_delete=models.PROTECT, related_name="redemptions")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offer_redemptions")
    payment = models.OneToOneField("billing.Payment", on_delete=models.CASCADE, related_name="redemption")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RESERVED)
    created_at = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.offer} by {self.user_id} ({self.status})"
