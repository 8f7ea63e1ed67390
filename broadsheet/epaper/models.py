"""Editions of the print paper, the PDF files behind them, their rendered pages, and clippings.

An Edition is one (date, name) pair, e.g. 1 December 2026 · Mumbai. Each upload
of a PDF for it is a Printing; the edition shows its `current` printing. A new
upload renders in the background while the previous printing stays live, and
takes its place only once it has rendered, so a bad file never replaces a good
edition.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models


def new_key() -> str:
    """An unguessable id for storage paths and image URLs (128 bits)."""
    return secrets.token_hex(16)


def new_clip_key() -> str:
    return secrets.token_urlsafe(12)


class Edition(models.Model):
    date = models.DateField()
    name = models.CharField(max_length=80, help_text="The edition's name, e.g. “Mumbai” or “Delhi”.")
    slug = models.SlugField(max_length=80)
    is_published = models.BooleanField(default=True, help_text="Unpublished editions are hidden from readers.")
    current = models.OneToOneField(
        "Printing", null=True, blank=True, on_delete=models.SET_NULL, related_name="live_for", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date", "name"]
        constraints = [models.UniqueConstraint(fields=["date", "slug"], name="epaper_edition_date_slug")]
        indexes = [models.Index(fields=["is_published", "-date"], name="epaper_edition_pub_date")]

    def __str__(self) -> str:
        return f"{self.name}, {self.date:%d %b %Y}"

    def get_absolute_url(self) -> str:
        return f"/epaper/{self.date.isoformat()}/{self.slug}/1/"


class Printing(models.Model):
    """One uploaded PDF of an edition and what rendering it gave."""

    class State(models.TextChoices):
        QUEUED = "queued", "waiting to render"
        RENDERING = "rendering", "rendering"
        READY = "ready", "live"
        FAILED = "failed", "failed"
        SUPERSEDED = "superseded", "replaced"

    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="printings")
    key = models.CharField(max_length=32, unique=True, default=new_key, editable=False)
    pdf = models.CharField(max_length=300, help_text="The PDF's name in the e-paper storage.")
    original_name = models.CharField(max_length=255, blank=True)
    size_bytes = models.BigIntegerField()
    sha256 = models.CharField(max_length=64)
    page_count = models.PositiveIntegerField()
    state = models.CharField(max_length=12, choices=State.choices, default=State.QUEUED)
    pages_done = models.PositiveIntegerField(default=0)
    pages_broken = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    uploaded_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.edition} ({self.get_state_display()}, {self.page_count} pages)"

    @property
    def render_seconds(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None


class Page(models.Model):
    """A rendered page: two images in storage, its text, and each word's box for highlighting."""

    printing = models.ForeignKey(Printing, on_delete=models.CASCADE, related_name="pages")
    number = models.PositiveIntegerField()
    width = models.PositiveIntegerField(default=0, help_text="Reading image width, px.")
    height = models.PositiveIntegerField(default=0, help_text="Reading image height, px.")
    image = models.CharField(max_length=300, blank=True)
    thumb = models.CharField(max_length=300, blank=True)
    thumb_width = models.PositiveIntegerField(default=0)
    thumb_height = models.PositiveIntegerField(default=0)
    # The page's text as pdfium reads it: plain, in reading order, ready for an index.
    text = models.TextField(blank=True)
    # One [x0, y0, x1, y1] per word of `text` (split on white space), in ten-thousandths of the page.
    words = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True, help_text="Why this page could not be rendered (empty when it was).")

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["printing", "number"], name="epaper_page_printing_number")]

    def __str__(self) -> str:
        return f"page {self.number}"

    @property
    def is_broken(self) -> bool:
        return bool(self.error)


class Clipping(models.Model):
    """A region of a page a reader shared: its own image, public at /epaper/clip/<key>/."""

    key = models.CharField(max_length=24, unique=True, default=new_clip_key, editable=False)
    edition = models.ForeignKey(Edition, on_delete=models.CASCADE, related_name="clippings")
    page_number = models.PositiveIntegerField()
    # The region, in ten-thousandths of the page's width and height, from the top left.
    left = models.PositiveIntegerField()
    top = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    image = models.CharField(max_length=300)
    image_width = models.PositiveIntegerField()
    image_height = models.PositiveIntegerField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Clipping of page {self.page_number}, {self.edition}"

    def get_absolute_url(self) -> str:
        return f"/epaper/clip/{self.key}/"
