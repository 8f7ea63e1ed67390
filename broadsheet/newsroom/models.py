"""The newsroom: one publication, its sections, people, agencies and stories."""

from __future__ import annotations

import zoneinfo
from datetime import datetime
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from broadsheet.core.generations import GenerationMixin
from broadsheet.core.text import normalise_line, normalise_text
from broadsheet.newsroom.html import sanitise_body, split_lead


def clean_body(html: str) -> str:
    """A story's body as it is stored: sanitised by the allow-list, then normalised."""
    return normalise_text(sanitise_body(html))


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{value!r} is not a known time zone (try Asia/Kolkata).") from exc


class NormalisedText:
    """Text typed or pasted in (the admin, an import) is normalised on save, as wire copy is on ingest:
    NFC, no control characters, and no bidi overrides in one-line fields (see core.text)."""

    line_fields: ClassVar[tuple[str, ...]] = ()
    text_fields: ClassVar[tuple[str, ...]] = ()

    def normalise_fields(self) -> None:
        for name in self.line_fields:
            setattr(self, name, normalise_line(getattr(self, name) or ""))
        for name in self.text_fields:
            setattr(self, name, normalise_text(getattr(self, name) or ""))

    def save(self, *args: object, **kwargs: object) -> None:
        self.normalise_fields()
        super().save(*args, **kwargs)  # type: ignore[misc]


class Publication(NormalisedText, GenerationMixin, models.Model):
    """The publisher's settings. There is exactly one row; see selectors.publication_get."""

    generation = "newsroom"
    line_fields = ("name", "legal_name", "tagline")
    name = models.CharField(max_length=120, default="The Broadsheet Daily")
    legal_name = models.CharField(max_length=200, default="Broadsheet Media Private Limited")
    tagline = models.CharField(max_length=200, blank=True)
    time_zone = models.CharField(max_length=64, default="Asia/Kolkata", validators=[validate_time_zone])
    currency = models.CharField(max_length=3, default="INR")
    anonymous_free_limit = models.PositiveIntegerField(
        default=5, help_text="Free metered articles a month for readers who are not signed in."
    )
    registered_free_limit = models.PositiveIntegerField(
        default=5, help_text="Free metered articles a month for signed-in readers without a plan."
    )
    registration_wall = models.BooleanField(
        default=False,
        help_text="When on, an anonymous reader past the limit is asked to register instead of shown the plans.",
    )
    archive_on_meter = models.BooleanField(
        default=False,
        help_text=(
            "When on, readers without the archive benefit may read archived metered stories as one of their "
            "free stories; when off, the archive is for subscribers only."
        ),
    )
    logo = models.ForeignKey(
        "pictures.Picture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The masthead logo: search engines show it with your stories, and invoices carry it.",
    )
    # India's IT Rules 2021 (Part III) ask digital news publishers to publish a grievance officer.
    grievance_officer_name = models.CharField(max_length=120, blank=True)
    grievance_officer_email = models.EmailField(blank=True)
    grievance_officer_phone = models.CharField(max_length=40, blank=True)
    grievance_officer_address = models.CharField(max_length=300, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Section(NormalisedText, GenerationMixin, models.Model):
    generation = "newsroom"
    line_fields = ("name", "description")
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=240, blank=True)
    position = models.PositiveIntegerField(default=0, help_text="Order on the home page and in navigation.")
    show_in_nav = models.BooleanField(default=True)
    required_benefit = models.ForeignKey(
        "billing.Benefit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="A premium section: every story in it is locked to readers without this benefit.",
    )

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("section", kwargs={"slug": self.slug})


class Author(NormalisedText, GenerationMixin, models.Model):
    generation = "newsroom"
    line_fields = ("name", "role")
    text_fields = ("bio",)
    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    role = models.CharField(max_length=120, blank=True)
    bio = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("author", kwargs={"slug": self.slug})


class Agency(NormalisedText, GenerationMixin, models.Model):
    """A wire agency whose copy the newsroom carries."""

    generation = "newsroom"
    line_fields = ("name", "code")
    name = models.CharField(max_length=120)
    code = models.CharField(max_length=20, unique=True, help_text='The sign-off, e.g. "IANS" for "--IANS".')
    meter_exempt = models.BooleanField(
        default=False, help_text="Stories from this agency do not count against a reader's free limit."
    )

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class Tag(NormalisedText, GenerationMixin, models.Model):
    generation = "newsroom"
    line_fields = ("name",)
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ArticleQuerySet(models.QuerySet["Article"]):
    def live(self, at: datetime) -> ArticleQuerySet:
        """Stories a reader may find at `at`: published, or scheduled and due.

        A scheduled story is live from its publication time without anyone acting.
        """
        return self.filter(status__in=[Article.Status.PUBLISHED, Article.Status.SCHEDULED], published_at__lte=at)


