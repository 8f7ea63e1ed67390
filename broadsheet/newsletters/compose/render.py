"""An issue rendered once per recipient kind: HTML (the site's look, CSS inlined) and plain text.

Each story goes through the paywall (`article_access_unmetered`) for the kind's
facts, and through `paywall.render.channel_story`, the one place a blocked
decision becomes a teaser: the locked text of a story is not even loaded for a
kind that may not read it. What differs per recipient (their address and signed
links) is left as random markers, replaced when each message is built.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import css_inline
from django.conf import settings
from django.template.loader import render_to_string

from broadsheet.core import clock
from broadsheet.newsletters.models import Issue, IssueStory, NewsletterList
from broadsheet.newsletters.rules import Format, RecipientKind
from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import publication_get
from broadsheet.paywall.render import channel_story
from broadsheet.paywall.services import article_access_unmetered, article_facts, recipient_facts

HTML_LINE = 600  # characters; each marker replaced later adds at most a few hundred (SMTP allows 998)


@dataclass(frozen=True, slots=True)
class Markers:
    """Per-recipient values, as random placeholders no story can contain."""

    email: str
    unsubscribe_url: str
    preferences_url: str

    @classmethod
    def fresh(cls) -> Markers:
        tag = secrets.token_hex(6)
        return cls(f"bsm{tag}e", f"bsm{tag}u", f"bsm{tag}p")


@dataclass(frozen=True, slots=True)
class RenderedIssue:
    kind: RecipientKind
    html: str  # ASCII only, lines under HTML_LINE characters
    text: str
    markers: Markers


def issue_articles(issue: Issue, at: datetime | None = None) -> list[tuple[IssueStory, Article]]:
    """The issue's stories that readers may find now: a draft, a story scheduled for later or one withdrawn
    since (a wire kill, a takedown) is left out of the mail and the web view."""
    live = Article.objects.live(at or clock.now()).values("pk")
    rows = (
        issue.stories.filter(article__in=live)
        .select_related("article__section__required_benefit", "article__agency")
        .defer("article__body")
    )
    return [(row, row.article) for row in rows]


def relevant_benefits(articles: list[Article]) -> frozenset[str]:
    """The benefits that open one of these stories: the only ones a recipient kind depends on."""
    return frozenset(b for a in articles if (b := article_facts(a).benefit) is not None)


def stories_for(kind: RecipientKind, rows: list[tuple[IssueStory, Article]], fmt: Format) -> list[dict[str, Any]]:
    facts = recipient_facts(registered=kind.registered, benefits=kind.benefits)
    stories = []
    for row, article in rows:
        decision = article_access_unmetered(article=article, reader=facts)
        story = channel_story(article=article, decision=decision, full=fmt is Format.FULL)
        story["note"] = row.note
        story["url"] = settings.SITE_URL + article.get_absolute_url()
        stories.append(story)
    return stories


def paragraphs(text: str) -> list[str]:
    return [p.strip() for p in re.split(r"\n\s*\n", text or "") if p.strip()]


def issue_context(issue: Issue, kind: RecipientKind, rows: list[tuple[IssueStory, Article]]) -> dict[str, Any]:
    newsletter: NewsletterList = issue.newsletter
    return {
        "issue": issue,
        "newsletter": newsletter,
        "publication": publication_get(),
        "kind": kind,
        "intro": paragraphs(issue.intro),
        "stories": stories_for(kind, rows, Format(newsletter.format)),
        "site_url": settings.SITE_URL,
        "web_url": settings.SITE_URL + issue.get_absolute_url(),
        "subscribe_url": settings.SITE_URL + "/subscribe/",
        "signup_url": settings.SITE_URL + "/accounts/signup/",
    }


def issue_render(
    *, issue: Issue, kind: RecipientKind, rows: list[tuple[IssueStory, Article]] | None = None
) -> RenderedIssue:
    rows = issue_articles(issue) if rows is None else rows
    markers = Markers.fresh()
    context = issue_context(issue, kind, rows) | {
        "email": markers.email,
        "unsubscribe_url": markers.unsubscribe_url,
        "preferences_url": markers.preferences_url,
    }
    html = css_inline.inline(str(render_to_string("newsletters/mail/issue.html", context)))
    text = render_to_string("newsletters/mail/issue.txt", context)
    return RenderedIssue(kind=kind, html=ascii_lines(html), text=tidy_text(text), markers=markers)


def ascii_lines(html: str, width: int = HTML_LINE) -> str:
    """HTML as 7-bit ASCII (character references) in short lines: no transfer encoding needed per message."""
    html = html.encode("ascii", "xmlcharrefreplace").decode("ascii")
    lines = []
    for line in html.splitlines():
        while len(line) > width:
            cut = line.rfind(" ", 0, width)
            if cut <= 0:
                cut = line.find(" ", width)
                if cut < 0:
                    break
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return "\n".join(lines) + "\n"


TEXT_LINE = 600  # characters (a UTF-8 character is at most 4 bytes; markers replaced add a few hundred)


def tidy_text(text: str) -> str:
    """Plain text without the template's blank-line runs and trailing spaces, no line over TEXT_LINE."""
    lines = []
    for line in text.splitlines():
        line = line.rstrip()
        while len(line) > TEXT_LINE and " " in line[:TEXT_LINE]:
            cut = line.rfind(" ", 0, TEXT_LINE)
            lines.append(line[:cut])
            line = line[cut + 1 :]
        lines.append(line)
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


def personal(rendered: RenderedIssue, *, email: str, unsubscribe_url: str, preferences_url: str) -> tuple[str, str]:
    """(html, text) for one recipient: the markers replaced by their address and links."""
    m = rendered.markers
    safe_email = email.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    safe_email = safe_email.encode("ascii", "xmlcharrefreplace").decode("ascii")
    html = (
        rendered.html.replace(m.unsubscribe_url, unsubscribe_url)
        .replace(m.preferences_url, preferences_url)
        .replace(m.email, safe_email)
    )
    text = (
        rendered.text.replace(m.unsubscribe_url, unsubscribe_url)
        .replace(m.preferences_url, preferences_url)
        .replace(m.email, email)
    )
    return html, text
