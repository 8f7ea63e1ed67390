"""Partner publication access: pools of activation codes, the codes, and their audit."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

CODE_MAX_LENGTH = 500  # activation codes are short; links to a partner's redeem page can be long


class PartnerPool(models.Model):
    """One partner's codes, uploaded by the subscription manager, claimable until `expires_at`."""

    partner_name = models.CharField(max_length=120)
    description = models.CharField(
        max_length=500, blank=True, help_text="Shown to subscribers: what the code gives and how to redeem it."
    )
    includes = models.CharField(
        max_length=300,
        blank=True,
        help_text="What the partner's access includes, e.g. “a year of the digital edition”.",
    )
    redeem_url = models.URLField(
        "redemption link", blank=True, help_text="The partner's page where a subscriber enters the code."
    )
    code_valid_until = models.DateTimeField(
        null=True, blank=True, help_text="The last moment the partner accepts a code (shown with every code)."
    )
    benefit_code = models.SlugField(
        max_length=40, default="partner", help_text="The benefit a reader must hold to claim (Benefit.code)."
    )
    expires_at = models.DateTimeField(null=True, blank=True, help_text="No claims from this moment on.")
    low_stock_threshold = models.PositiveIntegerField(
        default=20, help_text="Staff get one e-mail when fewer unclaimed codes than this remain."
    )
    alerted_at = models.DateTimeField(null=True, blank=True, help_text="When the low-stock e-mail went out.")
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["partner_name", "pk"]

    def __str__(self) -> str:
        return self.partner_name


class PartnerCode(models.Model):
    """One activation code or link. Claimed once, by one reader, for good.

    A code is free while `claimed_at` is null. `claimed_by` becomes null if the
    reader's account is deleted, but `claimed_at` stays: the code is never
    handed out again.
    """

    pool = models.ForeignKey(PartnerPool, on_delete=models.CASCADE, related_name="codes")
    code = models.CharField(max_length=CODE_MAX_LENGTH)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="partner_codes"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["pool", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["pool", "code"], name="partners_code_unique_in_pool"),
            models.UniqueConstraint(
                fields=["pool", "claimed_by"],
                condition=models.Q(claimed_by__isnull=False),
                name="partners_one_code_per_reader_per_pool",
            ),
        ]
        indexes = [
            models.Index(fields=["pool", "id"], condition=models.Q(claimed_at__isnull=True), name="partners_code_free")
        ]

    def __str__(self) -> str:
        return self.code

    @property
    def is_link(self) -> bool:
        return self.code.startswith(("https://", "http://"))


class PartnerAudit(models.Model):
    """Append-only: who imported what, who got which code when, who was refused, each alert."""

    class Action(models.TextChoices):
        IMPORTED = "imported", "Imported"
        CLAIMED = "claimed", "Claimed"
        CLAIM_REFUSED = "claim_refused", "Claim refused"
        LOW_STOCK_ALERT = "low_stock_alert", "Low-stock alert"

    pool = models.ForeignKey(PartnerPool, on_delete=models.PROTECT, related_name="audit")
    code = models.ForeignKey(PartnerCode, null=True, blank=True, on_delete=models.PROTECT, related_name="audit")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    action = models.CharField(max_length=20, choices=Action.choices)
    at = models.DateTimeField()
    detail = models.TextField(blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [models.Index(fields=["pool", "at"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("The partner audit is append-only.")
        super().save(*args, **kwargs)
