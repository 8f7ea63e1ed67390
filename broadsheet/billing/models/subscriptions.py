"""Subscriptions, their append-only ledger, and the notices sent about them."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from broadsheet.billing.models.plans import Plan
from broadsheet.core.generations import GenerationMixin


class Subscription(GenerationMixin, models.Model):
    """A reader's right to a plan's benefits, and the lifecycle state behind it.

    The lifecycle columns (anchor … access_ends_at) are exactly
    `billing.lifecycle.SubscriptionState`; only `billing.services` writes them,
    through `lifecycle.transition`, and appends a LedgerEntry in the same
    transaction. `current_period_*`, `access_from` and `access_until` are derived from the
    state on every save, so readers (entitlements, the account page) need no
    lifecycle arithmetic.
    """

    generation = "subscriptions"

    class Status(models.TextChoices):
        PENDING = "pending", "Pending payment"
        ACTIVE = "active", "Active"
        PAST_DUE = "past_due", "Past due"
        EXPIRED = "expired", "Expired"

    class Source(models.TextChoices):
        PURCHASE = "purchase", "Bought by the reader"
        GIFT = "gift", "Gift"
        STAFF = "staff", "Granted by staff"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="subscriptions")
    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="subscriptions")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.PURCHASE)
    current_period_start = models.DateTimeField()
    current_period_end = models.DateTimeField()
    auto_renew = models.BooleanField(default=True)
    # When the benefits stop (period end, end of grace, a refund's end), None while pending.
    access_until = models.DateTimeField(null=True, blank=True)
    # When the paid access that runs to access_until began (rules.access.access_from): the first payment,
    # not the current period's start, so a renewal charged early leaves no gap before the new period.
    access_from = models.DateTimeField(null=True, blank=True)

    # --- lifecycle state (billing.lifecycle.SubscriptionState) ---
    anchor = models.DateTimeField(null=True, blank=True, help_text="Period ends are counted from here.")
    offset_months = models.PositiveIntegerField(default=0)
    period = models.IntegerField(default=-1, help_text="The last period paid for; -1 while pending.")
    period_months = models.PositiveIntegerField(default=0, help_text="0: the plan's period.")
    pending_plan = models.ForeignKey(
        Plan, null=True, blank=True, on_delete=models.PROTECT, related_name="pending_subscriptions"
    )
    retry_count = models.PositiveSmallIntegerField(default=0)
    next_retry_at = models.DateTimeField(null=True, blank=True)
    grace_ends_at = models.DateTimeField(null=True, blank=True)
    access_ends_at = models.DateTimeField(null=True, blank=True, help_text="Set by a refund.")
    started_at = models.DateTimeField(
        null=True, blank=True, help_text="First access (before the anchor with extra days)."
    )

    # --- money and gateway ---
    renewal_price_minor = models.PositiveIntegerField(
        null=True, blank=True, help_text="The price renewals charge (paise, tax included); None: the plan's price."
    )
    currency = models.CharField(max_length=3, default="INR")
    gateway = models.CharField(max_length=20, default="test")
    gateway_ref = models.CharField(max_length=120, blank=True, db_index=True, help_text="The gateway's subscription.")
    customer_ref = models.CharField(max_length=120, blank=True)
    mandate_ref = models.CharField(max_length=120, blank=True, help_text="Saved card, e-mandate or UPI autopay.")
    buyer_name = models.CharField(max_length=200, blank=True)
    buyer_state = models.CharField(max_length=60, blank=True, help_text="Place of supply, for GST.")

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["user", "status", "current_period_end"]),
            models.Index(fields=["status", "current_period_end"]),
            models.Index(fields=["status", "next_retry_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.plan} ({self.get_status_display()})"

    @property
    def months(self) -> int:
        return self.period_months or self.plan.period_months


class LedgerEntry(models.Model):
    """One transition of one subscription: what, when, why, by whom or which event. Never edited.

    No-ops (a duplicate webhook, a stale event) are written too, with noop=True,
    so the audit shows every event the subscription received.
    """

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="ledger")
    what = models.CharField(max_length=32)
    from_status = models.CharField(max_length=10)
    to_status = models.CharField(max_length=10)
    at = models.DateTimeField()
    reason = models.CharField(max_length=240, blank=True)
    actor = models.CharField(max_length=80, blank=True, help_text='"user:42", "staff:7", "scheduler", "gateway:test".')
    event_id = models.CharField(max_length=160, blank=True)
    period = models.IntegerField(null=True, blank=True)
    amount_minor = models.BigIntegerField(null=True, blank=True)
    noop = models.BooleanField(default=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["subscription_id", "id"]
        verbose_name_plural = "ledger entries"
        indexes = [models.Index(fields=["subscription", "id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.what} {self.from_status}→{self.to_status}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ValueError("the ledger is append-only: entries are never changed")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ValueError("the ledger is append-only: entries are never deleted")


class BillingNotice(models.Model):
    """An e-mail about a subscription, recorded before it is sent so each goes out once."""

    class Kind(models.TextChoices):
        PRE_DEBIT = "pre_debit", "Before a renewal charge"
        RENEWED = "renewed", "Renewal charged"
        FAILED = "failed", "Renewal charge failed"
        EXPIRED = "expired", "Subscription ended"
        PRICE_CHANGE = "price_change", "Plan price change"
        RECEIPT = "receipt", "Payment received"
        CANCELLED = "cancelled", "Renewal turned off"

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    # The period (or the retry, or the price change) the notice is about: unique with kind.
    key = models.CharField(max_length=40)
    sent_at = models.DateTimeField()
    to = models.EmailField()
    subject = models.CharField(max_length=200)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["subscription", "kind", "key"], name="billing_notice_once"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.key} → {self.to}"


class PlanPriceChange(models.Model):
    """A new price for a plan: new purchases pay it at once, renewals only from `renewals_from`.

    `renewals_from` is the announcement plus the notice period
    (BROADSHEET_PRICE_CHANGE_NOTICE_DAYS); a renewal never pays a price that was
    announced less than that before it.
    """

    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="price_changes")
    old_price_minor = models.PositiveIntegerField()
    new_price_minor = models.PositiveIntegerField()
    announced_at = models.DateTimeField()
    renewals_from = models.DateTimeField()

    class Meta:
        ordering = ["plan_id", "announced_at"]

    def __str__(self) -> str:
        return f"{self.plan}: {self.old_price_minor} → {self.new_price_minor} from {self.renewals_from:%Y-%m-%d}"
