"""The front page in tiers with no story twice, section fronts with a lead and pages, the current section marked."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom.models import Article
from broadsheet.newsroom.selectors import PAGE_SIZE
from tests import factories as f

pytestmark = pytest.mark.django_db


def _story_links(html: str) -> list[str]:
    return re.findall(r'<a href="(/[\w-]+/story-\d+/)"', html)


def test_the_newest_top_story_leads_and_no_story_appears_twice(client: Client) -> None:
    f.publication()
    now = timezone.now()
    markets, india = f.section("markets"), f.section("india")
    stories = [f.story(sec=markets if n % 2 else india, published_at=now - timedelta(hours=n + 1)) for n in range(24)]
    for s in stories[3:6]:
        s.article.is_top_story = True
        s.article.save()
    premium = f.story(access=Article.Access.PREMIUM, sec=markets, published_at=now - timedelta(minutes=30))
    html = client.get("/").content.decode()
    lead = html[html.index('class="front-lead"') : html.index('class="front-latest"')]
    assert stories[3].url in lead  # the newest of the editor's top stories, not simply the newest story
    assert stories[0].url not in lead
    links = _story_links(html)
    assert len(links) == len(set(links)), "a story shown twice on one page"
    assert premium.url in links
    latest = html[html.index('class="front-latest"') : html.index("</ol>")]
    tier = _story_links(html[html.index('class="front-tier"') : html.index('<section class="section-block"')])
    assert tier[:2] == [stories[4].url, stories[5].url]  # the other top stories, then the newest to fill
    newest_left = [s.url for s in [premium, *stories] if s.url not in {stories[3].url, *tier}]
    assert _story_links(latest) == newest_left[:8]  # Latest: the newest of what is not already above it
    assert '<p class="card-standfirst">' not in latest  # a compact list


def test_the_front_page_has_a_date_line_in_the_publication_time_zone(client: Client) -> None:
    f.publication()
    html = client.get("/").content.decode()
    today = timezone.localdate(timezone.now(), timezone=timezone.get_fixed_timezone(330))
    assert f'<p class="dateline"><time datetime="{today:%Y-%m-%d}">{today:%A, %-d %B %Y}</time>' in html


def test_the_date_line_turns_at_local_midnight_and_follows_the_time_zone(client: Client) -> None:
    """The date line is formatted once a day per time zone: it must still change when the day does."""
    pub = f.publication()
    with time_machine.travel(datetime(2026, 12, 31, 18, 29, tzinfo=UTC), tick=False):  # 23:59 in Kolkata
        html = client.get("/").content.decode()
        assert '<time datetime="2026-12-31">Thursday, 31 December 2026</time>' in html and "&copy; 2026 " in html
    with time_machine.travel(datetime(2026, 12, 31, 18, 31, tzinfo=UTC), tick=False):  # 00:01 on 1 January
        html = client.get("/").content.decode()
        assert '<time datetime="2027-01-01">Friday, 1 January 2027</time>' in html and "&copy; 2027 " in html
        assert '<span class="date-short" aria-hidden="true">Fri 1 Jan</span>' in html
        pub.time_zone = "Europe/London"
        pub.save()
        html = client.get("/").content.decode()
        assert '<time datetime="2026-12-31">Thursday, 31 December 2026</time>' in html and "&copy; 2026 " in html


def test_section_fronts_have_a_lead_and_pages(client: Client) -> None:
    f.publication()
    sec = f.section("markets")
    now = timezone.now()
    stories = [f.story(sec=sec, published_at=now - timedelta(hours=n + 1)) for n in range(PAGE_SIZE + 3)]
    first = client.get("/markets/").content.decode()
    assert stories[0].url in first[first.index('class="front-lead section-lead"') : first.index("</section>")]
    assert 'href="?page=2"' in first
    second = client.get("/markets/?page=2").content.decode()
    assert stories[PAGE_SIZE].url in second and "section-lead" not in second
    assert "Page 2 of 2" in second


def test_the_navigation_marks_the_current_section(client: Client) -> None:
    f.publication()
    markets = f.section("markets")
    f.section("india")
    story = f.story(sec=markets)
    for path in ("/markets/", story.url):
        nav = client.get(path).content.decode()
        nav = nav[nav.index('aria-label="Sections"') :]
        nav = nav[: nav.index("</nav>")]
        assert '<a href="/markets/" aria-current="page">' in nav
        assert '<a href="/india/">' in nav
    assert (
        'aria-current="page"'
        not in client.get("/").content.decode().split('aria-label="Sections"')[1].split("</nav>")[0]
    )
