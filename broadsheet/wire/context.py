"""What an ingest pass knows about one source: its mapping rules, and the stories and content seen so far.

The decision (`decide`) needs, for each item, the story already stored under its id and
whether its content arrived under another id. `Context` loads both a chunk at a time, so a
chunk of items costs two queries, and counts the articles written without their own
generation bump so the pass bumps once per chunk.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db.models import Q

from broadsheet.core import generations
from broadsheet.wire.decide import Known
from broadsheet.wire.items import BadEntry, WireEntry
from broadsheet.wire.mapping import Rule
from broadsheet.wire.models import MappingRule, WireSource, WireStory


@dataclass
class Context:
    """What the decision needs about one source, loaded a chunk at a time."""

    source: WireSource
    rules: list[Rule]
    stories: dict[str, WireStory | None] = field(default_factory=dict)
    hashes: dict[str, str] = field(default_factory=dict)  # content hash -> guid carrying it
    created: int = 0  # new articles written without their own generation bump

    @classmethod
    def for_source(cls, source: WireSource) -> Context:
        rules = [
            Rule(match=r.match, section_id=r.section_id, tag_id=r.tag_id, access=r.access, source_id=r.source_id)
            for r in MappingRule.objects.filter(Q(source__isnull=True) | Q(source=source))
        ]
        return cls(source=source, rules=rules)

    def load(self, entries: Sequence[WireEntry | BadEntry]) -> None:
        good = [e for e in entries if isinstance(e, WireEntry)]
        guids = {e.guid for e in good} - self.stories.keys()
        agency_id = self.source.agency_id
        for story in WireStory.objects.filter(agency_id=agency_id, guid__in=guids).select_related("article"):
            self.stories[story.guid] = story
        for guid in guids:
            self.stories.setdefault(guid, None)
        wanted = {e.content_hash for e in good} - self.hashes.keys()
        rows = WireStory.objects.filter(agency_id=agency_id, content_hash__in=wanted).values_list(
            "content_hash", "guid"
        )
        self.hashes.update(dict(rows))

    def known(self, guid: str) -> Known | None:
        story = self.stories.get(guid)
        if story is None or (story.article_id is None and not story.killed):
            return None
        return Known(version=story.version, content_hash=story.content_hash, killed=story.killed)

    def flush(self) -> None:
        """Bump the newsroom generation once for the stories created since the last flush."""
        if self.created:
            generations.bump("newsroom")
            self.created = 0

    def forget(self, guid: str) -> None:
        self.stories.pop(guid, None)
        self.hashes = {h: g for h, g in self.hashes.items() if g != guid}
