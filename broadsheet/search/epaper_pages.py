"""The print edition's pages in search, for readers whose plan includes the e-paper.

A page's text (pdfium's reading of the PDF, `epaper.Page.text`) is indexed by
the database, as stories are: on PostgreSQL a GIN index on the page's tsvector,
on SQLite an FTS5 table kept by triggers (`PG_CREATE` / `SQLITE_CREATE` below,
run by search/migrations/0004). Only the current printing of a published
edition dated up to today is ever found.

Access is not decided here: the caller asks the e-paper's rule first and calls
`epaper_pages_find` only for a reader it opens to. Anyone else gets no page, no
snippet and no count: not even whether the print edition held the words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db import connection
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.safestring import SafeString

from broadsheet.epaper.models import Edition, Page
from broadsheet.search import query as q_lang
from broadsheet.search.engines.base import ELLIPSIS, MARK_END, MARK_START, Filters, Sort, marked_html
from broadsheet.search.query import ParsedQuery
from broadsheet.search.schema import PG_CONFIG, SQLITE_TOKENIZER

PAGE_HITS = 3  # pages shown above the stories: the best few; the viewer's find shows the rest of an edition
SNIPPET_TOKENS = 24

PG_VECTOR = f"to_tsvector('{PG_CONFIG}', p.text)"
PG_CREATE = [
    f"CREATE INDEX IF NOT EXISTS epaper_page_search ON epaper_page USING gin ((to_tsvector('{PG_CONFIG}', text)))",
]
PG_DROP = ["DROP INDEX IF EXISTS epaper_page_search"]

SQLITE_CREATE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS epaper_page_fts USING fts5("
    f"text, content = 'epaper_page', content_rowid = 'id', tokenize = '{SQLITE_TOKENIZER}')",
    """CREATE TRIGGER IF NOT EXISTS epaper_page_fts_insert AFTER INSERT ON epaper_page BEGIN
         INSERT INTO epaper_page_fts(rowid, text) VALUES (NEW.id, NEW.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS epaper_page_fts_delete AFTER DELETE ON epaper_page BEGIN
         INSERT INTO epaper_page_fts(epaper_page_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
       END""",
    """CREATE TRIGGER IF NOT EXISTS epaper_page_fts_update AFTER UPDATE OF text ON epaper_page BEGIN
         INSERT INTO epaper_page_fts(epaper_page_fts, rowid, text) VALUES ('delete', OLD.id, OLD.text);
         INSERT INTO epaper_page_fts(rowid, text) VALUES (NEW.id, NEW.text);
       END""",
    "INSERT INTO epaper_page_fts(epaper_page_fts) VALUES ('rebuild')",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS epaper_page_fts_insert",
    "DROP TRIGGER IF EXISTS epaper_page_fts_delete",
    "DROP TRIGGER IF EXISTS epaper_page_fts_update",
    "DROP TABLE IF EXISTS epaper_page_fts",
]
SQLITE_REBUILD = "INSERT INTO epaper_page_fts(epaper_page_fts) VALUES ('rebuild')"

# Pages a reader may open: the current printing of a published edition, from its own date on.
_OPENABLE = "e.current_id = p.printing_id AND e.is_published AND e.date <= %s AND e.date >= %s AND e.date <= %s"

_PG_FIND = f"""
    SELECT id, edition_id, ts_headline('{PG_CONFIG}', text, tq, %s) FROM (
      SELECT p.id, e.id AS edition_id, p.text, t.tq, e.date, p.number, ts_rank_cd({PG_VECTOR}, t.tq) AS rank
      FROM epaper_page p
      JOIN epaper_edition e ON {_OPENABLE}
      CROSS JOIN (SELECT websearch_to_tsquery('{PG_CONFIG}', %s) AS tq) t
      WHERE {PG_VECTOR} @@ t.tq
      ORDER BY {{order}}
      LIMIT %s
    ) found ORDER BY {{order}}"""

_SQLITE_FIND = f"""
    SELECT p.id, e.id, snippet(epaper_page_fts, 0, %s, %s, %s, {SNIPPET_TOKENS})
    FROM epaper_page_fts f
    JOIN epaper_page p ON p.id = f.rowid
    JOIN epaper_edition e ON {_OPENABLE}
    WHERE epaper_page_fts MATCH %s
    ORDER BY {{order}}
    LIMIT %s"""

PG_SNIPPET = f"StartSel={MARK_START}, StopSel={MARK_END}, MaxWords=30, MinWords=14, MaxFragments=1"


@dataclass(frozen=True, slots=True)
class PageHit:
    edition: Edition
    page: Page
    snippet: SafeString
    find: str  # the searched words, for the viewer's find

    @property
    def url(self) -> str:
        """The page in the viewer, with its find started for the searched words."""
        address = reverse("epaper-page", args=[self.edition.date, self.edition.slug, self.page.number])
        return f"{address}?{urlencode({'find': self.find})}"

    @property
    def thumb_url(self) -> str:
        if not self.page.thumb:
            return ""
        extension = self.page.thumb.rsplit(".", 1)[-1]
        return reverse("epaper-thumb", args=[self.page.printing.key, self.page.number, extension])


def epaper_pages_for_search(query: ParsedQuery, *, filters: Filters, sort: Sort, today: date) -> list[PageHit]:
    """The pages to show beside a story search: none when it is narrowed to a section, an author or
    an agency (a page has none of those); its dates, when it has them, are the editions' dates."""
    if filters.section_id is not None or filters.author_id is not None or filters.agency_id is not None:
        return []
    # The filters' bounds are midnights in the publication's time zone, so their dates are its days.
    first = filters.published_from.date() if filters.published_from else None
    last = (filters.published_before - timedelta(days=1)).date() if filters.published_before else None
    return epaper_pages_find(query, today=today, first_day=first, last_day=last, sort=sort)


def epaper_pages_find(
    query: ParsedQuery,
    *,
    today: date,
    first_day: date | None = None,
    last_day: date | None = None,
    sort: Sort = Sort.RELEVANCE,
    limit: int = PAGE_HITS,
) -> list[PageHit]:
    """The pages best matching `query`, best first (or newest first), each with a marked snippet."""
    if not query.is_searchable:
        return []
    window: list[Any] = [today, first_day or date.min, last_day or date.max]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            order = "date DESC, number" if sort is Sort.NEWEST else "rank DESC, date DESC, number"
            cursor.execute(_PG_FIND.format(order=order), [PG_SNIPPET, *window, q_lang.websearch(query), limit])
        else:
            order = "e.date DESC, p.number" if sort is Sort.NEWEST else "bm25(epaper_page_fts), e.date DESC, p.number"
            expression = q_lang.fts5(query, head_only=False)
            cursor.execute(
                _SQLITE_FIND.format(order=order), [MARK_START, MARK_END, ELLIPSIS, *window, expression, limit]
            )
        rows = cursor.fetchall()
    pages = Page.objects.select_related("printing").in_bulk([row[0] for row in rows])
    editions = Edition.objects.in_bulk([row[1] for row in rows])
    find = " ".join(" ".join(term.words) for term in query.positive)
    return [
        PageHit(edition=editions[edition_id], page=pages[page_id], snippet=marked_html(snippet), find=find)
        for page_id, edition_id, snippet in rows
        if page_id in pages and edition_id in editions
    ]


def epaper_index_rebuild() -> int:
    """Refill SQLite's page index from the pages (PostgreSQL's is an expression index: nothing to do)."""
    if connection.vendor != "sqlite":
        return Page.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(SQLITE_REBUILD)
        cursor.execute("SELECT count(*) FROM epaper_page")
        return int(cursor.fetchone()[0])
