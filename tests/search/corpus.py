"""A fixed corpus for search: every story the same length, the words a query looks for placed
in one field, so the order of results is the same on both engines and can be written down.

Story i is published on 1 January 2025 + i days: a higher number is a newer story. The
stories are inserted with bulk_create, which sends no signals: the index must come from the
database's own triggers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from broadsheet.newsroom.models import Agency, Article, Author, Section

FILLER = "lorem"
HEAD, STAND, PARA = 6, 10, 10
DAY0 = datetime(2025, 1, 1, 6, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    section: str
    head: tuple[str, ...] = ()
    stand: tuple[str, ...] = ()
    body: tuple[str, ...] = ()  # placed in the third paragraph (never the lead a teaser shows)
    access: str = Article.Access.METERED
    author: str = "asha-rao"
    agency: str = ""
    extra: dict[str, str] = field(default_factory=dict)


def _line(words: tuple[str, ...], length: int) -> str:
    return " ".join([*words, *[FILLER] * (length - len(words))]).capitalize()


SPECS: dict[int, Spec] = {
    0: Spec("news", head=("monsoon",)),
    1: Spec("news", head=("monsoon",)),
    2: Spec("business", head=("monsoon",), author="vikram-sen"),
    3: Spec("business", stand=("monsoon",)),
    4: Spec("sport", stand=("monsoon", "cricket")),
    5: Spec("sport", body=("monsoon",), access=Article.Access.FREE),
    6: Spec("business", body=("monsoon",), access=Article.Access.PREMIUM),
    7: Spec("business", head=("repo", "rate"), author="vikram-sen"),
    8: Spec("business", head=("rate", "repo")),
    9: Spec("business", body=("repo", "rate"), author="vikram-sen", access=Article.Access.FREE),
    10: Spec("news", stand=("repo", "rate"), agency="PNS"),
    11: Spec("news", head=("election",), agency="PNS"),
    12: Spec("news", stand=("elections",)),
    13: Spec("news", body=("election",), access=Article.Access.PREMIUM),
    14: Spec("sport", head=("cricket",)),
    **{i: Spec("news", head=("budget",)) for i in range(15, 25)},
    **{i: Spec("business", body=("budget",), access=Article.Access.FREE) for i in range(25, 28)},
}


def published(i: int) -> datetime:
    return DAY0 + timedelta(days=i)


def build() -> dict[int, Article]:
    """Insert the corpus; {number: article}."""
    sections = {
        s: Section.objects.get_or_create(slug=s, defaults={"name": s.title()})[0] for s in ("news", "business", "sport")
    }
    authors = {
        slug: Author.objects.get_or_create(slug=slug, defaults={"name": slug.replace("-", " ").title()})[0]
        for slug in ("asha-rao", "vikram-sen")
    }
    agency, _ = Agency.objects.get_or_create(code="PNS", defaults={"name": "Press News Service"})
    rows = []
    for i, spec in SPECS.items():
        paragraphs = [_line((), PARA), _line((), PARA), _line(spec.body, PARA)]
        rows.append(
            Article(
                headline=_line(spec.head, HEAD),
                slug=f"corpus-{i}",
                standfirst=_line(spec.stand, STAND),
                body="".join(f"<p>{p}.</p>" for p in paragraphs),
                lead=f"<p>{paragraphs[0]}.</p>",
                section=sections[spec.section],
                agency=agency if spec.agency else None,
                access=spec.access,
                status=Article.Status.PUBLISHED,
                published_at=published(i),
            )
        )
    created = Article.objects.bulk_create(rows)
    by_number = dict(zip(SPECS, created, strict=True))
    through = Article.authors.through
    through.objects.bulk_create(
        [
            through(article_id=by_number[i].pk, author_id=authors[spec.author].pk)
            for i, spec in SPECS.items()
            if not spec.agency
        ]
    )
    return by_number
