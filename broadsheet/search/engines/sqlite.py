"""SQLite FTS5: the same query as two MATCH expressions, bm25 with column weights, highlight() and snippet().

Each story is looked for twice: with the whole query over all three columns,
and with the query confined to the headline and standfirst. The row's own
condition keeps exactly one of the two answers: the whole one where the reader
may open the story, the confined one where not. So a locked body neither
matches, nor ranks, nor (through an excluded word) hides a story.

The matches come first: `CROSS JOIN` is SQLite's way of fixing the join order.
Left to itself, the planner may walk every live story by the status index and
ask FTS5 about each one (the count of a one-word search took 0.9 s on the
demo's 9,000 stories that way, 2 ms with the matches first).
"""

from __future__ import annotations

from typing import Any

from django.db import connection

from broadsheet.search import query as q_lang
from broadsheet.search import schema
from broadsheet.search.engines.base import (
    ELLIPSIS,
    MARK_END,
    MARK_START,
    WEIGHTS,
    EngineHit,
    EngineQuery,
    Highlight,
    filters_sql,
    marked_html,
    order_sql,
)
from broadsheet.search.query import ParsedQuery

SNIPPET_TOKENS = 28
HEAD_RANK = f"-bm25(search_fts, {WEIGHTS[0]}, {WEIGHTS[1]}, 0.0)"
FULL_RANK = f"-bm25(search_fts, {WEIGHTS[0]}, {WEIGHTS[1]}, {WEIGHTS[2]})"


def _placeholders(values: list[int]) -> str:
    return ", ".join(["%s"] * len(values))


class SqliteEngine:
    name = "sqlite"

    def _from_where(self, q: EngineQuery) -> tuple[str, list[Any]]:
        vis, vis_params = q.visibility.sql()
        where, where_params = filters_sql(q)
        sql = f"""
            FROM (
              SELECT rowid AS id, {HEAD_RANK} AS rank, 0 AS body_searched FROM search_fts WHERE search_fts MATCH %s
              UNION ALL
              SELECT rowid AS id, {FULL_RANK} AS rank, 1 AS body_searched FROM search_fts WHERE search_fts MATCH %s
            ) m
            CROSS JOIN newsroom_article a ON a.id = m.id
            LEFT JOIN newsroom_agency ag ON ag.id = a.agency_id
            WHERE m.body_searched = (CASE WHEN {vis} THEN 1 ELSE 0 END) AND {where}"""
        head = q_lang.fts5(q.query, head_only=True)
        full = q_lang.fts5(q.query, head_only=False)
        return sql, [head, full, *vis_params, *where_params]

    def find(self, q: EngineQuery) -> list[EngineHit]:
        from_where, params = self._from_where(q)
        order = order_sql(q.sort, "m.rank")
        sql = f"SELECT m.id, m.body_searched, m.rank {from_where} ORDER BY {order} LIMIT %s OFFSET %s"
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, q.limit, q.offset])
            return [EngineHit(article_id=i, body_searched=bool(b), rank=float(r)) for i, b, r in cursor.fetchall()]

    def count(self, q: EngineQuery, *, cap: int) -> int:
        from_where, params = self._from_where(q)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM (SELECT 1 {from_where} LIMIT %s)", [*params, cap])
            return int(cursor.fetchone()[0])

    def _marked(self, expression: str, ids: list[int], *, snippets: bool) -> dict[int, tuple[str, str, str | None]]:
        if not ids:
            return {}
        body = f"snippet(search_fts, 2, %s, %s, %s, {SNIPPET_TOKENS})" if snippets else "NULL"
        sql = f"""SELECT rowid, highlight(search_fts, 0, %s, %s), highlight(search_fts, 1, %s, %s), {body}
            FROM search_fts WHERE search_fts MATCH %s AND rowid IN ({_placeholders(ids)})"""
        marks = [MARK_START, MARK_END]
        params: list[Any] = [*marks, *marks, *([*marks, ELLIPSIS] if snippets else []), expression, *ids]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return {pk: (h, s, b) for pk, h, s, b in cursor.fetchall()}

    def highlight(self, query: ParsedQuery, *, open_ids: list[int], locked_ids: list[int]) -> dict[int, Highlight]:
        found = self._marked(q_lang.fts5(query, head_only=False), open_ids, snippets=True)
        # A locked story matched on its headline and standfirst alone; the confined query marks the same words.
        found.update(self._marked(q_lang.fts5(query, head_only=True), locked_ids, snippets=False))
        return {
            pk: Highlight(
                headline=marked_html(headline),
                standfirst=marked_html(standfirst),
                snippet=marked_html(body) if pk in open_ids and body else None,
            )
            for pk, (headline, standfirst, body) in found.items()
        }

    def rebuild_batch(self, *, after_id: int, upto_id: int) -> int:
        with connection.cursor() as cursor:
            cursor.execute(schema.SQLITE_REBUILD_BATCH, [after_id, upto_id])
            return int(cursor.rowcount)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts")

    def indexed_count(self) -> int:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM search_fts")
            return int(cursor.fetchone()[0])
