"""Plans and the benefits they grant."""

from __future__ import annotations

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
    is_recommended = models.BooleanField(
        "recommended",
        default=False,
        help_text="Marked “Best value” on the plan cards (one plan; if several are marked, the first in order).",
    )
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
