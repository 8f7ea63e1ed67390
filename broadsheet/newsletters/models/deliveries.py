"""One row per recipient of an issue, and one per sender run: the send's state, which survives a crash.

A delivery moves queued → sending (claimed by a run) → sent, or to bounced /
failed / skipped. "sent" is written, by the run that holds the claim, before the
message's final dot goes to the relay: the relay never has a message that the
database does not call sent, so no restart sends it again. See sending/sender.py.
"""

from __future__ import annotations

from django.db import models

from broadsheet.newsletters.rules import DeliveryStatus


class SendRun(models.Model):
    """One sender working on an issue; its heartbeat says it is alive."""

    issue = models.ForeignKey("newsletters.Issue", on_delete=models.CASCADE, related_name="runs")
    worker = models.CharField(max_length=80, blank=True)
    started_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    sent = models.PositiveIntegerField(default=0)
    outcome = models.CharField(max_length=40, blank=True)

    class Meta:
        indexes = [models.Index(fields=["issue", "finished_at"])]

    def __str__(self) -> str:
        return f"run {self.pk} of issue {self.issue_id}"


class Delivery(models.Model):
    issue = models.ForeignKey("newsletters.Issue", on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey("newsletters.Subscriber", on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(
        max_length=8, choices=[(s.value, s.label) for s in DeliveryStatus], default=DeliveryStatus.QUEUED
    )
    to_address = models.CharField(max_length=254, blank=True)
    kind = models.CharField(max_length=80, blank=True, help_text="The recipient kind the mail was built for.")
    run = models.ForeignKey(SendRun, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    retry_at = models.DateTimeField(null=True, blank=True)
    reply = models.CharField(max_length=300, blank=True, help_text="The relay's answer, or why it was skipped.")

    class Meta:
        verbose_name_plural = "deliveries"
        constraints = [models.UniqueConstraint(fields=["issue", "subscriber"], name="newsletters_one_delivery")]
        indexes = [models.Index(fields=["issue", "status", "id"])]

    def __str__(self) -> str:
        return f"{self.to_address} · {self.status}"
