"""Kept story pages: rendered once for every reader who would get the same page, and for no one else.

Each test reads a page first as one kind of reader, so that it is kept, then as another:
the second must see exactly what it would have seen had nothing been kept.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.test.signals import template_rendered

from broadsheet.ads.models import AdSlot
from broadsheet.core.kept_pages import CSRF_MARK, NONCE_MARK, kept, reader_mark
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.ads.test_ad_slots import SNIPPETS, ad_free_reader
from tests.newsletters.builders import member, newsletter

pytestmark = pytest.mark.django_db
TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@contextmanager
def story_renders() -> Iterator[list[str]]:
    """The names of the story templates rendered meanwhile."""
    seen: list[str] = []

    def record(sender: object, template: object, **kwargs: object) -> None:
        name = getattr(template, "name", "")
        if name == "newsroom/article.html":
            seen.append(name)

    template_rendered.connect(record)
    try:
        yield seen
    finally:
        template_rendered.disconnect(record)


def body_of(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    text = response.content.decode()
    assert CSRF_MARK not in text and NONCE_MARK not in text and reader_mark("countdown") not in text
    return text


@pytest.fixture
def paper() -> None:
    f.publication(anonymous_free_limit=5, registered_free_limit=5)
    f.demo_plans()


def test_readers_who_get_the_same_page_share_one_render_each_with_a_token_of_their_own(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(f.subscriber())
    second.force_login(f.subscriber())
    with story_renders() as renders:
        pages = [body_of(first, story.url), body_of(second, story.url)]
    assert len(renders) == 1  # the second subscriber's page came from the first one's render
    assert all(story.tokens[-1] in page for page in pages)
    tokens = [TOKEN.search(page).group(1) for page in pages]  # type: ignore[union-attr]
    assert tokens[0] != tokens[1]
    # Each reader's token is good for that reader's own form (the log-out button on the page).
    assert second.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 302
    assert first.post("/accounts/logout/", {"csrfmiddlewaretoken": tokens[1]}).status_code == 403


def test_a_kept_open_page_never_reaches_a_reader_it_is_not_open_to(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    reader = Client()
    reader.force_login(f.subscriber())
    assert story.tokens[-1] in body_of(reader, story.url)
    registered = Client()
    registered.force_login(f.reader())
    for client in (Client(), registered):
        page = body_of(client, story.url)
        assert "This is a premium story" in page
        assert story.tokens[0] in page
        assert not [t for t in story.locked_tokens if t in page]


def test_a_kept_teaser_never_stands_in_for_a_subscribers_story(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    assert story.tokens[-1] not in body_of(Client(), story.url)
    reader = Client()
    reader.force_login(f.subscriber())
    page = body_of(reader, story.url)
    assert all(t in page for t in story.tokens)
    assert "This is a premium story" not in page


def test_a_signed_in_reader_never_gets_a_visitors_masthead(paper: None) -> None:
    story = f.story(access=Article.Access.FREE)
    assert "Log in" in body_of(Client(), story.url)
    reader = Client()
    reader.force_login(f.reader())
    page = body_of(reader, story.url)
    assert "Your account" in page and "Log out" in page and "Log in" not in page
    assert "Log in" in body_of(Client(), story.url)


def test_each_reader_reads_their_own_countdown_on_one_shared_render(paper: None) -> None:
    stories = [f.story() for _ in range(3)]
    ahead, behind = Client(), Client()
    for s in stories:
        body_of(ahead, s.url)
    with story_renders() as renders:
        page = html.unescape(body_of(behind, stories[2].url))
        assert "4 of 5 free articles left this month" in page
        assert "2 of 5" not in page and "3 of 5" not in page
    assert renders == []  # the page ahead was given, with behind's own countdown in it
    page = html.unescape(body_of(ahead, stories[2].url))  # a re-read: still counted once
    assert "2 of 5 free articles left this month" in page
    assert "4 of 5" not in page


def test_a_subscribers_page_carries_no_countdown_from_a_metered_readers_page(paper: None) -> None:
    story = f.story()
    assert "4 of 5 free articles left" in html.unescape(body_of(Client(), story.url))
    subscriber = Client()
    subscriber.force_login(f.subscriber())
    page = html.unescape(body_of(subscriber, story.url))
    assert story.tokens[-1] in page and "free articles left" not in page and 'class="countdown"' not in page


def test_an_edit_reaches_the_next_reader(paper: None) -> None:
    story = f.story(access=Article.Access.FREE)
    assert "Story number" in body_of(Client(), story.url)
    article = Article.objects.get(pk=story.article.pk)
    article.headline = "A corrected headline"
    article.body = "<p>The corrected text zq8841.</p>"
    article.save()
    page = body_of(Client(), story.url)
    assert "A corrected headline" in page and "zq8841" in page


def test_an_ad_free_reader_never_gets_the_page_with_ads_nor_the_other_way_round(paper: None) -> None:
    for place, snippet in SNIPPETS.items():
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})
    story = f.story(access=Article.Access.FREE)
    registered, ad_free, again = Client(), Client(), Client()
    registered.force_login(f.reader())
    ad_free.force_login(ad_free_reader())
    again.force_login(f.reader())
    assert "hdr-ad-7731" in body_of(registered, story.url)  # signed in too: only the ads tell them apart
    assert "hdr-ad-7731" not in body_of(ad_free, story.url)
    assert "hdr-ad-7731" in body_of(again, story.url)


def test_the_masthead_turns_the_day_on_a_kept_page(paper: None) -> None:
    story = f.story(access=Article.Access.FREE, published_at=datetime(2026, 12, 30, 9, 0, tzinfo=UTC))
    with time_machine.travel(datetime(2026, 12, 31, 18, 29, tzinfo=UTC), tick=False):  # 23:59 in Kolkata
        assert '<time datetime="2026-12-31">' in body_of(Client(), story.url)
    with time_machine.travel(datetime(2026, 12, 31, 18, 31, tzinfo=UTC), tick=False):  # 00:01 on 1 January
        page = body_of(Client(), story.url)
        assert '<time datetime="2027-01-01">' in page and "&copy; 2027 " in page


def test_every_response_carries_a_fresh_nonce_matching_its_own_policy(paper: None) -> None:
    AdSlot.objects.update_or_create(
        place="header",
        defaults={"snippet": '<script src="https://ads.adnet-header.test/tag.js"></script>', "active": True},
    )
    story = f.story(access=Article.Access.FREE)
    nonces = []
    for _ in range(2):
        response = Client().get(story.url)
        nonce = re.search(r'<script nonce="([^"]+)"', response.content.decode()).group(1)  # type: ignore[union-attr]
        assert f"'nonce-{nonce}'" in response["Content-Security-Policy"]
        nonces.append(nonce)
    assert nonces[0] != nonces[1]


def test_the_sign_up_box_offers_each_reader_what_they_have_not_joined(paper: None) -> None:
    joined, other = newsletter("registered", name="Alpha Brief"), newsletter("registered", name="Beta Wrap")
    story = f.story(access=Article.Access.FREE)
    fresh = Client()
    fresh.force_login(f.reader())
    assert "Alpha Brief" in body_of(fresh, story.url)
    member_user = f.reader()
    member(joined, user=member_user)
    reader = Client()
    reader.force_login(member_user)
    page = body_of(reader, story.url)
    assert "Beta Wrap" in page and "Alpha Brief" not in page
    assert other.pk != joined.pk


def test_a_page_with_a_query_string_is_rendered_afresh_and_not_kept(paper: None) -> None:
    story = f.story(access=Article.Access.FREE)
    kept.clear()
    with story_renders() as renders:
        body_of(Client(), story.url + "?utm_source=mail")
        body_of(Client(), story.url + "?utm_source=mail")
    assert len(renders) == 2
    assert len(kept) == 0


def test_kept_pages_can_be_switched_off(paper: None, settings: object) -> None:
    settings.BROADSHEET_KEPT_PAGES = 0  # type: ignore[attr-defined]
    story = f.story(access=Article.Access.FREE)
    with story_renders() as renders:
        body_of(Client(), story.url)
        body_of(Client(), story.url)
    assert len(renders) == 2
