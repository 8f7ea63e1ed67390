"""Composing and sending an issue in the desk.

The change page is the editor's whole workflow: pick stories (or start from
today's digest), write the intro, preview it as each kind of recipient gets it
(HTML and plain text), send a test to oneself, then schedule or send now; while
it goes out, stop and resume; afterwards, the counts.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from broadsheet.billing.models import Benefit
from broadsheet.core import clock
from broadsheet.newsletters.compose.digest import digest_candidates
from broadsheet.newsletters.compose.render import issue_render, personal
from broadsheet.newsletters.models import Delivery, Issue, IssueStory, Membership
from broadsheet.newsletters.rules import DeliveryStatus, IssueStatus, RecipientKind, TransitionError
from broadsheet.newsletters.selectors import issue_counts
from broadsheet.newsletters.sending import control

EDITABLE = (IssueStatus.DRAFT, IssueStatus.SCHEDULED)
PREVIEW_KINDS = {
    "address": ("An address without an account", RecipientKind(registered=False)),
    "registered": ("A registered reader", RecipientKind(registered=True)),
    "subscriber": ("A subscriber (every benefit)", None),
}


def preview_kind(name: str) -> RecipientKind:
    if name not in PREVIEW_KINDS:
        raise Http404("No such kind of recipient")
    kind = PREVIEW_KINDS[name][1]
    if kind is None:
        kind = RecipientKind(registered=True, benefits=frozenset(Benefit.objects.values_list("code", flat=True)))
    return kind


class IssueStoryInline(admin.TabularInline[IssueStory, Issue]):
    model = IssueStory
    extra = 1
    fields = ["position", "article", "note"]
    autocomplete_fields = ["article"]

    def _editable(self, obj: Issue | None) -> bool:
        return obj is None or obj.status_value in EDITABLE

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._editable(obj) and super().has_delete_permission(request, obj)


@admin.register(Issue)
class IssueAdmin(admin.ModelAdmin[Issue]):
    change_form_template = "newsletters/admin/issue_change_form.html"
    list_display = ["subject", "newsletter", "status", "scheduled_at", "sent", "failed", "bounced", "unsubscribed"]
    list_filter = ["status", "newsletter"]
    search_fields = ["subject", "intro"]
    list_select_related = ["newsletter"]
    date_hierarchy = "created_at"
    inlines = [IssueStoryInline]
    fields = ["newsletter", "subject", "preheader", "intro", "status", "scheduled_at", "started_at", "finished_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Issue | None = None) -> list[str]:
        fixed = ["status", "scheduled_at", "started_at", "finished_at"]
        if obj is not None and obj.status_value not in EDITABLE:
            return ["newsletter", "subject", "preheader", "intro", *fixed]
        return fixed

    def save_model(self, request: HttpRequest, obj: Issue, form: Any, change: bool) -> None:
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    # --- counts on the list page ---------------------------------------------------

    def get_queryset(self, request: HttpRequest) -> QuerySet[Issue]:
        def count(model: Any, group: str, **filters: Any) -> Any:
            """How many rows of `model` point at the issue (a subquery: no join multiplies another count)."""
            rows = model.objects.filter(**{group: OuterRef("pk")}, **filters).values(group).annotate(n=Count("pk"))
            return Coalesce(Subquery(rows.values("n")[:1]), 0)

        return (
            super()
            .get_queryset(request)
            .annotate(
                n_sent=count(Delivery, "issue", status=DeliveryStatus.SENT),
                n_failed=count(Delivery, "issue", status=DeliveryStatus.FAILED),
                n_bounced=count(Delivery, "issue", status=DeliveryStatus.BOUNCED),
                n_unsubscribed=count(Membership, "unsubscribed_issue"),
            )
        )

    @admin.display(description="Sent", ordering="n_sent")
    def sent(self, obj: Any) -> int:
        return int(obj.n_sent)

    @admin.display(description="Failed", ordering="n_failed")
    def failed(self, obj: Any) -> int:
        return int(obj.n_failed)

    @admin.display(description="Bounced", ordering="n_bounced")
    def bounced(self, obj: Any) -> int:
        return int(obj.n_bounced)

    @admin.display(description="Unsubscribed", ordering="n_unsubscribed")
    def unsubscribed(self, obj: Any) -> int:
        return int(obj.n_unsubscribed)

    # --- the desk's own pages ---------------------------------------------------------

    def get_urls(self) -> list[Any]:
        view = self.admin_site.admin_view
        return [
            path("<int:pk>/digest/", view(self.digest_view), name="newsletters_issue_digest"),
            path("<int:pk>/preview/<str:kind>/", view(self.preview_view), name="newsletters_issue_preview"),
            path("<int:pk>/test/", view(self.test_view), name="newsletters_issue_test"),
            path("<int:pk>/control/", view(self.control_view), name="newsletters_issue_control"),
            *super().get_urls(),
        ]

    def _issue(self, request: HttpRequest, pk: int, *, change: bool) -> Issue:
        issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=pk)
        allowed = self.has_change_permission(request, issue) if change else self.has_view_permission(request, issue)
        if not allowed:
            raise Http404("No such issue")
        return issue

    def _back(self, issue: Issue) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:newsletters_issue_change", args=[issue.pk]))

    def digest_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk, change=True)
        if request.method != "POST" or issue.status_value not in EDITABLE:
            return self._back(issue)
        picked = digest_candidates(newsletter=issue.newsletter, at=clock.now())
        issue.stories.all().delete()
        IssueStory.objects.bulk_create(
            [IssueStory(issue=issue, article=a, position=(n + 1) * 10) for n, a in enumerate(picked)]
        )
        self.message_user(request, f"Started from the digest: {len(picked)} stories. Reorder, add notes or remove any.")
        return self._back(issue)

    def preview_view(self, request: HttpRequest, pk: int, kind: str) -> HttpResponse:
        issue = self._issue(request, pk, change=False)
        rendered = issue_render(issue=issue, kind=preview_kind(kind))
        html, text = personal(
            rendered, email=_email(request), unsubscribe_url="#unsubscribe", preferences_url="#preferences"
        )
        context = {
            **self.admin_site.each_context(request),
            "title": f"Preview: {issue.subject}",
            "issue": issue,
            "opts": self.opts,
            "kind": kind,
            "kinds": [(k, label) for k, (label, _) in PREVIEW_KINDS.items()],
            "html": html,
            "text": text,
        }
        return TemplateResponse(request, "newsletters/admin/issue_preview.html", context)

    def test_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk, change=False)
        if request.method == "POST":
            kind = request.POST.get("kind", "subscriber")
            try:
                control.issue_test_send(issue_id=issue.pk, to=_email(request), kind=preview_kind(kind))
                self.message_user(request, f"A test as “{PREVIEW_KINDS[kind][0]}” went to {_email(request)}.")
            except control.IssueNotReady as exc:
                self.message_user(request, str(exc), messages.ERROR)
        return self._back(issue)

    def control_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        issue = self._issue(request, pk, change=True)
        if request.method != "POST":
            return self._back(issue)
        op, at = request.POST.get("op", ""), clock.now()
        try:
            if op == "schedule":
                when = _when(request.POST.get("when", ""))
                if when is None:
                    raise control.IssueNotReady("Choose a date and time to schedule it.")
                issue = control.issue_schedule(issue_id=issue.pk, when=when, at=at)
            elif op == "unschedule":
                issue = control.issue_unschedule(issue_id=issue.pk, at=at)
            elif op == "send":
                issue = control.issue_send_now(issue_id=issue.pk, at=at)
            elif op == "stop":
                issue = control.issue_stop(issue_id=issue.pk, at=at)
            elif op == "resume":
                issue = control.issue_resume(issue_id=issue.pk, at=at)
            elif op == "cancel":
                issue = control.issue_cancel(issue_id=issue.pk, at=at)
            else:
                raise control.IssueNotReady("Unknown action.")
        except (control.IssueNotReady, TransitionError) as exc:
            self.message_user(request, str(exc), messages.ERROR)
            return self._back(issue)
        self.message_user(request, _done(issue))
        return self._back(issue)

    def render_change_form(
        self, request: HttpRequest, context: dict[str, Any], *args: Any, **kwargs: Any
    ) -> HttpResponse:
        obj = context.get("original")
        if obj is not None and obj.pk:
            context["counts"] = issue_counts([obj.pk])[obj.pk]
            context["kinds"] = [(k, label) for k, (label, _) in PREVIEW_KINDS.items()]
            context["editable"] = obj.status_value in EDITABLE
            context["web_url"] = obj.get_absolute_url()
        return super().render_change_form(request, context, *args, **kwargs)


def _email(request: HttpRequest) -> str:
    return str(getattr(request.user, "email", ""))


def _when(raw: str) -> datetime | None:
    parsed = parse_datetime(raw.strip()) if raw else None
    if parsed is None:
        return None
    return timezone.make_aware(parsed) if timezone.is_naive(parsed) else parsed


def _done(issue: Issue) -> str:
    status = issue.status_value
    if status is IssueStatus.SCHEDULED and issue.scheduled_at:
        local = timezone.localtime(issue.scheduled_at)
        return f"Scheduled for {local:%d %B %Y, %H:%M}."
    return {
        IssueStatus.SENDING: "Sending: the worker is mailing it now. The counts below fill in as it goes.",
        IssueStatus.PAUSED: "Stopped. Nobody more gets it until you resume.",
        IssueStatus.DRAFT: "Back to draft.",
        IssueStatus.CANCELLED: "Cancelled: the rest of the list will not get it.",
    }.get(status, f"Now {status.value}.")
