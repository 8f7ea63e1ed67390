"""Pictures: an uploaded original kept privately, and the renditions the site serves."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from broadsheet.core.generations import GenerationMixin


def _not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("Describe the picture for readers who cannot see it.")


class Picture(GenerationMixin, models.Model):
    """One picture, as stories show it.

    `key` names its files: the original (under the data dir, never served) and one
    WebP and one JPEG per width in `widths` (under MEDIA_ROOT/pictures/, served as
    static files with far-future caching: a new upload gets a new key).
    """

    generation = "newsroom"  # stories and fronts that show it are rebuilt when it changes
    key = models.CharField(max_length=32, unique=True, editable=False)
    alt = models.CharField(
        "alt text",
        max_length=300,
        validators=[_not_blank],
        help_text="What the picture shows, for readers who cannot see it (screen readers, slow connections).",
    )
    caption = models.CharField(max_length=400, blank=True)
    credit = models.CharField(max_length=200, blank=True, help_text="Photographer or agency, e.g. “Asha Rao / CPS”.")
    width = models.PositiveIntegerField(editable=False)
    height = models.PositiveIntegerField(editable=False)
    widths = models.JSONField(default=list, editable=False, help_text="Widths of the renditions made at upload.")
    original_name = models.CharField(max_length=255, blank=True, editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.caption or self.alt

    def rendition_name(self, width: int, ext: str) -> str:
        return f"pictures/{self.key}-{width}.{ext}"
