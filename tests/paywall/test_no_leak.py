"""No locked paragraph reaches a reader who is not entitled, by any channel.

Every paragraph of a story carries a unique token. For each blocked view the
test searches the whole response (HTML, JSON-LD, meta and Open Graph tags) and
the public documents (RSS, sitemaps) for the tokens past the first paragraph.
"""

from __future__ import annotations

import html

import pytest
from django.test import Client

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


def assert_no_locked_text(body: str, story: f.Story) -> None:
    leaked = [tok for tok in story.locked_tokens if tok in body]
    assert not leaked, f"locked paragraphs leaked: {leaked}"


@pytest.fixture
def world() -> dict[str, f.Story]:
    f.publication(anonymous_free_limit=2, registered_free_limit=2)
    f.demo_plans()
    return {
        "premium": f.story(access=Article.Access.PREMIUM),
        "metered": [f.story() for _ in range(4)],  # type: ignore[dict-item]
        "free": f.story(access=Article.Access.FREE),
    }


def test_premium_story_to_anonymous_reader_carries_only_the_lead(client: Client, world: dict) -> None:
    story = world["premium"]
    response = client.get(story.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "This is a premium story" in body
    assert story.tokens[0] in body  # the first paragraph is the teaser
    assert_no_locked_text(body, story)


def test_metered_story_past_the_limit_leaks_nothing(client: Client, world: dict) -> None:
    stories = world["metered"]
    for s in stories[:2]:
        assert s.tokens[-1] in client.get(s.url).content.decode()  # opened within the limit
    for s in stories[2:]:
        body = client.get(s.url).content.decode()
        assert "You've reached your limit of 2 free articles this month." in html.unescape(body)
        assert_no_locked_text(body, s)


def test_registered_reader_without_plan_gets_no_premium_text(client: Client, world: dict) -> None:
    client.force_login(f.reader())
    story = world["premium"]
    body = client.get(story.url).content.decode()
    assert_no_locked_text(body, story)


def test_forged_googlebot_user_agent_gets_no_locked_text(client: Client, world: dict, fake_dns: type) -> None:
    story = world["premium"]
    # The address does not reverse-resolve to Google: the user agent alone counts for nothing.
    ua = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
    body = client.get(story.url, HTTP_USER_AGENT=ua, REMOTE_ADDR="203.0.113.9").content.decode()
    assert_no_locked_text(body, story)


def test_feed_and_sitemaps_carry_teasers_only(client: Client, world: dict) -> None:
    locked = [world["premium"], *world["metered"]]
    for path in ("/feed/", "/sitemap.xml", "/news-sitemap.xml"):
        body = client.get(path).content.decode()
        for s in locked:
            assert_no_locked_text(body, s)
    # The free story goes out whole in the feed.
    feed = client.get("/feed/").content.decode()
    assert world["free"].tokens[-1] in feed


def test_subscriber_reads_the_premium_story_in_full(client: Client, world: dict) -> None:
    client.force_login(f.subscriber())
    story = world["premium"]
    body = client.get(story.url).content.decode()
    assert all(tok in body for tok in story.tokens)
    assert "This is a premium story" not in body
