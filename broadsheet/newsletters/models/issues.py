"""An issue of a list: its stories, intro and where it is in its life (draft → sent)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from broadsheet.newsletters.rules import IssueStatus


class Issue(models.Model):
    newsletter = models.ForeignKey("newsletters.NewsletterList", on_delete=models.PROTECT, related_name="issues")
    subject = models.CharField(max_length=150)
    preheader = models.CharField(max_length=150, blank=True, help_text="The line mail apps show after the subject.")
    intro = models.TextField(blank=True, help_text="Plain text; a blank line starts a new paragraph.")
    status = models.CharField(
        max_length=10, choices=[(s.value, s.label) for s in IssueStatus], default=IssueStatus.DRAFT
    )
    scheduled_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    recipients_listed_at = models.DateTimeField(
        null=True, blank=True, help_text="Every recipient has a delivery row (the send's snapshot of the list)."
    )
    finished_at = models.DateTimeField(null=True, blank=True)
    senders_enqueued_at = models.DateTimeField(
        null=True, blank=True, help_text="When sender tasks were last queued (the tick waits a lease before more)."
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-scheduled_at", "-created_at"]
        indexes = [models.Index(fields=["status", "scheduled_at"])]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return reverse("newsletters:web_view", kwargs={"slug": self.newsletter.slug, "issue_id": self.pk})

    @property
    def status_value(self) -> IssueStatus:
        return IssueStatus(self.status)


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="stories")
    article = models.ForeignKey("newsroom.Article", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    note = models.CharField(max_length=300, blank=True, help_text="An editor's line above the story (optional).")

    class Meta:
        ordering = ["position", "id"]
        constraints = [models.UniqueConstraint(fields=["issue", "article"], name="newsletters_story_once")]
        verbose_name_plural = "stories"

    def __str__(self) -> str:
        return str(self.article)
