"""Property tests of the pure paywall decision (no database)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.paywall import access
from broadsheet.paywall.access import Access, ArticleFacts, Decision, MeterResult, Outcome, ReaderFacts, Reason

BENEFITS = st.frozensets(st.sampled_from(["premium", "epaper", "archive", "ad_free"]))

articles = st.builds(
    ArticleFacts,
    access=st.sampled_from(list(Access)),
    benefit=st.sampled_from([None, "premium", "market_analysis"]),
    meter_exempt=st.booleans(),
).filter(lambda a: (a.access is Access.FREE) == (a.benefit is None) or a.access is not Access.FREE)
readers = st.builds(
    ReaderFacts,
    is_staff=st.booleans(),
    is_registered=st.booleans(),
    benefits=BENEFITS,
    verified_crawler=st.booleans(),
)


def final(
    article: ArticleFacts, reader: ReaderFacts, counted: set[str], key: str, limit: int, regwall: bool
) -> Decision:
    d = access.decide(article=article, reader=reader)
    if d.outcome is Outcome.METER:
        d = access.settle(
            d, reader=reader, meter=access.consume(limit=limit, counted=counted, article_key=key), regwall=regwall
        )
    return d


@given(
    reader=readers,
    limit=st.integers(0, 10),
    counted=st.sets(st.text(min_size=1, max_size=3), max_size=12),
    regwall=st.booleans(),
    exempt=st.booleans(),
)
def test_premium_never_opens_without_the_benefit(
    reader: ReaderFacts, limit: int, counted: set[str], regwall: bool, exempt: bool
) -> None:
    article = ArticleFacts(access=Access.PREMIUM, benefit="premium", meter_exempt=exempt)
    d = final(article, reader, counted, "new-article", limit, regwall)
    if d.is_open:
        assert "premium" in reader.benefits or reader.is_staff or reader.verified_crawler
    if not (reader.is_staff or reader.verified_crawler or "premium" in reader.benefits):
        assert d.outcome is Outcome.PAYWALL and d.reason is Reason.PREMIUM


@given(
    reader=readers.filter(lambda r: not r.is_staff and not r.verified_crawler and "premium" not in r.benefits),
    limit=st.integers(0, 8),
    views=st.lists(st.integers(0, 30), max_size=60),
    regwall=st.booleans(),
)
def test_counted_articles_never_exceed_the_limit(
    reader: ReaderFacts, limit: int, views: list[int], regwall: bool
) -> None:
    counted: set[str] = set()
    article = ArticleFacts(access=Access.METERED, benefit="premium")
    opened = set()
    for v in views:
        key = str(v)
        d = access.decide(article=article, reader=reader)
        assert d.outcome is Outcome.METER
        result = access.consume(limit=limit, counted=counted, article_key=key)
        d = access.settle(d, reader=reader, meter=result, regwall=regwall)
        if d.count_this_view:
            counted.add(key)
        if d.is_open:
            opened.add(key)
        assert len(counted) <= limit
        assert d.used is not None and d.used <= limit
    assert opened == counted


@given(
    reader=readers,
    limit=st.integers(1, 8),
    others=st.sets(st.text(min_size=1, max_size=3), max_size=8),
    regwall=st.booleans(),
)
def test_re_reading_never_blocks(reader: ReaderFacts, limit: int, others: set[str], regwall: bool) -> None:
    article = ArticleFacts(access=Access.METERED, benefit="premium")
    counted = set(list(others)[: limit - 1])
    first = final(article, reader, counted, "story", limit, regwall)
    assert first.is_open
    counted.add("story")
    # However many other articles were counted since, up to the limit, the same story reopens.
    again = final(article, reader, counted, "story", limit, regwall)
    assert again.is_open
    assert not again.count_this_view


@given(article=articles, reader=readers)
def test_decide_is_total_and_never_counts_an_open_or_blocked_view(article: ArticleFacts, reader: ReaderFacts) -> None:
    d = access.decide(article=article, reader=reader)
    assert d.outcome in set(Outcome)
    assert d.count_this_view == (d.outcome is Outcome.METER)


def test_rule_order_matches_the_product_brief() -> None:
    anon = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
    staff = ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())
    sub = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset({"premium"}))
    bot = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset(), verified_crawler=True)
    premium = ArticleFacts(access=Access.PREMIUM, benefit="premium")
    metered = ArticleFacts(access=Access.METERED, benefit="premium")
    free = ArticleFacts(access=Access.FREE, benefit=None)
    assert access.decide(article=premium, reader=staff).reason is Reason.STAFF
    assert access.decide(article=free, reader=anon).reason is Reason.FREE
    assert access.decide(article=premium, reader=sub).reason is Reason.ENTITLED
    assert access.decide(article=metered, reader=sub).reason is Reason.ENTITLED  # subscribers are never metered
    assert access.decide(article=premium, reader=bot).reason is Reason.CRAWLER
    assert access.decide(article=premium, reader=anon).outcome is Outcome.PAYWALL
    assert access.decide(article=metered, reader=anon).outcome is Outcome.METER
    exempt = ArticleFacts(access=Access.METERED, benefit="premium", meter_exempt=True)
    assert access.decide(article=exempt, reader=anon).reason is Reason.EXEMPT


def test_past_the_limit_anonymous_meets_the_regwall_only_when_it_is_on() -> None:
    anon = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
    registered = ReaderFacts(is_staff=False, is_registered=True, benefits=frozenset())
    full = MeterResult(limit=2, used=2, already_counted=False, granted=False)
    pending = Decision(Outcome.METER, Reason.NEEDS_METER, count_this_view=True)
    assert access.settle(pending, reader=anon, meter=full, regwall=True).outcome is Outcome.REGWALL
    assert access.settle(pending, reader=anon, meter=full, regwall=False).outcome is Outcome.PAYWALL
    assert access.settle(pending, reader=registered, meter=full, regwall=True).outcome is Outcome.PAYWALL


@given(
    limit=st.integers(1, 6),
    multiple=st.integers(1, 4),
    readers_views=st.lists(st.lists(st.integers(0, 20), max_size=12), min_size=1, max_size=8),
)
def test_a_network_never_opens_more_than_its_ceiling_and_each_reader_no_more_than_the_limit(
    limit: int, multiple: int, readers_views: list[list[int]]
) -> None:
    """Many anonymous readers (or one clearing cookies) behind one network: the coarse key is a ceiling."""
    ceiling = access.network_ceiling(free_limit=limit, multiple=multiple)
    network_used = 0
    for views in readers_views:
        counted: set[str] = set()
        for v in views:
            result = access.consume(
                limit=limit, counted=counted, article_key=str(v), network_used=network_used, network_limit=ceiling
            )
            if result.granted and not result.already_counted:
                counted.add(str(v))
                network_used += 1
            assert len(counted) <= limit
            assert network_used <= ceiling
            assert not (result.network_full and result.granted)


def test_a_newcomer_on_a_busy_network_is_asked_to_register_not_shown_someone_elses_limit() -> None:
    anonymous = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
    article = ArticleFacts(access=Access.METERED, benefit="premium")
    full = access.consume(limit=5, counted=set(), article_key="a", network_used=50, network_limit=50)
    assert full.network_full and not full.granted
    d = access.settle(access.decide(article=article, reader=anonymous), reader=anonymous, meter=full, regwall=False)
    assert (d.outcome, d.reason) == (Outcome.REGWALL, Reason.NETWORK_LIMIT)
    # Re-reading what the reader already opened never meets the ceiling.
    again = access.consume(limit=5, counted={"a"}, article_key="a", network_used=50, network_limit=50)
    assert again.granted and again.already_counted
