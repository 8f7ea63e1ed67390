"""Cursor pagination for lists, newest first, stable while rows are added.

A cursor is the position after the last row of a page, (its date or time, id), signed
so it cannot be forged into a query; the next page is every row strictly after it in
(-date, -id) order. A story published (or an edition uploaded) meanwhile never shifts
a page. Stories page by `published_at`, e-paper editions by `date`; a cursor names its
field, so one list's cursor is refused by another.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from django.core import signing
from django.db.models import DateTimeField, Q, QuerySet
from ninja import Schema
from pydantic import Field

from broadsheet.api.problems import Problem

SALT = "broadsheet.api.cursor"
DEFAULT_LIMIT = 20
MAX_LIMIT = 50


class PageParams(Schema):
    cursor: str | None = Field(None, max_length=200, description="`next_cursor` of the previous page")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="How many per page")


def cursor_for(published_at: date, pk: int, *, by: str = "published_at") -> str:
    fields = [published_at.isoformat(), pk] if by == "published_at" else [published_at.isoformat(), pk, by]
    return signing.dumps(fields, salt=SALT, compress=True)


def _position(cursor: str, *, by: str, as_datetime: bool) -> tuple[date, int]:
    try:
        stamp, pk, *field = signing.loads(cursor, salt=SALT)
        if (field[0] if field else "published_at") != by or len(field) > 1:
            raise ValueError("a cursor of another list")
        return (datetime.fromisoformat(stamp) if as_datetime else date.fromisoformat(stamp)), int(pk)
    except (signing.BadSignature, ValueError, TypeError) as exc:
        raise Problem("invalid_cursor") from exc


def page_of(queryset: QuerySet[Any], params: PageParams, *, by: str = "published_at") -> tuple[list[Any], str | None]:
    """One page of `queryset` after `params.cursor` in (-by, -id) order, and the cursor of the next page."""
    as_datetime = isinstance(queryset.model._meta.get_field(by), DateTimeField)
    rows = queryset.order_by(f"-{by}", "-id")
    if params.cursor:
        at, pk = _position(params.cursor, by=by, as_datetime=as_datetime)
        rows = rows.filter(Q(**{f"{by}__lt": at}) | Q(**{by: at, "id__lt": pk}))
    items = list(rows[: params.limit + 1])
    more = len(items) > params.limit
    items = items[: params.limit]
    last = items[-1] if items and more else None
    return items, cursor_for(getattr(last, by), last.pk, by=by) if last is not None else None
