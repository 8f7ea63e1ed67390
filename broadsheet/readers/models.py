"""Reader accounts: the e-mail address is the identity."""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from broadsheet.core import generations


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: Any) -> User:
        if not email:
            raise ValueError("A reader needs an e-mail address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    username = None  # type: ignore[assignment]
    email = models.EmailField("e-mail address", unique=True)
    display_name = models.CharField(max_length=120, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    objects = UserManager()  # type: ignore[assignment,misc]

    def __str__(self) -> str:
        return self.email

    # A saved or deleted account (a new password, a deactivation) empties every worker's kept copy
    # of the reader (readers.signed_in) on its next request.
    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        if self.pk is not None:
            generations.reader_bump(self.pk)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        user_id = self.pk
        result = super().delete(*args, **kwargs)
        generations.reader_bump(user_id)
        return result


class Device(models.Model):
    """One sign-in: a browser session or an app token. Revoked devices are kept for the record."""

    class Kind(models.TextChoices):
        WEB = "web", "Web"
        APP = "app", "App"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="devices")
    kind = models.CharField(max_length=3, choices=Kind.choices, default=Kind.WEB)
    name = models.CharField(max_length=120)
    user_agent = models.CharField(max_length=300, blank=True)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)
    token_hash = models.CharField(max_length=64, blank=True, db_index=True)  # sha256 of an app token
    pending = models.BooleanField(
        default=False, help_text="Signed in over the limit, waiting for the reader to choose."
    )
    created_at = models.DateTimeField("first seen")
    last_seen_at = models.DateTimeField("last seen")
    last_network = models.CharField(max_length=50, blank=True)
    place = models.CharField(max_length=120, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=40, blank=True)
    revoked_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", help_text="Who signed it out."
    )

    class Meta:
        ordering = ["-last_seen_at"]
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"{self.name} ({self.user})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class DeviceSighting(models.Model):
    """Where a device was seen: written only with the throttled last-seen update (the sharing defence)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="sightings")
    network = models.CharField(max_length=50)
    seen_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["user", "seen_at"]), models.Index(fields=["seen_at"])]

    def __str__(self) -> str:
        return f"{self.network} at {self.seen_at:%Y-%m-%d %H:%M}"


class SharingFlag(models.Model):
    """An account seen from many networks within a short window. A flag for people to review:
    it never signs anyone out or blocks reading by itself."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="sharing_flag")
    networks = models.PositiveIntegerField(help_text="Most distinct networks seen within one window.")
    window_start = models.DateTimeField()
    window_end = models.DateTimeField()
    flagged_at = models.DateTimeField()
    updated_at = models.DateTimeField()
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    note = models.CharField(max_length=240, blank=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"{self.user}: {self.networks} networks"
