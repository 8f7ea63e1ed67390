"""The demo archive: some thousands of briefs from 1997 to three weeks ago, made from templates.

Deterministic (one seeded random generator), so two runs with the same end date give the
same stories. The last three weeks are left to the hand-written demo stories, which keep
the fronts as the editors arranged them. `broadsheet archive-demo` writes them through the
newsroom's bulk writer, the same path as `import-archive`.
"""

from __future__ import annotations

import calendar
import hashlib
import html
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from broadsheet.archive import demo_briefs as b

SOURCE_PREFIX = "demo-archive-"
IST = ZoneInfo("Asia/Kolkata")  # the demo paper's time zone
FIRST_DAY = datetime(1997, 8, 14, 9, 0, tzinfo=IST)  # the demo paper's first web edition
LEFT_TO_THE_DESK = timedelta(days=21)
SEED = 1997

AUTHORS: dict[str, tuple[str, ...]] = {
    "india": ("rohan-mathew", "farah-siddiqui"),
    "economy": ("meera-raghunathan",),
    "markets": ("arjun-kesavan", "kavita-iyengar"),
    "companies": ("ananya-bhattacharjee",),
    "technology": ("vikram-deshpande",),
    "world": ("tenzing-dorje",),
    "opinion": ("suresh-nair",),
}
FOUNDING_EDITOR = "lakshmi-venkatraman"  # edited the paper until 2012
AGENCIES = ("CPS", "MWA")


@dataclass(frozen=True, slots=True)
class DemoStory:
    source_id: str
    headline: str
    standfirst: str
    body: str
    section: str  # slug
    authors: tuple[str, ...]  # slugs
    agency: str | None  # code
    published_at: datetime
    access: str

    @property
    def digest(self) -> str:
        return hashlib.sha256(repr(self).encode()).hexdigest()


def stories_per_year(year: int) -> int:
    """More stories each year, as the web edition grew: about 90 in 1998, about 400 by the 2020s."""
    return min(90 + (year - 1998) * 14, 420)


def _slots(rng: random.Random, when: datetime) -> dict[str, str]:
    city, state = rng.choice(b.PLACES)
    person, role = rng.choice(b.PEOPLE)
    company = rng.choice(b.COMPANIES)
    return {
        "city": city,
        "state": state,
        "company": company,
        "company_s": f"{company}'" if company.endswith("s") else f"{company}'s",
        "person": person,
        "role": role,
        "country": rng.choice(b.COUNTRIES),
        "crop": rng.choice(b.CROPS),
        "topic": rng.choice(b.TOPICS),
        "n": str(rng.choice([12, 18, 24, 40, 65, 120, 150, 240, 300, 450, 800, 1200])),
        "days": str(rng.randint(3, 46)),
        "rain": str(rng.choice([64, 82, 96, 118, 135, 160, 204])),
        "pct": str(rng.choice([2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 14, 18])),
        "crore": f"{rng.choice([35, 60, 120, 240, 450, 800, 1200, 2500, 4800]):,}",
        "month": calendar.month_name[rng.randint(1, 12)],
        "year": str(when.year),
    }


def _body(brief: b.Brief, slots: dict[str, str], *, rng: random.Random, dateline: str) -> str:
    follow = list(b.FOLLOW_ON[brief.section])
    rng.shuffle(follow)
    quote = brief.quote.format(**slots)
    said = f"“{quote},” said {slots['person']}, {slots['role']}."
    paras = [dateline + brief.lead.format(**slots), said, *(p.format(**slots) for p in follow[:2])]
    return "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras)


def _byline(brief: b.Brief, *, rng: random.Random, when: datetime) -> tuple[tuple[str, ...], str | None]:
    """(author slugs, agency code): mostly agency copy for wire briefs, the section's writers otherwise."""
    if brief.wire and rng.random() < 0.7:
        return (), rng.choice(AGENCIES)
    writers = AUTHORS[brief.section]
    if when.year < 2012 and brief.section in ("india", "opinion") and rng.random() < 0.3:
        return (FOUNDING_EDITOR,), None
    return (rng.choice(writers),), None


def _access(rng: random.Random) -> str:
    roll = rng.random()
    return "free" if roll < 0.12 else "premium" if roll < 0.27 else "metered"


def demo_stories(*, now: datetime) -> Iterator[DemoStory]:
    """Every demo archive story, oldest first, up to three weeks before `now`."""
    rng = random.Random(SEED)
    end = now - LEFT_TO_THE_DESK
    number = 0
    for year in range(FIRST_DAY.year, end.year + 1):
        start = max(FIRST_DAY, datetime(year, 1, 1, tzinfo=IST))
        stop = min(end, datetime(year + 1, 1, 1, tzinfo=IST))
        span = (stop - start).total_seconds()
        if span <= 0:
            continue
        count = max(int(stories_per_year(year) * span / (365 * 86400)), 1)
        moments = sorted(start + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))
        for when in moments:
            when = when.replace(hour=rng.randint(6, 22), minute=rng.choice([0, 10, 15, 30, 45, 50]), second=0)
            when = min(when, stop - timedelta(minutes=1)).replace(microsecond=0)
            number += 1
            yield _story(number, rng=rng, when=when)


def _story(number: int, *, rng: random.Random, when: datetime) -> DemoStory:
    brief = rng.choice(b.BRIEFS)
    slots = _slots(rng, when)
    authors, agency = _byline(brief, rng=rng, when=when)
    local = when.astimezone(IST)
    dateline = f"{slots['city'].upper()}, {local:%b} {local.day} ({agency}) " if agency else ""
    return DemoStory(
        source_id=f"{SOURCE_PREFIX}{number:05d}",
        headline=brief.headline.format(**slots),
        standfirst=brief.standfirst.format(**slots),
        body=_body(brief, slots, rng=rng, dateline=dateline),
        section=brief.section,
        authors=authors,
        agency=agency,
        published_at=when,
        access=_access(rng),
    )
