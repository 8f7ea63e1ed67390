"""The wire desk's records: sources, the files and items that arrived, the stories they became, the rules.

Every item that arrives gets one `WireItem` row saying what happened to it
(published, queued, updated, killed, duplicate, quarantined). Nothing is
dropped without a row; quarantined rows keep the original bytes.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from broadsheet.newsroom.models import Agency, Article, Section, Tag
from broadsheet.wire.decide import Outcome


class WireSource(models.Model):
    class Kind(models.TextChoices):
        DIRECTORY = "directory", "Directory (files dropped in)"
        HTTP = "http", "HTTP(S) URL, polled"

    name = models.CharField(max_length=120)
    slug = models.SlugField(
        max_length=60, unique=True, help_text="Used on the command line: broadsheet ingest-wire SLUG."
    )
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="wire_sources")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DIRECTORY)
    location = models.CharField(max_length=1000, help_text="A directory on this server, or an http(s):// URL.")
    enabled = models.BooleanField(default=True)
    auto_publish = models.BooleanField(
        default=False, help_text="Publish new stories at once; otherwise they wait in the queue for a wire editor."
    )
    default_section = models.ForeignKey(
        Section,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="Where a story goes when no mapping rule names a section. Empty: such stories are quarantined.",
    )
    default_access = models.CharField(max_length=10, choices=Article.Access.choices, default=Article.Access.METERED)
    poll_every_seconds = models.PositiveIntegerField(default=300)
    etag = models.CharField(max_length=400, blank=True, editable=False)
    last_modified = models.CharField(max_length=100, blank=True, editable=False)
    last_polled_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_result = models.CharField(max_length=400, blank=True, editable=False)
    locked_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class WireFile(models.Model):
    """One file (or one HTTP response) as it arrived, identified by its SHA-256."""

    class State(models.TextChoices):
        PROCESSING = "processing", "Processing"
        DONE = "done", "Done"
        QUARANTINED = "quarantined", "Quarantined"

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="files")
    name = models.CharField(max_length=1000)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField()
    mtime_ns = models.BigIntegerField(null=True, blank=True)
    format = models.CharField(max_length=10, blank=True)
    state = models.CharField(max_length=12, choices=State.choices, default=State.PROCESSING)
    reason = models.TextField(blank=True)
    received_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["source", "sha256"], name="wire_file_once_per_source")]
        indexes = [models.Index(fields=["source", "name", "size", "mtime_ns"])]

    def __str__(self) -> str:
        return self.name


class WireStory(models.Model):
    """The agency's item id and the version we carry, linked to the story it became."""

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    guid = models.CharField(max_length=250)
    version = models.BigIntegerField(null=True, blank=True)
    content_hash = models.CharField(max_length=64)
    dateline = models.CharField(max_length=120, blank=True)
    killed = models.BooleanField(default=False)
    article = models.OneToOneField(Article, null=True, blank=True, on_delete=models.SET_NULL, related_name="wire_story")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "wire stories"
        constraints = [models.UniqueConstraint(fields=["agency", "guid"], name="wire_story_once_per_agency")]
        indexes = [models.Index(fields=["agency", "content_hash"])]

    def __str__(self) -> str:
        return self.guid


class WireItem(models.Model):
    """One item as it arrived and what happened to it: the wire desk's queue and log."""

    source = models.ForeignKey(WireSource, on_delete=models.PROTECT, related_name="items")
    file = models.ForeignKey(WireFile, null=True, blank=True, on_delete=models.CASCADE, related_name="items")
    position = models.PositiveIntegerField(null=True, blank=True, help_text="Index of the item in its file.")
    received_at = models.DateTimeField(db_index=True)
    guid = models.CharField("agency id", max_length=250, blank=True)
    version = models.BigIntegerField(null=True, blank=True)
    headline = models.CharField(max_length=240, blank=True)
    content_hash = models.CharField(max_length=64, blank=True)
    state = models.CharField(max_length=12, choices=[(o.value, o.value.title()) for o in Outcome], db_index=True)
    reason = models.TextField(blank=True)
    story = models.ForeignKey(WireStory, null=True, blank=True, on_delete=models.SET_NULL, related_name="items")
    raw = models.BinaryField(null=True, blank=True, help_text="The original bytes of a quarantined item or file.")
    raw_path = models.CharField(max_length=1000, blank=True, help_text="Where an oversized original was kept.")
    fixed_raw = models.BinaryField(null=True, blank=True, help_text="The desk's corrected copy, used on retry.")
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["file", "position"], name="wire_item_once_per_file_position")]
        permissions = [
            ("publish_wireitem", "Can publish queued wire items"),
            ("retry_wireitem", "Can retry quarantined wire items"),
        ]

    def __str__(self) -> str:
        return self.headline or self.guid or f"item {self.pk}"


class MappingRule(models.Model):
    """Subjects to sections and tags: "medtop:04000000 → Business, tag Economy"."""

    position = models.PositiveIntegerField(
        default=0, help_text="Rules are tried in this order; the first section wins."
    )
    match = models.CharField(
        max_length=200, help_text="An IPTC media topic code (medtop:04000000) or a keyword / category, any case."
    )
    source = models.ForeignKey(
        WireSource, null=True, blank=True, on_delete=models.CASCADE, help_text="Empty: every source."
    )
    section = models.ForeignKey(Section, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    tag = models.ForeignKey(Tag, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    access = models.CharField(max_length=10, choices=Article.Access.choices, blank=True)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.match} → {self.section or '-'}"


class IngestRun(models.Model):
    """One pass over one source: when, who started it, what came of it."""

    source = models.ForeignKey(WireSource, on_delete=models.CASCADE, related_name="runs")
    trigger = models.CharField(max_length=20, default="command")
    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    counts = models.JSONField(default=dict)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"{self.source} at {self.started_at:%Y-%m-%d %H:%M}"
