"""Which stories a reader may open now, as a condition the search query can apply.

The body of a story is searched, and quoted, only for a reader the paywall opens
it to without counting a view (rules 1 to 5: `article_access_unmetered`); every
other story is matched on its headline and standfirst alone. The decision stays
the paywall's: this module asks its rule once for each kind of story the paper
has (by section, access level and meter-exempt agency) and writes the answers down
as SQL. A rule that depends on a story's age (the archive) is found the same
way: each kind is asked for a story of today and one from 1990 and, when the
answers differ, the boundary is searched for on the rule itself, to the microsecond.

The results page asks the rule again for each story it shows (`story_open`), so
a condition that disagreed with the rule could drop a result, never leak one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from broadsheet.newsroom.models import Agency, Article, Section
from broadsheet.paywall.access import ReaderFacts
from broadsheet.paywall.services import article_access_unmetered

OLDEST = datetime(1990, 1, 1, tzinfo=UTC)  # older than anything a paper has online


@dataclass(frozen=True, slots=True)
class OpenRule:
    """Stories of one access level and exemption, open in these sections, if published at or after `since`."""

    access: str
    meter_exempt: bool | None  # None: exempt or not
    section_ids: tuple[int, ...] | None  # None: every section
    since: datetime | None = None


@dataclass(frozen=True, slots=True)
class Visibility:
    everything: bool  # staff: every story is open
    rules: tuple[OpenRule, ...]

    def sql(self, article: str = "a", agency: str = "ag") -> tuple[str, list[Any]]:
        """A boolean SQL expression over the article (and its LEFT JOINed agency) row."""
        if self.everything:
            return "(1 = 1)", []
        parts: list[str] = []
        params: list[Any] = []
        for rule in self.rules:
            clause = f"{article}.access = %s"
            params.append(rule.access)
            if rule.meter_exempt is not None:
                clause += f" AND COALESCE({agency}.meter_exempt, %s) = %s"
                params += [False, rule.meter_exempt]
            if rule.section_ids is not None:
                clause += f" AND {article}.section_id IN ({', '.join(['%s'] * len(rule.section_ids))})"
                params += list(rule.section_ids)
            if rule.since is not None:
                clause += f" AND {article}.published_at >= %s"
                params.append(rule.since)
            parts.append(f"({clause})")
        return (f"({' OR '.join(parts)})" if parts else "(1 = 0)"), params


def story_open(*, article: Article, reader: ReaderFacts) -> bool:
    """May this reader open this story now without a view being counted? The paywall's own answer."""
    return article_access_unmetered(article=article, reader=reader).is_open


def _specimen(section: Section, access: str, meter_exempt: bool, published_at: datetime) -> Article:
    story = Article(section=section, access=access, status=Article.Status.PUBLISHED, published_at=published_at)
    if meter_exempt:
        story.agency = Agency(pk=-1, code="-", name="-", meter_exempt=True)
    return story


def _open_since(section: Section, access: str, exempt: bool, reader: ReaderFacts, now: datetime) -> datetime | None:
    """The earliest publication time at which this kind of story is open to the reader (None: never).

    Assumes what age changes is monotonic: a story does not lock and then reopen as it ages."""

    def is_open(at: datetime) -> bool:
        return story_open(article=_specimen(section, access, exempt, at), reader=reader)

    if not is_open(now):
        return None
    if is_open(OLDEST):
        return OLDEST
    closed, opened = OLDEST, now
    while opened - closed > timedelta(microseconds=1):
        middle = closed + (opened - closed) // 2
        if is_open(middle):
            opened = middle
        else:
            closed = middle
    return opened


_CACHE_SIZE = 256
_cache: dict[tuple[object, ...], Visibility] = {}


def visibility_for(*, reader: ReaderFacts, sections: list[Section], now: datetime) -> Visibility:
    """The reader's open stories as SQL. Remembered per process for a minute for each kind of reader
    and set of sections (an age boundary moves with the clock; a minute off only narrows what the
    body is searched for, as `story_open` re-checks every result)."""
    if reader.is_staff:
        return Visibility(everything=True, rules=())
    key = (
        reader.is_registered,
        reader.benefits,
        tuple((s.pk, s.required_benefit.code if s.required_benefit else None) for s in sections),
        now.replace(second=0, microsecond=0),
    )
    found = _cache.get(key)
    if found is None:
        if len(_cache) >= _CACHE_SIZE:
            _cache.clear()
        found = _cache[key] = _visibility_build(reader, sections, now)
    return found


def _visibility_build(reader: ReaderFacts, sections: list[Section], now: datetime) -> Visibility:
    found: dict[tuple[str, datetime], dict[bool, list[int]]] = {}
    for access in Article.Access.values:
        for exempt in (False, True):
            for section in sections:
                since = _open_since(section, access, exempt, reader, now)
                if since is not None:
                    found.setdefault((access, since), {}).setdefault(exempt, []).append(section.pk)
    rules: list[OpenRule] = []
    for (access, since), by_exempt in found.items():
        every = [pk for pk in by_exempt.get(False, []) if pk in by_exempt.get(True, [])]
        groups: list[tuple[bool | None, list[int]]] = [(None, every)]
        groups += [(flag, [pk for pk in pks if pk not in every]) for flag, pks in by_exempt.items()]
        for flag, pks in groups:
            if not pks:
                continue
            rules.append(
                OpenRule(
                    access=access,
                    meter_exempt=flag,
                    section_ids=None if len(pks) == len(sections) else tuple(pks),
                    since=None if since == OLDEST else since,
                )
            )
    return Visibility(everything=False, rules=tuple(rules))
