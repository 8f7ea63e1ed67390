"""What every engine is asked and answers, and the SQL both share (filters, order).

An engine matches, ranks and highlights; it never decides access. It is handed
a `Visibility` (from the paywall's rule) and applies it one way only: the body
of a story is matched only where that condition holds, else the headline and
standfirst alone; and a body snippet is made only for the ids it is told are open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from broadsheet.search.query import ParsedQuery
from broadsheet.search.visibility import Visibility

# Marks an engine puts around a matched word: control characters, which stored text never holds
# (core.text drops them), turned into <mark> only after the text around them is escaped.
MARK_START = "\x02"
MARK_END = "\x03"
ELLIPSIS = "…"

LIVE_STATUSES = ("published", "scheduled")
# Headline, standfirst, body: how much a match in each weighs (FTS5's bm25 column weights;
# PostgreSQL's A, B and D labels with ts_rank_cd's default weights are in the same proportions).
WEIGHTS = (10.0, 4.0, 1.0)
# Relevance is ranked among the newest RANKED matches: a query matching more stories (a very common
# word) costs the same as one matching RANKED. Results stop at 1,000 (selectors.MAX_RESULTS) anyway.
RANKED = 2000


class Sort(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"


@dataclass(frozen=True, slots=True)
class Filters:
    published_from: datetime | None = None  # inclusive
    published_before: datetime | None = None  # exclusive
    section_id: int | None = None
    author_id: int | None = None
    agency_id: int | None = None


@dataclass(frozen=True, slots=True)
class EngineQuery:
    query: ParsedQuery
    visibility: Visibility
    now: datetime
    filters: Filters = Filters()
    sort: Sort = Sort.RELEVANCE
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True)
class EngineHit:
    article_id: int
    body_searched: bool  # the visibility condition held: the body took part in matching and ranking
    rank: float


@dataclass(frozen=True, slots=True)
class Highlight:
    headline: SafeString
    standfirst: SafeString
    snippet: SafeString | None  # only for ids passed as open


class Engine(Protocol):
    name: str

    def find(self, q: EngineQuery) -> list[EngineHit]: ...

    def count(self, q: EngineQuery, *, cap: int) -> int: ...

    def highlight(self, query: ParsedQuery, *, open_ids: list[int], locked_ids: list[int]) -> dict[int, Highlight]: ...

    def rebuild_batch(self, *, after_id: int, upto_id: int) -> int: ...

    def clear(self) -> None: ...

    def indexed_count(self) -> int: ...


def filters_sql(q: EngineQuery, article: str = "a", *, key: str = "id", status: bool = True) -> tuple[str, list[Any]]:
    """Live stories only, and the reader's filters, as SQL over a row with the article's columns
    (the article itself, or PostgreSQL's index row: `key` names the article id, `status` whether
    the row has one; the index holds live stories only)."""
    clauses = [f"{article}.published_at <= %s"]
    params: list[Any] = [q.now]
    if status:
        clauses.append(f"{article}.status IN (%s, %s)")
        params += list(LIVE_STATUSES)
    f = q.filters
    if f.published_from is not None:
        clauses.append(f"{article}.published_at >= %s")
        params.append(f.published_from)
    if f.published_before is not None:
        clauses.append(f"{article}.published_at < %s")
        params.append(f.published_before)
    if f.section_id is not None:
        clauses.append(f"{article}.section_id = %s")
        params.append(f.section_id)
    if f.agency_id is not None:
        clauses.append(f"{article}.agency_id = %s")
        params.append(f.agency_id)
    if f.author_id is not None:
        clauses.append(
            "EXISTS (SELECT 1 FROM newsroom_article_authors aa"
            f" WHERE aa.article_id = {article}.{key} AND aa.author_id = %s)"
        )
        params.append(f.author_id)
    return " AND ".join(clauses), params


def order_sql(sort: Sort, rank: str, article: str = "a") -> str:
    """Relevance with recency breaking ties, or newest first; the id settles the rest."""
    if sort is Sort.NEWEST:
        return f"{article}.published_at DESC, {article}.id DESC"
    return f"{rank} DESC, {article}.published_at DESC, {article}.id DESC"


_marked = re.compile(f"{MARK_START}([^{MARK_START}{MARK_END}]*){MARK_END}")


def marked_html(text: str | None) -> SafeString:
    """An engine's marked text as HTML: everything escaped, the marks as <mark>, stray marks dropped."""
    if not text:
        return mark_safe("")
    text = " ".join(text.split())
    parts: list[str] = []
    last = 0
    for match in _marked.finditer(text):
        parts.append(_clean(text[last : match.start()]))
        if match.group(1):
            parts.append(f"<mark>{_clean(match.group(1))}</mark>")
        last = match.end()
    parts.append(_clean(text[last:]))
    # Neighbouring marks become one, so a phrase reads the same from both engines.
    return mark_safe("".join(parts).replace("</mark> <mark>", " "))  # noqa: S308 - every piece escaped above


def _clean(text: str) -> str:
    return str(escape(text.replace(MARK_START, "").replace(MARK_END, "")))
