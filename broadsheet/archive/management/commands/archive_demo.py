"""`broadsheet archive-demo`: fill the demo archive with some thousands of briefs, 1997 to three weeks ago.

Create-only, as `seed-demo` is: once the demo archive exists a run changes nothing. The
stories go through the newsroom's bulk writer in batches, the path `import-archive` takes.
Run after `seed-demo` (it needs the demo's sections, authors and agencies).
"""

from __future__ import annotations

import time
from itertools import batched
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from broadsheet.archive.demo import SOURCE_PREFIX, DemoStory, demo_stories
from broadsheet.core import clock
from broadsheet.newsroom.archive_import import ArchiveStory, articles_bulk_write
from broadsheet.newsroom.models import Agency, Article, Author, Section, clean_body

BATCH = 2000


class Command(BaseCommand):
    help = "Seed the demo archive: thousands of generated briefs from 1997 on (create-only)."

    def handle(self, *args: Any, **options: Any) -> None:
        existing = Article.objects.filter(source_id__startswith=SOURCE_PREFIX).count()
        if existing:
            self.stdout.write(f"The demo archive is already there ({existing:,} stories); nothing to do.")
            return
        sections = dict(Section.objects.values_list("slug", "pk"))
        authors = dict(Author.objects.values_list("slug", "pk"))
        agencies = dict(Agency.objects.values_list("code", "pk"))
        if "india" not in sections or "CPS" not in agencies:
            raise CommandError("run seed-demo first: the demo archive uses its sections, authors and agencies")
        started = time.monotonic()
        now = clock.now()
        stories = list(demo_stories(now=now))
        written = 0
        for batch in batched(stories, BATCH):
            rows = [_resolved(s, sections=sections, authors=authors, agencies=agencies) for s in batch]
            written += len(articles_bulk_write(stories=rows, at=now).ids)
            self.stdout.write(f"  archive: {written:,}/{len(stories):,} stories")
        first, last = stories[0].published_at, stories[-1].published_at
        self.stdout.write(
            f"Demo archive: {written:,} stories from {first:%-d %B %Y} to {last:%-d %B %Y} "
            f"in {time.monotonic() - started:.1f}s."
        )


def _resolved(
    story: DemoStory, *, sections: dict[str, int], authors: dict[str, int], agencies: dict[str, int]
) -> ArchiveStory:
    return ArchiveStory(
        source_id=story.source_id,
        digest=story.digest,
        headline=story.headline,
        standfirst=story.standfirst,
        body=clean_body(story.body),
        section_id=sections[story.section],
        author_ids=tuple(authors[a] for a in story.authors if a in authors),
        agency_id=agencies[story.agency] if story.agency else None,
        published_at=story.published_at,
        access=story.access,
    )
