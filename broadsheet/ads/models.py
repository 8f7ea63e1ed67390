"""Advertising slots: one snippet per place on the page, edited by staff."""

from __future__ import annotations

from django.db import models

from broadsheet.core.generations import GenerationMixin


class AdSlot(GenerationMixin, models.Model):
    """The markup an ad server (or a house ad) gives for one place on the page.

    Snippets are trusted HTML from staff with the permission to change them, and
    are sent as they are: to everyone except readers who hold the ad-free benefit,
    who receive no ad markup, script or request at all.
    """

    generation = "ads"

    class Place(models.TextChoices):
        HEADER = "header", "Header banner"
        IN_ARTICLE = "in_article", "Inside the article"
        SIDEBAR = "sidebar", "Sidebar"

    place = models.CharField(max_length=20, choices=Place.choices, unique=True)
    snippet = models.TextField(help_text="HTML (and script) from the ad server, sent as it is.")
    active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["place"]

    def __str__(self) -> str:
        return self.get_place_display()
