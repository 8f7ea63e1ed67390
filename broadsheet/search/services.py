"""Writes to the search index. The triggers (search.schema) keep it in step with every story write;
this module rebuilds it from scratch (after a restore, a change of tokenizer, or to check it)."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from broadsheet.newsroom.models import Article
from broadsheet.search.engines import engine_for_database

BATCH = 5000
Progress = Callable[[int, int], None]  # (highest article id done, highest article id)


@dataclass(frozen=True, slots=True)
class RebuildSummary:
    engine: str
    indexed: int
    articles: int
    seconds: float

    def text(self) -> str:
        rate = self.indexed / self.seconds if self.seconds > 0 else 0.0
        return (
            f"Search index rebuilt on {self.engine}: {self.indexed:,} live stories indexed "
            f"of {self.articles:,} stories in {self.seconds:.1f} s ({rate:,.0f} a second)."
        )


def search_index_rebuild(*, progress: Progress | None = None, batch: int = BATCH) -> RebuildSummary:
    """Empty the index and fill it again from the live stories, in one transaction.

    Searches keep reading the old index until the new one is committed; a failure
    half-way leaves the old one as it was.
    """
    started = time.monotonic()
    engine = engine_for_database()
    with transaction.atomic():
        top = Article.objects.aggregate(top=Max("id"))["top"] or 0
        engine.clear()
        for after in range(0, top, batch):
            engine.rebuild_batch(after_id=after, upto_id=min(after + batch, top))
            if progress is not None:
                progress(min(after + batch, top), top)
        indexed = engine.indexed_count()
    return RebuildSummary(
        engine=engine.name,
        indexed=indexed,
        articles=Article.objects.count(),
        seconds=time.monotonic() - started,
    )
