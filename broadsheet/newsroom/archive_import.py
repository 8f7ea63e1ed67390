"""The one bulk writer of stories: the back catalogue's import and the demo archive use it.

`articles_bulk_write` takes a batch of checked stories keyed by their source id and
writes them in a handful of statements: one read of what exists, one bulk insert of the
new, one bulk update of the changed, and the bylines. A story whose line is unchanged
(the same digest) is not touched, so a second run of the same file writes nothing.

Every story goes through `Article.derive_fields`, as a save would (its lead derived, the
one-line fields normalised), with a body its caller has put through `models.clean_body`,
the newsroom's sanitiser, once. Generation caches are bumped once per batch.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection, transaction
from django.db.models import Field
from django.utils.text import slugify

from broadsheet.core import generations
from broadsheet.newsroom.models import Article

# The fields an import may change on a story it wrote before (never its slug: links stay good).
UPDATED_FIELDS = (
    "headline",
    "standfirst",
    "body",
    "lead",
    "section",
    "agency",
    "access",
    "published_at",
    "updated_at",
    "source_digest",
    "modified_at",
)


@dataclass(frozen=True, slots=True)
class ArchiveStory:
    """One story of the back catalogue, checked and resolved to the newsroom's rows."""

    source_id: str
    digest: str  # of the line it came from: equal digests mean nothing changed
    headline: str
    standfirst: str
    body: str  # already through `models.clean_body` (sanitised, normalised): bulk writes clean it once
    section_id: int
    author_ids: tuple[int, ...]
    agency_id: int | None
    published_at: datetime
    access: str


@dataclass(slots=True)
class BulkWritten:
    created: list[int] = field(default_factory=list)  # article ids
    updated: list[int] = field(default_factory=list)
    unchanged: int = 0

    @property
    def ids(self) -> list[int]:
        """Every story this batch wrote (inserted or updated): what an index must pick up."""
        return self.created + self.updated


def archive_slug(headline: str, source_id: str) -> str:
    """A stable, unique slug: the headline's words and a short digest of the source id."""
    tag = hashlib.sha256(source_id.encode()).hexdigest()[:10]
    words = slugify(headline)[:180].strip("-") or "story"
    return f"{words}-{tag}"


def _article(story: ArchiveStory, *, pk: int | None, slug: str, at: datetime) -> Article:
    article = Article(
        pk=pk,
        slug=slug,
        headline=story.headline,
        standfirst=story.standfirst,
        body=story.body,
        section_id=story.section_id,
        agency_id=story.agency_id,
        access=story.access,
        status=Article.Status.PUBLISHED,
        published_at=story.published_at,
        source_id=story.source_id,
        source_digest=story.digest,
        created_at=at,
        modified_at=at,
    )
    if pk is not None:
        article.updated_at = at  # a revised archive story says so, as an edited one does
    article.derive_fields(body_clean=True)
    return article


def articles_digests(*, source_ids: Sequence[str]) -> dict[str, str]:
    """The digest each known source id was last written with (one query): equal digests need no work."""
    rows = Article.objects.filter(source_id__in=source_ids).values_list("source_id", "source_digest")
    return {source_id: digest for source_id, digest in rows if source_id is not None}


def articles_bulk_write(*, stories: Sequence[ArchiveStory], at: datetime) -> BulkWritten:
    """Insert the new stories of a batch, update the changed ones, skip the unchanged.

    Returns the ids written. Source ids must be unique within the batch.
    """
    result = BulkWritten()
    with transaction.atomic():
        known = {
            source_id: (pk, digest, slug)
            for source_id, pk, digest, slug in Article.objects.filter(
                source_id__in=[s.source_id for s in stories]
            ).values_list("source_id", "pk", "source_digest", "slug")
        }
        fresh: list[tuple[ArchiveStory, Article]] = []
        changed: list[tuple[ArchiveStory, Article]] = []
        for story in stories:
            if story.source_id not in known:
                slug = archive_slug(story.headline, story.source_id)
                fresh.append((story, _article(story, pk=None, slug=slug, at=at)))
                continue
            pk, digest, slug = known[story.source_id]
            if digest == story.digest:
                result.unchanged += 1
                continue
            changed.append((story, _article(story, pk=pk, slug=slug, at=at)))
        _articles_insert([a for _, a in fresh])
        _articles_update([a for _, a in changed])
        result.created = [a.pk for _, a in fresh]
        result.updated = [a.pk for _, a in changed]
        _bylines_write(fresh=fresh, changed=changed)
        if result.ids:
            generations.bump("newsroom")
        # The search index follows every story written here: the one place to update it for
        # bulk writes is this line, with `result.ids` (inside the transaction, as saves do).
    return result


def _articles_insert(articles: list[Article]) -> None:
    """Insert new stories and set their keys. On PostgreSQL by `COPY` (its insert triggers, the search
    index's among them, fire as for an INSERT), then one read of the keys by source id: `bulk_create`
    of the stories and their bylines was about a quarter of the importer's CPU per story there, most
    of it turning each column into an array. Elsewhere `bulk_create`."""
    if not articles:
        return
    if connection.vendor != "postgresql":
        Article.objects.bulk_create(articles, batch_size=1000)
        return
    fields = [f for f in Article._meta.concrete_fields if not f.primary_key]
    columns = ", ".join(connection.ops.quote_name(f.column or f.attname) for f in fields)
    table = connection.ops.quote_name(Article._meta.db_table)
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for article in articles:  # pre_save as bulk_create does it (the auto_now times)
                copy.write_row([f.get_db_prep_save(f.pre_save(article, True), connection) for f in fields])
        cursor.execute(
            f"SELECT source_id, id FROM {table} WHERE source_id = ANY(%s)", [[a.source_id for a in articles]]
        )
        keys = dict(cursor.fetchall())
    for article in articles:
        article.pk = keys[article.source_id]
        article._state.adding = False


def _articles_update(articles: list[Article]) -> None:
    """One UPDATE statement run for many rows (executemany): bulk_update's CASE per column grows
    with the batch and is many times slower, on SQLite above all."""
    if not articles:
        return
    fields = [field for name in UPDATED_FIELDS if isinstance(field := Article._meta.get_field(name), Field)]
    table = connection.ops.quote_name(Article._meta.db_table)
    assignments = ", ".join(f"{connection.ops.quote_name(f.column or f.attname)} = %s" for f in fields)
    rows = [[f.get_db_prep_save(getattr(a, f.attname), connection) for f in fields] + [a.pk] for a in articles]
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {assignments} WHERE id = %s", rows)


def _bylines_write(*, fresh: list[tuple[ArchiveStory, Article]], changed: list[tuple[ArchiveStory, Article]]) -> None:
    through = Article.authors.through
    if changed:
        through.objects.filter(article_id__in=[a.pk for _, a in changed]).delete()
    pairs = [
        (article.pk, author_id)
        for story, article in (*fresh, *changed)
        for author_id in dict.fromkeys(story.author_ids)
    ]
    if connection.vendor != "postgresql":
        through.objects.bulk_create([through(article_id=a, author_id=b) for a, b in pairs], batch_size=2000)
        return
    table = connection.ops.quote_name(through._meta.db_table)
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} (article_id, author_id) FROM STDIN") as copy:
        for pair in pairs:
            copy.write_row(pair)