class Article(NormalisedText, GenerationMixin, models.Model):
    generation = "newsroom"
    line_fields = ("headline", "standfirst", "withdrawal_notice", "desk_initials")

    class Access(models.TextChoices):
        FREE = "free", "Free"
        METERED = "metered", "Metered"
        PREMIUM = "premium", "Premium"

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        SCHEDULED = "scheduled", "Scheduled"
        PUBLISHED = "published", "Published"
        WITHDRAWN = "withdrawn", "Withdrawn"

    headline = models.CharField(max_length=240)
    slug = models.SlugField(max_length=200, unique=True)
    standfirst = models.CharField(max_length=400, blank=True, help_text="The summary under the headline.")
    body = models.TextField(help_text="HTML; it is sanitised on save.")
    lead = models.TextField(editable=False, default="", help_text="The first paragraph, derived from the body.")
    section = models.ForeignKey(Section, on_delete=models.PROTECT, related_name="articles")
    authors = models.ManyToManyField(Author, blank=True, related_name="articles")
    agency = models.ForeignKey(Agency, null=True, blank=True, on_delete=models.PROTECT, related_name="articles")
    desk_initials = models.CharField(max_length=12, blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="articles")
    access = models.CharField(max_length=10, choices=Access.choices, default=Access.METERED)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    withdrawal_notice = models.CharField(
        max_length=400, blank=True, help_text="Shown in place of a withdrawn story (a wire kill, a legal takedown)."
    )
    is_top_story = models.BooleanField(
        default=False,
        help_text="A top story of the front page; the newest top story leads it, with the most space.",
    )
    lead_picture = models.ForeignKey(
        "pictures.Picture",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="Shown above the story and with it on the fronts; its caption, credit and alt text come along.",
    )
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True, help_text="Set when a published story is revised.")
    # A story brought in from the publisher's back catalogue (`broadsheet import-archive`): its id
    # there, and a digest of the line it came from, so a second run of the same file changes nothing.
    source_id = models.CharField(max_length=120, null=True, blank=True, unique=True, editable=False)
    source_digest = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    modified_at = models.DateTimeField(auto_now=True)

    objects = ArticleQuerySet.as_manager()

    class Meta:
        ordering = ["-published_at", "-id"]
        indexes = [
            models.Index(fields=["status", "published_at"]),
            models.Index(fields=["section", "status", "published_at"]),
        ]

    def __str__(self) -> str:
        return self.headline

    def save(self, *args: object, **kwargs: object) -> None:
        self.derive_fields()
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        # Remembered on the instance (cached instances serve many requests), keyed by
        # what the URL is made of, so an edited instance never keeps an old URL.
        parts = (self.section.slug, self.slug)
        memo: tuple[tuple[str, str], str] | None = self.__dict__.get("_url_memo")
        if memo is None or memo[0] != parts:
            memo = (parts, reverse("article", kwargs={"section": parts[0], "slug": parts[1]}))
            self.__dict__["_url_memo"] = memo
        return memo[1]

    def clean(self) -> None:
        if self.status in (self.Status.PUBLISHED, self.Status.SCHEDULED) and self.published_at is None:
            raise ValidationError({"published_at": "A published or scheduled story needs a publication time."})
        if self.agency_id is None and self.pk and not self.authors.exists() and self.status != self.Status.DRAFT:
            raise ValidationError("A story needs a byline or a wire agency.")

    def derive_fields(self, *, body_clean: bool = False) -> None:
        """What every save makes of the typed fields: normalised text, a slug, the sanitised body
        and its lead. Bulk writes (the archive import) call it themselves, as they bypass save();
        `body_clean` says the body already came out of `clean_body` (they clean it once, up front)."""
        self.normalise_fields()
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        if not body_clean:
            self.body = clean_body(self.body)
        self.lead = split_lead(self.body)

    @property
    def is_wire(self) -> bool:
        return self.agency_id is not None
