"""`broadsheet newsletters-demo`: the demo's newsletter lists, members, one sent issue and a draft.

Safe to run any number of times (`make demo` runs it after seed-demo): rows are
keyed and created only when missing. The sent issue really goes through the
sender, to the demo's mail folder (var/mail/newsletters/).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from broadsheet.billing.models import Benefit
from broadsheet.core import clock
from broadsheet.newsletters import demo
from broadsheet.newsletters.compose.digest import digest_candidates
from broadsheet.newsletters.models import Issue, IssueStory, Membership, NewsletterList, Subscriber
from broadsheet.newsletters.sending import control
from broadsheet.newsletters.sending.sender import issue_send_run
from broadsheet.newsletters.subscribers import subscriber_for_user
from broadsheet.newsroom.models import Section


class Command(BaseCommand):
    help = "Seed the demo newsletters: four lists (one subscriber-only), members, a sent issue and a draft."

    def handle(self, *args: Any, **options: Any) -> None:
        now = clock.now()
        with transaction.atomic():
            lists = {d.slug: self._list(d) for d in demo.LISTS}
            members = self._members(lists, now)
            editor = get_user_model().objects.filter(email="editor@example.com").first()
            if editor is not None:
                editor.groups.add(*Group.objects.filter(name="Subscription managers"))
        sent = self._sent_issue(lists["morning-brief"], editor, now)
        draft = self._draft_issue(lists["morning-brief"], editor, now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Newsletters: {len(lists)} lists, {members} new members; sent issue: {sent}; draft issue: {draft}."
            )
        )

    def _list(self, d: demo.DemoList) -> NewsletterList:
        benefit = Benefit.objects.filter(code=d.benefit).first() if d.benefit else None
        newsletter, created = NewsletterList.objects.get_or_create(
            slug=d.slug,
            defaults={
                "name": d.name,
                "description": d.description,
                "cadence": d.cadence,
                "cadence_note": d.cadence_note,
                "sender_name": demo.SENDER_NAME,
                "sender_email": demo.SENDER_EMAIL,
                "audience": d.audience,
                "required_benefit": benefit,
                "format": d.format,
                "position": (demo.LISTS.index(d) + 1) * 10,
            },
        )
        if created and d.sections:
            newsletter.sections.set(Section.objects.filter(slug__in=d.sections))
        return newsletter

    def _members(self, lists: dict[str, NewsletterList], now: Any) -> int:
        added = 0
        users = get_user_model().objects
        for email, slugs in demo.ACCOUNT_MEMBERS:
            user = users.filter(email=email).first()
            if user is None:
                continue
            sub = subscriber_for_user(user=user, at=now)
            for slug in slugs:
                added += self._join(sub, lists[slug], now)
        for n in range(1, demo.ADDRESS_MEMBERS + 1):
            sub, _ = Subscriber.objects.get_or_create(
                email=demo.ADDRESS_PATTERN.format(n=n), defaults={"created_at": now, "confirmed_at": now}
            )
            added += self._join(sub, lists["morning-brief"], now)
            if n % 4 == 0:
                added += self._join(sub, lists["technology-weekly"], now)
        return added

    def _join(self, sub: Subscriber, newsletter: NewsletterList, now: Any) -> int:
        _, created = Membership.objects.get_or_create(
            subscriber=sub,
            newsletter=newsletter,
            defaults={"status": Membership.Status.ACTIVE, "source": "demo", "created_at": now, "subscribed_at": now},
        )
        return int(created)

    def _stories(self, issue: Issue, newsletter: NewsletterList, now: Any) -> None:
        picked = digest_candidates(newsletter=newsletter, at=now, limit=5)
        IssueStory.objects.bulk_create(
            [IssueStory(issue=issue, article=a, position=(i + 1) * 10) for i, a in enumerate(picked)]
        )

    def _sent_issue(self, newsletter: NewsletterList, editor: Any, now: Any) -> str:
        issue = Issue.objects.filter(newsletter=newsletter, subject=demo.SENT_SUBJECT).first()
        if issue is not None:
            return "exists"
        issue = Issue.objects.create(
            newsletter=newsletter, subject=demo.SENT_SUBJECT, intro=demo.SENT_INTRO, created_by=editor
        )
        self._stories(issue, newsletter, now)
        control.issue_send_now(issue_id=issue.pk, at=now)
        report = issue_send_run(issue_id=issue.pk, worker="newsletters-demo")
        return f"{report.sent} mails written to the mail folder"

    def _draft_issue(self, newsletter: NewsletterList, editor: Any, now: Any) -> str:
        if Issue.objects.filter(newsletter=newsletter, subject=demo.DRAFT_SUBJECT, status="draft").exists():
            return "exists"
        issue = Issue.objects.create(
            newsletter=newsletter, subject=demo.DRAFT_SUBJECT, intro=demo.DRAFT_INTRO, created_by=editor
        )
        self._stories(issue, newsletter, now)
        return "created"
