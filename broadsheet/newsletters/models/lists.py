"""A newsletter list: what it is, how often it comes, who sends it and who may receive it."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from broadsheet.core.generations import GenerationMixin
from broadsheet.newsletters.rules import Audience, Format


class NewsletterList(GenerationMixin, models.Model):
    generation = "newsletters"

    class Cadence(models.TextChoices):
        DAILY = "daily", "Every morning"
        WEEKDAYS = "weekdays", "Every weekday"
        WEEKLY = "weekly", "Once a week"
        OCCASIONAL = "occasional", "When there is news"

    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=80, unique=True)
    description = models.CharField(max_length=300, help_text="One or two sentences: what a reader gets.")
    cadence = models.CharField(max_length=12, choices=Cadence.choices, default=Cadence.DAILY)
    cadence_note = models.CharField(
        max_length=80, blank=True, help_text='Shown after the cadence, e.g. "at 7 am" or "on Saturdays".'
    )
    sender_name = models.CharField(max_length=80, help_text='The "From" name, e.g. "The Broadsheet Daily".')
    sender_email = models.EmailField(help_text="The From address.")
    reply_to = models.EmailField(blank=True)
    audience = models.CharField(max_length=12, choices=[(a.value, a.label) for a in Audience], default=Audience.ANYONE)
    required_benefit = models.ForeignKey(
        "billing.Benefit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="For a subscriber-only list: the benefit a reader must hold, checked again at every send.",
    )
    format = models.CharField(
        max_length=12,
        choices=[(f.value, f.label) for f in Format],
        default=Format.SUMMARIES,
        help_text="Summaries link to the site; full stories carry the whole text to readers entitled to it.",
    )
    sections = models.ManyToManyField(
        "newsroom.Section", blank=True, related_name="+", help_text="The digest picks stories from these (all: none)."
    )
    digest_size = models.PositiveSmallIntegerField(default=6, help_text="Stories in an automatic digest.")
    position = models.PositiveIntegerField(default=0)
    is_active = models.BooleanField(default=True, help_text="Inactive lists take no sign-ups and are not shown.")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["position", "name"]
        verbose_name = "newsletter list"

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("newsletters:archive", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.audience == Audience.BENEFIT and self.required_benefit_id is None:
            raise ValidationError({"required_benefit": "A subscriber-only list needs the benefit it is for."})
        if self.audience != Audience.BENEFIT and self.required_benefit_id is not None:
            raise ValidationError({"required_benefit": "Only a list for holders of a benefit names one."})

    @property
    def cadence_display(self) -> str:
        label = str(self.get_cadence_display())
        return f"{label} {self.cadence_note}".strip()

    @property
    def audience_value(self) -> Audience:
        return Audience(self.audience)

    @property
    def benefit_code(self) -> str | None:
        return self.required_benefit.code if self.required_benefit_id else None  # type: ignore[union-attr]
