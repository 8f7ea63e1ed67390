"""The newsroom side of a wire decision: the article a story creates, updates or withdraws.

`services.entry_apply` decides what an item does; these functions write it, inside the
item's transaction. A new story's article is saved without its own generation bump (the
ingest bumps once per chunk, `Context.flush`); updates and kills go through `Article.save()`
and so drop every cached page, feed and sitemap at once.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import models
from django.utils.text import slugify

from broadsheet.core import clock
from broadsheet.newsroom.html import sanitise_body, split_lead
from broadsheet.newsroom.models import Agency, Article
from broadsheet.wire import text
from broadsheet.wire.context import Context
from broadsheet.wire.items import WireEntry
from broadsheet.wire.mapping import Placement
from broadsheet.wire.models import WireStory


def story_slug(agency_code: str, guid: str, headline: str) -> str:
    """Stable per agency id: the same item always gets the same URL, and ids never collide."""
    digest = hashlib.sha1(f"{agency_code}\x1f{guid}".encode(), usedforsecurity=False).hexdigest()[:10]
    return f"{slugify(headline)[:160].strip('-') or 'story'}-{digest}"


def story_create(
    ctx: Context, entry: WireEntry, placement: Placement, *, publish: bool, story: WireStory | None
) -> WireStory:
    """Write a story's first article (published, scheduled or a draft) and point the story at it."""
    agency = ctx.source.agency
    article = _article_create(entry, placement, agency, publish=publish)
    ctx.created += 1
    if placement.tag_ids:
        article.tags.add(*placement.tag_ids)
    fields = {
        "version": entry.version,
        "content_hash": entry.content_hash,
        "dateline": entry.dateline,
        "article": article,
    }
    if story is None:
        return WireStory.objects.create(agency=agency, guid=entry.guid, killed=False, **fields)
    for key, value in fields.items():
        setattr(story, key, value)
    story.save()
    return story


def _article_status(entry: WireEntry, *, publish: bool, now: datetime) -> tuple[Article.Status, datetime | None]:
    """A new article's status and time: an embargo holds it back (scheduled, or a draft dated for then)."""
    embargoed = entry.embargo is not None and entry.embargo > now
    if publish:
        return (Article.Status.SCHEDULED, entry.embargo) if embargoed else (Article.Status.PUBLISHED, now)
    return Article.Status.DRAFT, (entry.embargo if embargoed else None)


def _article_create(entry: WireEntry, placement: Placement, agency: Agency, *, publish: bool) -> Article:
    assert placement.section_id is not None  # the caller quarantines items without one
    status, published_at = _article_status(entry, publish=publish, now=clock.now())
    article = Article(
        headline=entry.headline,
        slug=story_slug(agency.code, entry.guid, entry.headline),
        standfirst=entry.standfirst,
        body=text.with_dateline(entry.body_html, entry.dateline),
        section_id=placement.section_id,
        agency=agency,
        access=placement.access,
        status=status,
        published_at=published_at,
    )
    # Article.save() derives the lead and bumps the newsroom generation once per row; a new story is
    # news to nobody until its chunk commits, so ingest derives the same fields here and bumps once
    # per chunk (entry chunk in arrival_ingest). Updates and kills go through save() and bump at once.
    article.body = sanitise_body(article.body)
    article.lead = split_lead(article.body)
    models.Model.save(article)
    return article


def story_update(story: WireStory, entry: WireEntry) -> None:
    """A new version of a story: its article takes the new text; a live article is marked updated."""
    now = clock.now()
    article = story.article
    if article is not None:
        article.headline = entry.headline
        article.standfirst = entry.standfirst
        article.body = text.with_dateline(entry.body_html, entry.dateline or story.dateline)
        live = article.published_at is not None and article.published_at <= now
        if article.status in (Article.Status.PUBLISHED, Article.Status.SCHEDULED) and live:
            article.updated_at = now
        elif entry.embargo is not None and entry.embargo > now and article.status != Article.Status.WITHDRAWN:
            article.published_at = entry.embargo
        article.save()
    if entry.version is not None:
        story.version = entry.version
    story.content_hash = entry.content_hash
    story.dateline = entry.dateline or story.dateline
    story.save()


def story_kill(ctx: Context, entry: WireEntry, story: WireStory | None) -> WireStory:
    """The agency withdrew the story: its article is withdrawn with the notice, or the kill is kept for later."""
    agency = ctx.source.agency
    if story is None:
        return WireStory.objects.create(
            agency=agency, guid=entry.guid, version=entry.version, content_hash=entry.content_hash, killed=True
        )
    article = story.article
    if article is not None:
        article.status = Article.Status.WITHDRAWN
        article.withdrawal_notice = entry.notice or f"{agency.name} has withdrawn this story."
        article.save()  # bumps the newsroom generation: every cached page, feed and sitemap drops it now
    story.killed = True
    story.save()
    return story
