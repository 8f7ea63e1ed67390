"""PostgreSQL full-text search: websearch_to_tsquery, GIN indexes on `doc` and `head`, ts_rank_cd, ts_headline.

The row's own condition decides which vector the whole query must match: `doc`
where the reader may open the story, `head` (headline and standfirst) where
not. So a locked body neither matches, nor ranks, nor (through an excluded
word) hides a story. The GIN index on `doc` finds the stories holding the words;
with an exclusion, the two GIN indexes answer the whole query, so the rows read
are only those it matches on `doc` or on `head`. Counting asks each index for
its own kind of story (`_branches`). A candidate's rank is computed from the row
already read for it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection

from broadsheet.search import query as q_lang
from broadsheet.search import schema
from broadsheet.search.engines.base import (
    MARK_END,
    MARK_START,
    RANKED,
    EngineHit,
    EngineQuery,
    Filters,
    Highlight,
    Sort,
    filters_sql,
    marked_html,
    order_sql,
)
from broadsheet.search.query import ParsedQuery

TSQUERY = f"websearch_to_tsquery('{schema.PG_CONFIG}', %s)"
MARKS = f"StartSel={MARK_START}, StopSel={MARK_END}"
WHOLE = f"{MARKS}, HighlightAll=true"
SNIPPET = f'{MARKS}, MaxWords=32, MinWords=16, MaxFragments=2, FragmentDelimiter=" … "'


# Walking the stories newest first until enough match reads about wanted * stories / matches rows,
# one page each; when that is more than this, the matches are taken from the GIN index instead and
# sorted (see `_estimate`). A word in most stories, or a single page newest first, walks.
WALK_ROWS = 6000
# Through the GIN index, each match costs a read of its row. A word in many stories is therefore
# looked for in the newest stretch of time first, sized to hold about this many times the
# candidates wanted, and the stretch is made this many times longer until it holds enough.
WINDOW_GROWTH = 4
# When the planner expects the filters to leave at most this many times the candidates wanted, they
# are all looked at at once (`_few_candidates`): a stretch of time would hold too few.
FEW_CANDIDATES = 3


@dataclass(frozen=True, slots=True)
class Estimate:
    matches: float  # stories holding every positive term, by the planner's statistics
    stories: float  # stories in the index
    oldest: datetime | None


def _plan_rows(plan: Any) -> float:
    if isinstance(plan, str):
        plan = json.loads(plan)
    return float(plan[0]["Plan"]["Plan Rows"])


def _narrowed(q: EngineQuery) -> bool:
    """Whether asking the planner about few candidates (`_few_candidates`) can pay: only a filter or an
    exclusion leaves far fewer than the words' matches. Without either it costs 5 to 15 ms on a
    middling word at 10⁶ stories and seldom says yes (docs/benchmarks.md, search, third round); when
    it would have, the stretch of time is widened instead. A phrase is not asked about (the planner
    takes its words to be independent)."""
    if any(t.is_phrase for t in q.query.terms):
        return False
    return bool(q.query.negative) or q.filters != Filters()


class PostgresEngine:
    name = "postgresql"
    # The query `find` last answered, how many matching stories it saw, and whether that was all (`count`).
    _seen: tuple[EngineQuery, int, bool] | None = None

    def _estimate(self, positive: str) -> Estimate:
        """How many stories hold the positive terms, from the planner's statistics (no rows read).

        The planner's estimate of the matches is good; what it cannot see is how many of the
        stories it would walk newest first are then rejected (a locked story must match on its
        headline or standfirst, a filter or an exclusion drops more), so left alone it walks far
        too long for a word of middling frequency."""
        with connection.cursor() as cursor:
            # A phrase is estimated as any of its words: the planner takes a phrase's words to be
            # independent and so guesses far too few (its rows are read to check the order). Guessing
            # too many costs little: the first stretch of time searched holds few, and is widened.
            words = f"regexp_replace({TSQUERY}::text, '<[0-9-]+>', '|', 'g')::tsquery"
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM search_entry WHERE doc @@ {words}", [positive])
            plan = cursor.fetchone()[0]
            cursor.execute(
                "SELECT reltuples, (SELECT min(published_at) FROM search_entry)"
                " FROM pg_class WHERE oid = 'search_entry'::regclass"
            )
            stories, oldest = cursor.fetchone()
        return Estimate(matches=_plan_rows(plan), stories=float(stories), oldest=oldest)

    def _few_candidates(self, q: EngineQuery, wanted: int) -> bool:
        """Would the two branches find few stories (FEW_CANDIDATES x wanted at most) with every filter,
        by the planner's statistics? A narrow filter (a section and some years) or an exclusion leaves
        far fewer than the words' matches; the planner's guess is good to about half or double, and is not
        asked for a phrase (it takes a phrase's words to be independent)."""
        union, params = self._branches(q)
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) SELECT 1 FROM ({union}) u", params)
            return _plan_rows(cursor.fetchone()[0]) <= FEW_CANDIDATES * wanted

    def _from_where(self, q: EngineQuery, *, since: datetime | None = None) -> tuple[str, list[Any]]:
        """One look at each row (it carries the columns the filters need) decides both kinds of story:
        the whole query on `doc` where the reader may open the story, on `head` elsewhere. The rows
        looked at: every story holding the words (GIN on `doc`); with an exclusion, only those the
        whole query matches on `doc` or on `head` (both GIN indexes answer it, exclusion included)."""
        full = q_lang.websearch(q.query)
        vis, vis_params = q.visibility.sql()
        where, where_params = filters_sql(q, key="article_id", status=False)
        if since is not None:
            where += " AND a.published_at >= %s"
            where_params = [*where_params, since]
        if q.query.negative:
            found, found_params = f"(a.doc @@ {TSQUERY} OR a.head @@ {TSQUERY})", [full, full]
            match = "CASE WHEN v.body_searched THEN a.doc @@ t.tq ELSE a.head @@ t.tq END"
        else:
            # Without one, `doc` holds the words wherever `head` does: the index condition decides `doc`.
            found, found_params = f"a.doc @@ {TSQUERY}", [full]
            match = "(v.body_searched OR a.head @@ t.tq)"
        sql = f"""
            FROM search_entry a
            LEFT JOIN newsroom_agency ag ON ag.id = a.agency_id
            CROSS JOIN LATERAL (SELECT {vis} AS body_searched) v
            CROSS JOIN LATERAL (SELECT {TSQUERY} AS tq) t
            WHERE {found} AND {match} AND {where}"""
        return sql, [*vis_params, full, *found_params, *where_params]

    def _branches(self, q: EngineQuery) -> tuple[str, list[Any]]:
        """Every match, as two kinds of story, each found by an index of its own: the stories the reader
        may not open by the whole query on `head` (GIN on `head`), the others by the whole query on
        `doc` (GIN on `doc`). For counting: the first kind comes first, as its GIN matches are few and
        nearly all of them count, so a count that stops at its cap often reads no `doc` match at all."""
        full = q_lang.websearch(q.query)
        vis, vis_params = q.visibility.sql()
        where, where_params = filters_sql(q, key="article_id", status=False)
        parts: list[str] = []
        params: list[Any] = []
        for vector, condition in (("head", f"{vis} IS NOT TRUE"), ("doc", vis)):
            parts.append(f"""
                SELECT a.article_id FROM search_entry a LEFT JOIN newsroom_agency ag ON ag.id = a.agency_id
                WHERE a.{vector} @@ {TSQUERY} AND {condition} AND {where}""")
            params += [full, *vis_params, *where_params]
        return " UNION ALL ".join(parts), params

    def find(self, q: EngineQuery) -> list[EngineHit]:
        """The newest RANKED matches, then ranked: bounded work however common the words are.

        A word in most stories (or one page newest first): the stories are walked newest first until
        enough match. Fewer: the GIN indexes find them and they are sorted by date; when that is
        still many, in the newest stretch of time first (`WINDOW_GROWTH`), unless the planner
        expects the filters to leave few (`_few_candidates`). Either way exactly the newest RANKED
        matches are ranked, and `count` is answered from what was seen when that is enough."""
        # Newest first needs only the page itself from the inner query.
        wanted = q.offset + q.limit if q.sort is Sort.NEWEST else RANKED
        guess = self._estimate(q_lang.websearch(ParsedQuery(terms=q.query.positive)))
        if guess.stories > 0 and wanted * guess.stories <= WALK_ROWS * guess.matches:
            hits, candidates = self._find(q, wanted, by_date_index=True, since=None)
            return self._remember(q, hits, candidates, every=candidates < wanted)
        end = min(q.now, q.filters.published_before or q.now)
        start = max(x for x in (guess.oldest, q.filters.published_from) if x is not None) if guess.oldest else end
        share = WINDOW_GROWTH * wanted / guess.matches if guess.matches > 0 else 1.0
        if share < 1 and _narrowed(q) and self._few_candidates(q, wanted):
            share = 1.0  # the filters leave few: one look at all of them, not stretch after stretch
        while True:
            since = end - (end - start) * share if share < 1 and end > start else None
            hits, candidates = self._find(q, wanted, by_date_index=False, since=since)
            if since is None or candidates >= wanted:
                return self._remember(q, hits, candidates, every=since is None and candidates < wanted)
            # Longer by what this stretch held, with room to spare; at least WINDOW_GROWTH times.
            share *= max(WINDOW_GROWTH, 2 * wanted / candidates if candidates else WINDOW_GROWTH**2)

    def _remember(self, q: EngineQuery, hits: list[EngineHit], candidates: int, *, every: bool) -> list[EngineHit]:
        """What `count` may take from `find`: the stories it saw all match, so as many is a lower bound,
        and the exact number when it looked at `every` match (no stretch of time, fewer than it wanted)."""
        # (A page past the last has no row to carry the number: then nothing is known.)
        self._seen = (q, candidates, every and (bool(hits) or q.offset == 0))
        return hits

    def _find(
        self, q: EngineQuery, wanted: int, *, by_date_index: bool, since: datetime | None
    ) -> tuple[list[EngineHit], int]:
        """The page of hits among the newest `wanted` matches published at or after `since`, and how many
        candidates there were (`wanted` at most)."""
        from_where, params = self._from_where(q, since=since)
        rank = "CASE WHEN v.body_searched THEN ts_rank_cd(a.doc, t.tq) ELSE ts_rank_cd(a.head, t.tq) END"
        # An expression the date index cannot give keeps the planner on the GIN matches, sorted.
        newest = "a.published_at" if by_date_index else "(a.published_at + interval '0 seconds')"
        inner = f"""SELECT a.article_id AS id, a.published_at, v.body_searched, {rank} AS rank {from_where}
              ORDER BY {newest} DESC, a.article_id DESC LIMIT %s"""
        sql = f"""
            SELECT c.id, c.body_searched, c.rank, count(*) OVER () AS candidates FROM ({inner}) c
            ORDER BY {order_sql(q.sort, "c.rank", article="c")} LIMIT %s OFFSET %s"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, wanted, q.limit, q.offset])
            rows = cursor.fetchall()
        hits = [EngineHit(article_id=i, body_searched=bool(b), rank=float(r)) for i, b, r, _ in rows]
        return hits, int(rows[0][3]) if rows else 0

    def count(self, q: EngineQuery, *, cap: int) -> int:
        if self._seen is not None and self._seen[0] == q:
            seen, every = self._seen[1:]
            if seen >= cap or every:
                return min(seen, cap)  # `find` already saw as many matches, or all of them
        union, params = self._branches(q)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM ({union}) u LIMIT %s) capped", [*params, cap])
            return int(cursor.fetchone()[0])

    def highlight(self, query: ParsedQuery, *, open_ids: list[int], locked_ids: list[int]) -> dict[int, Highlight]:
        ids = [*open_ids, *locked_ids]
        if not ids:
            return {}
        full = q_lang.websearch(query)
        config = schema.PG_CONFIG
        sql = f"""
            SELECT a.id, ts_headline('{config}', a.headline, t.tq, %s), ts_headline('{config}', a.standfirst, t.tq, %s),
                   CASE WHEN a.id = ANY(%s) THEN ts_headline('{config}', search_plain(a.body), t.tq, %s) END
            FROM newsroom_article a CROSS JOIN (SELECT {TSQUERY} AS tq) t
            WHERE a.id = ANY(%s)"""
        with connection.cursor() as cursor:
            cursor.execute(sql, [WHOLE, WHOLE, list(open_ids), SNIPPET, full, ids])
            rows = cursor.fetchall()
        return {
            pk: Highlight(
                headline=marked_html(headline),
                standfirst=marked_html(standfirst),
                snippet=marked_html(snippet) if pk in open_ids and snippet else None,
            )
            for pk, headline, standfirst, snippet in rows
        }

    def rebuild_batch(self, *, after_id: int, upto_id: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(schema.PG_REBUILD_BATCH, [after_id, upto_id])
            return int(cursor.rowcount)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_entry")

    def indexed_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_entry")
            return int(cursor.fetchone()[0])
