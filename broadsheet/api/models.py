"""What the API keeps: the outcome of each write sent with an Idempotency-Key."""

from __future__ import annotations

from django.db import models


class IdempotencyRecord(models.Model):
    """One write sent with an Idempotency-Key, and its response once there is one.

    `scope` is a hash of who sent it (device or address), the method, the path and the
    key; `fingerprint` an HMAC of the body, so a key reused for a different request is
    refused. Kept BROADSHEET_IDEMPOTENCY_HOURS.
    """

    scope = models.CharField(max_length=64, unique=True)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.scope[:12]}… {self.status_code or 'in progress'}"
