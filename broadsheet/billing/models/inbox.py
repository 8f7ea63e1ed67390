"""The webhook inbox: every verified gateway event, stored before it is acted on."""

from __future__ import annotations

from django.db import models

from broadsheet.billing.models.subscriptions import Subscription


class InboxEvent(models.Model):
    """One gateway event, unique by (gateway, event_id), with what handling it did (STYLE habit 9)."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received, not yet handled"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored (a type we do not act on)"
        UNMATCHED = "unmatched", "No matching subscription or payment"
        FAILED = "failed", "Handling failed"

    gateway = models.CharField(max_length=20)
    event_id = models.CharField(max_length=160)
    type = models.CharField(max_length=32)
    gateway_type = models.CharField(max_length=80)
    body = models.TextField(help_text="The raw, verified body.")
    received_at = models.DateTimeField()
    deliveries = models.PositiveIntegerField(default=1)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RECEIVED)
    error = models.TextField(blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    subscription = models.ForeignKey(
        Subscription, null=True, blank=True, on_delete=models.SET_NULL, related_name="inbox_events"
    )

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["gateway", "event_id"], name="billing_inbox_once")]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.gateway}:{self.event_id} {self.gateway_type} ({self.status})"
