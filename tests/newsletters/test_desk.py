"""The desk: compose from the digest, preview per kind of recipient, test to oneself, schedule, send, stop, counts."""

from __future__ import annotations

import html as htmllib
import uuid
import zoneinfo
from collections import Counter
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.billing.models import Benefit
from broadsheet.newsletters.models import Issue, IssueStory, NewsletterList
from broadsheet.newsletters.rules import IssueStatus
from broadsheet.newsletters.sending import control
from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def desk(client: Client) -> dict[str, Any]:
    f.publication()
    groups_ensure()
    editor = f.reader("editor@example.com", is_staff=True)
    editor.groups.add(*Group.objects.filter(name="Editors"))
    client.force_login(editor)
    markets = f.section("markets")
    newsletter = b.newsletter()
    newsletter.sections.set([markets])
    premium = f.story(access=Article.Access.PREMIUM, sec=markets)
    old = f.story(sec=markets, published_at=timezone.now() - timedelta(days=3))
    elsewhere = f.story(sec=f.section("sport"))
    issue = Issue.objects.create(newsletter=newsletter, subject="Markets at the open", intro="Good morning.")
    return {
        "editor": editor,
        "issue": issue,
        "premium": premium,
        "old": old,
        "elsewhere": elsewhere,
        "newsletter": newsletter,
    }


def url(issue: Issue, action: str = "change") -> str:
    base = f"/admin/newsletters/issue/{issue.pk}/"
    return base + ("change/" if action == "change" else f"{action}/")


def test_the_digest_picks_the_days_stories_in_the_lists_sections(client: Client, desk: dict) -> None:
    issue = desk["issue"]
    client.post(url(issue, "digest"))
    picked = list(issue.stories.values_list("article_id", flat=True))
    assert desk["premium"].article.pk in picked
    assert desk["elsewhere"].article.pk not in picked
    page = client.get(url(issue))
    assert page.status_code == 200 and b"Start from today" in page.content


def test_previews_show_each_kind_of_recipient_what_they_would_get(client: Client, desk: dict) -> None:
    issue, premium = desk["issue"], desk["premium"]
    IssueStory.objects.create(issue=issue, article=premium.article)
    Benefit.objects.get_or_create(code="premium", defaults={"name": "Premium"})
    NewsletterList.objects.filter(pk=issue.newsletter_id).update(format="full")
    for kind in ("address", "registered"):
        body = htmllib.unescape(client.get(url(issue, f"preview/{kind}")).content.decode())
        assert premium.tokens[0] in body and not any(t in body for t in premium.locked_tokens)
        assert "This is a premium story" in body
    body = htmllib.unescape(client.get(url(issue, "preview/subscriber")).content.decode())
    assert all(t in body for t in premium.tokens)
    assert client.get(url(issue, "preview/nobody")).status_code == 404


def test_a_test_goes_to_the_editor_alone(client: Client, desk: dict, relay: b.Relay) -> None:
    issue = desk["issue"]
    IssueStory.objects.create(issue=issue, article=desk["premium"].article)
    b.member(issue.newsletter)
    client.post(url(issue, "test"), {"kind": "registered"})
    assert relay.recipients() == Counter({"editor@example.com": 1})
    assert relay.messages[0]["Subject"] == "[Test] Markets at the open"
    assert not issue.deliveries.exists()


@pytest.mark.django_db(transaction=True)
def test_schedule_then_the_worker_sends_it_when_due(
    client: Client, desk: dict, relay: b.Relay, settings: Any, tmp_path: Any
) -> None:
    settings.DATA_DIR = tmp_path  # periodic-job claims of this test's own
    settings.BROADSHEET_GENERATION_PREFIX = f"nltest-{uuid.uuid4().hex}:gen"
    issue = desk["issue"]
    client.post(url(issue, "digest"))
    members = [b.member(issue.newsletter).email for _ in range(3)]
    in_kolkata = zoneinfo.ZoneInfo("Asia/Kolkata")  # the desk reads times in the publication's zone
    when = timezone.localtime(timezone.now() + timedelta(hours=2), in_kolkata).strftime("%Y-%m-%dT%H:%M")
    client.post(url(issue, "control"), {"op": "schedule", "when": when})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SCHEDULED
    assert control.tick(at=timezone.now())["started"] == 0
    assert control.tick(at=issue.scheduled_at + timedelta(seconds=1))["started"] == 1
    call_command("worker", "--once", stdout=StringIO())
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENT
    assert relay.recipients() == Counter({m: 1 for m in members})
    listing = client.get("/admin/newsletters/issue/").content.decode()
    assert "Markets at the open" in listing
    assert '<td class="field-sent">3</td>' in listing and '<td class="field-bounced">0</td>' in listing
    page = client.get(url(issue)).content.decode()
    assert "<strong>3</strong> recipients: 3 sent" in page


def test_send_now_stop_and_the_counts(client: Client, desk: dict) -> None:
    issue = desk["issue"]
    nothing = client.post(url(issue, "control"), {"op": "send"}, follow=True)
    assert b"Add at least one story" in nothing.content
    client.post(url(issue, "digest"))
    b.member(issue.newsletter)
    client.post(url(issue, "control"), {"op": "send"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.SENDING
    client.post(url(issue, "control"), {"op": "stop"})
    issue.refresh_from_db()
    assert issue.status == IssueStatus.PAUSED
    refused = client.post(url(issue, "control"), {"op": "stop"}, follow=True)
    assert b"cannot stop" in refused.content
    page = client.get(url(issue)).content.decode()
    assert "Resume" in page and "Stop sending" not in page


def test_a_reader_cannot_reach_the_desk(client: Client, desk: dict) -> None:
    client.force_login(f.reader())
    assert client.get(url(desk["issue"], "preview/subscriber")).status_code == 302
    assert client.post(url(desk["issue"], "control"), {"op": "send"}).status_code == 302
