"""Every fixture ends in its documented state, and the tests count every item's outcome."""

from __future__ import annotations

import html
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

import pytest
import time_machine
from django.test import Client

from broadsheet.newsroom.models import Article
from broadsheet.wire.models import WireFile, WireItem, WireStory
from tests.wire.conftest import Desk, outcomes

pytestmark = pytest.mark.django_db

# fixture -> the outcome of each of its items, in order (documented in tests/fixtures/wire/README.md)
EXPECTED: dict[str, list[str]] = {
    "ninjs1/pns-markets-v1.json": ["published"],
    "ninjs1/pns-markets-v2.json": ["updated"],
    "ninjs1/pns-markets-kill.json": ["killed"],
    "ninjs1/pns-embargo.json": ["published"],  # scheduled for its embargo time
    "ninjs2/pns-batch.json": ["published", "duplicate", "duplicate", "updated", "quarantined"],
    "newsml/pns-message.xml": ["published", "updated", "duplicate", "published", "quarantined"],
    "newsml/pns-court-kill.xml": ["killed"],
    "rss/pns-feed.xml": ["published", "duplicate", "published", "quarantined"],
    "rss/pns-feed-later.xml": ["updated", "killed"],
    "atom/pns-feed.xml": ["published", "updated", "published", "killed"],
    "hostile/bomb.xml": ["quarantined"],
    "hostile/xxe.xml": ["quarantined"],
    "hostile/script.json": ["published"],
    "hostile/truncated.json": ["quarantined"],
    "hostile/invalid-utf8.json": ["quarantined"],
    "hostile/invalid-utf8.xml": ["quarantined"],
    "hostile/mixed-lines.jsonl": ["published", "quarantined", "published", "quarantined"],
}


def page(client: Client, article: Article) -> str:
    return html.unescape(client.get(article.get_absolute_url()).content.decode())


def article_of(guid: str) -> Article:
    story = WireStory.objects.select_related("article__section").get(guid=guid)
    assert story.article is not None
    return story.article


@pytest.mark.parametrize("name", list(EXPECTED))
def test_each_fixture_ends_in_its_documented_state(desk: Desk, name: str) -> None:
    prerequisites = {
        "ninjs1/pns-markets-v2.json": ["ninjs1/pns-markets-v1.json"],
        "ninjs1/pns-markets-kill.json": ["ninjs1/pns-markets-v1.json", "ninjs1/pns-markets-v2.json"],
        "newsml/pns-court-kill.xml": ["newsml/pns-message.xml"],
        "rss/pns-feed-later.xml": ["rss/pns-feed.xml"],
    }.get(name, [])
    desk.drop(*prerequisites)
    desk.ingest()
    before = set(WireItem.objects.values_list("pk", flat=True))
    desk.drop(name)
    tally = desk.ingest()
    items = WireItem.objects.exclude(pk__in=before).order_by("position")
    assert [i.state for i in items] == EXPECTED[name]
    assert tally.items == Counter(EXPECTED[name])
    for item in items.filter(state="quarantined"):
        assert item.reason and (item.raw or item.raw_path), "a quarantined item keeps its reason and original bytes"


def test_the_whole_set_in_one_pass_accounts_for_every_item(desk: Desk) -> None:
    desk.drop(*EXPECTED)
    tally = desk.ingest()
    expected = Counter(state for states in EXPECTED.values() for state in states)
    assert outcomes() == expected
    assert tally.items == expected
    assert sum(tally.items.values()) == sum(len(v) for v in EXPECTED.values())
    assert WireFile.objects.filter(state="processing").count() == 0


def test_a_published_story_carries_sign_off_and_disclaimer_once_and_rules_place_it(desk: Desk, client: Client) -> None:
    desk.drop("ninjs1/pns-markets-v1.json")
    desk.ingest()
    article = article_of("urn:pns:2026:markets-001")
    assert article.section.slug == "business" and article.agency is not None and article.agency.code == "PNS"
    assert list(article.tags.values_list("slug", flat=True)) == ["commodities"]
    body = page(client, article)
    assert body.count("--PNS") == 1
    assert "No Test Gazette journalist was involved in creation of this content" in body
    assert "MUMBAI: Copper futures rose" in body  # the dateline opens the story


