"""The publication's standing pages: about, contact, privacy, terms, grievance redressal."""

from __future__ import annotations

from django.db import models
from django.urls import reverse

from broadsheet.core.generations import GenerationMixin
from broadsheet.newsroom.html import sanitise_body


class StandingPage(GenerationMixin, models.Model):
    """One page linked from every page's footer, written in the desk."""

    generation = "newsroom"

    class Kind(models.TextChoices):
        ABOUT = "about", "About us"
        CONTACT = "contact", "Contact"
        PRIVACY = "privacy", "Privacy policy"
        TERMS = "terms", "Terms of use"
        GRIEVANCE = "grievance-redressal", "Grievance redressal"

    kind = models.CharField(max_length=30, choices=Kind.choices, unique=True)
    title = models.CharField(max_length=120)
    body = models.TextField(help_text="HTML; it is sanitised on save.")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.body = sanitise_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("standing_page", kwargs={"kind": self.kind})
