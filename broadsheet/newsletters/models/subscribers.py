"""Who receives newsletters: an address (with or without an account) and its list memberships."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models

from broadsheet.core import generations


def subscriber_changed(subscriber_id: int | None) -> None:
    """A subscriber's memberships changed: the account's kept sign-up choices are stale (see
    `selectors.statuses_for_user`). Writers that bypass `save()` (`.update()`) call this."""
    if subscriber_id is not None:
        user_id = Subscriber.objects.filter(pk=subscriber_id).values_list("user_id", flat=True).first()
        generations.reader_bump(user_id)


class Subscriber(models.Model):
    """One e-mail address. `user` is set once the address has (or becomes) an account."""

    email = models.EmailField(unique=True, help_text="Lower case; for an account, its address at sign-up.")
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="newsletter_subscriber"
    )
    created_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When the address was proven (double opt-in, or an account's verified address).",
    )
    confirm_nonce = models.CharField(
        max_length=24, blank=True, help_text="The pending confirmation link's secret; emptied when it is used."
    )
    confirm_sent_at = models.DateTimeField(null=True, blank=True)
    bounced_at = models.DateTimeField(null=True, blank=True, help_text="A hard bounce: nothing is sent here any more.")
    bounce_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    def save(self, *args: Any, **kwargs: Any) -> None:
        fields = kwargs.get("update_fields")
        if self.pk is not None and not kwargs.get("force_insert") and (fields is None or "user" in fields):
            subscriber_changed(self.pk)  # the account it belonged to until now
        super().save(*args, **kwargs)
        generations.reader_bump(self.user_id)

    @property
    def address(self) -> str:
        """Where mail goes: the account's current address when there is an account."""
        if self.user_id and self.user is not None:
            return str(self.user.email)
        return self.email


class Membership(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for confirmation"
        ACTIVE = "active", "Subscribed"
        UNSUBSCRIBED = "unsubscribed", "Unsubscribed"

    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="memberships")
    newsletter = models.ForeignKey("newsletters.NewsletterList", on_delete=models.CASCADE, related_name="memberships")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    source = models.CharField(max_length=20, blank=True, help_text="Where the sign-up came from.")
    created_at = models.DateTimeField()
    subscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_at = models.DateTimeField(null=True, blank=True)
    unsubscribed_issue = models.ForeignKey(
        "newsletters.Issue", null=True, blank=True, on_delete=models.SET_NULL, related_name="unsubscribes"
    )
    unsubscribed_via = models.CharField(max_length=20, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["subscriber", "newsletter"], name="newsletters_one_membership")]
        indexes = [models.Index(fields=["newsletter", "status"])]

    def __str__(self) -> str:
        return f"{self.subscriber} · {self.newsletter}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        subscriber_changed(self.subscriber_id)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        result: tuple[int, dict[str, int]] = super().delete(*args, **kwargs)
        subscriber_changed(self.subscriber_id)
        return result