def test_a_newer_version_updates_the_story_and_the_page_says_updated(desk: Desk, client: Client) -> None:
    desk.drop("ninjs1/pns-markets-v1.json")
    desk.ingest()
    article = article_of("urn:pns:2026:markets-001")
    url = article.get_absolute_url()
    assert "Updated" not in page(client, article)
    desk.drop("ninjs1/pns-markets-v2.json")
    desk.ingest()
    article.refresh_from_db()
    body = page(client, article)
    assert article.get_absolute_url() == url and "corrected-copy-token" in body and "Updated" in body
    assert WireStory.objects.get(guid="urn:pns:2026:markets-001").version == 2
    assert Article.objects.count() == 1


def test_an_older_version_arriving_late_changes_nothing(desk: Desk) -> None:
    desk.drop("newsml/pns-message.xml")
    desk.ingest()
    article = article_of("urn:newsml:pns.example:2026:court-020")
    assert "court-token-two" in article.body and "older version" not in article.body
    late = WireItem.objects.get(position=2)
    assert late.state == "duplicate" and "older than version 2" in late.reason


def test_the_embargo_holds_until_its_time(desk: Desk, client: Client) -> None:
    desk.drop("ninjs1/pns-embargo.json", "newsml/pns-message.xml")
    desk.ingest()
    budget = article_of("urn:pns:2026:budget-embargo")
    chess = article_of("urn:newsml:pns.example:2026:chess-021")
    for story in (budget, chess):
        assert story.status == Article.Status.SCHEDULED
        assert story.published_at == datetime(2099, 2, 1, 5, 30, tzinfo=UTC)
        assert client.get(story.get_absolute_url()).status_code == 404
    assert "embargo-token-budget" not in client.get("/feed/").content.decode()
    with time_machine.travel(datetime(2099, 2, 1, 5, 31, tzinfo=UTC)):
        assert "embargo-token-budget" in page(client, budget)
        assert "chess-token-embargo" in page(client, chess)


def test_the_same_file_twice_changes_nothing(desk: Desk) -> None:
    desk.drop("newsml/pns-message.xml", "ninjs2/pns-batch.json")
    desk.ingest()
    before = (
        list(Article.objects.order_by("pk").values()),
        list(WireItem.objects.order_by("pk").values_list("pk", "state", "reason")),
        list(WireStory.objects.order_by("pk").values()),
    )
    desk.drop("newsml/pns-message.xml", as_name="resent-under-another-name.xml")
    desk.drop("ninjs2/pns-batch.json")  # the same name again, newer mtime
    tally = desk.ingest()
    after = (
        list(Article.objects.order_by("pk").values()),
        list(WireItem.objects.order_by("pk").values_list("pk", "state", "reason")),
        list(WireStory.objects.order_by("pk").values()),
    )
    assert after == before
    assert tally.files == Counter({"already ingested": 2}) and not tally.items


def test_a_50_megabyte_file_is_quarantined_unread_and_the_rest_goes_on(desk: Desk, tmp_path: object) -> None:
    big = desk.inbox / "huge.xml"
    with big.open("wb") as fh:
        fh.write(b"<rss>" + b" " * (50 * 1024 * 1024) + b"</rss>")
    desk.drop("ninjs1/pns-markets-v1.json")
    tally = desk.ingest()
    assert tally.items == Counter({"quarantined": 1, "published": 1})
    item = WireItem.objects.get(state="quarantined")
    assert "over the limit" in item.reason and item.raw is None
    kept = item.raw_path
    assert kept and Path(kept).read_bytes()[:5] == b"<rss>"
    assert desk.ingest().items == Counter()  # not read again on the next pass


def test_a_source_folder_that_is_missing_is_an_error_not_a_loss(desk: Desk) -> None:
    desk.source.location = str(desk.inbox / "gone")
    desk.source.save()
    tally = desk.ingest()
    assert tally.errors and "does not exist" in tally.errors[0]
    desk.source.refresh_from_db()
    assert "does not exist" in desk.source.last_result and desk.source.locked_until is None
