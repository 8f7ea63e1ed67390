"""The newsroom: one publication, its sections, people, agencies and stories."""

from __future__ import annotations

import zoneinfo
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.text import slugify

from broadsheet.core.generations import GenerationMixin
from broadsheet.newsroom.html import sanitise_body, split_lead


def validate_time_zone(value: str) -> None:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise ValidationError(f"{value!r} is not a known time zone (try Asia/Kolkata).") from exc


class Publication(GenerationMixin, models.Model):
    """The publisher's settings. There is exactly one row; see selectors.publication_get."""

    generation = "newsroom"
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
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.name


class Section(GenerationMixin, models.Model):
    generation = "newsroom"
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


class Author(GenerationMixin, models.Model):
    generation = "newsroom"
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


class Agency(GenerationMixin, models.Model):
    """A wire agency whose copy the newsroom carries."""

    generation = "newsroom"
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


class Tag(GenerationMixin, models.Model):
    generation = "newsroom"
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


class Article(GenerationMixin, models.Model):
    generation = "newsroom"

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
    is_top_story = models.BooleanField(default=False, help_text="Lead the home page.")
    published_at = models.DateTimeField(null=True, blank=True, db_index=True)
    updated_at = models.DateTimeField(null=True, blank=True, help_text="Set when a published story is revised.")
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
        if not self.slug:
            self.slug = slugify(self.headline)[:200]
        self.body = sanitise_body(self.body)
        self.lead = split_lead(self.body)
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

    @property
    def is_wire(self) -> bool:
        return self.agency_id is not None
