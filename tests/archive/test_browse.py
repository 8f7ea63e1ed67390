"""Browsing the archive by date: counts by the publication's own days, lists without text, friendly ends."""

from __future__ import annotations

import html
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")


def at(day: int, hour: int, minute: int = 0, *, month: int = 8, year: int = 1997) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=IST)


@pytest.fixture
def stories() -> dict[str, f.Story]:
    f.publication()
    f.demo_plans()
    return {
        "late": f.story(published_at=at(14, 23, 30), headline="Late edition story"),  # 18:00 UTC on the 14th
        "after-midnight": f.story(published_at=at(15, 0, 30), headline="Just after midnight"),  # 19:00 UTC, 14th
        "morning": f.story(published_at=at(14, 7, 30), headline="Morning story", access=Article.Access.PREMIUM),
        "september": f.story(published_at=at(2, 9, month=9), headline="September story"),
        "next-year": f.story(published_at=at(3, 9, month=1, year=1998), headline="Next year story"),
        "draft": f.story(published_at=at(14, 10), status=Article.Status.DRAFT, headline="A draft never shown"),
        "withdrawn": f.story(published_at=at(14, 11), status=Article.Status.WITHDRAWN, headline="Withdrawn one"),
    }


def text(client: Client, path: str, status: int = 200) -> str:
    response = client.get(path)
    assert response.status_code == status, (path, response.status_code)
    return html.unescape(response.content.decode())


def test_years_months_and_days_count_the_live_stories_of_the_publications_days(
    client: Client, stories: dict[str, f.Story]
) -> None:
    index = text(client, "/archive/")
    assert "Every story we have published since 1997: 5 stories." in index
    assert re.search(r'href="/archive/1997/".*?4 stories', index, re.S)
    assert re.search(r'href="/archive/1998/".*?1 story<', index, re.S)
    year = text(client, "/archive/1997/")
    assert 'August</a> <span class="archive-count">3 stories' in year
    assert 'September</a> <span class="archive-count">1 story' in year
    assert 'July <span class="archive-count">no stories' in year
    assert 'aria-label="14 August 1997: 2 stories"' in year
    assert 'aria-label="15 August 1997: 1 story"' in year
    month = text(client, "/archive/1997/08/")
    assert "3 stories on 2 days." in month
    assert 'href="/archive/1997/08/14/"' in month and 'href="/archive/1997/08/15/"' in month
    assert 'href="/archive/1997/08/13/"' not in month


def test_a_day_lists_its_stories_in_order_with_no_body_text(client: Client, stories: dict[str, f.Story]) -> None:
    day = text(client, "/archive/1997/08/14/")
    assert "Thursday, 14 August 1997" in day and "2 stories published this day." in day
    assert day.index("Morning story") < day.index("Late edition story")
    assert "Just after midnight" not in day and "A draft never shown" not in day and "Withdrawn one" not in day
    for story in stories.values():
        assert not [tok for tok in story.tokens if tok in day]  # a list never carries story text
    assert '<span class="badge badge-archive">Archive</span>' in day
    assert 'href="/archive/1997/08/15/"' in day  # the next day with stories


def test_a_day_without_stories_points_to_the_nearest_days(client: Client, stories: dict[str, f.Story]) -> None:
    day = text(client, "/archive/1997/08/20/", status=404)
    assert "We published no stories this day." in day
    assert 'href="/archive/1997/08/15/"' in day and 'href="/archive/1997/09/02/"' in day


@pytest.mark.parametrize(
    "path", ["/archive/1997/13/", "/archive/1997/02/30/", "/archive/1996/", "/archive/1997/07/", "/archive/2999/"]
)
def test_impossible_and_empty_dates_are_not_found(client: Client, stories: dict[str, f.Story], path: str) -> None:
    assert client.get(path).status_code == 404


def test_every_story_dateline_links_its_day_and_every_page_links_the_archive(
    client: Client, stories: dict[str, f.Story]
) -> None:
    page = text(client, stories["after-midnight"].url)
    assert 'class="dateline-day" href="/archive/1997/08/15/"' in page  # the publication's day, not UTC's
    home = text(client, "/")
    assert 'href="/archive/"' in home.split('<nav class="sections"')[1].split("</nav>")[0]
    assert 'href="/archive/"' in home.split('<footer class="site-footer"')[1]


def test_a_new_story_shows_in_the_counts_at_once(client: Client, stories: dict[str, f.Story]) -> None:
    assert "3 stories on 2 days." in text(client, "/archive/1997/08/")
    f.story(published_at=at(20, 9))
    assert "4 stories on 3 days." in text(client, "/archive/1997/08/")


def test_recent_stories_carry_no_archive_badge(client: Client) -> None:
    f.publication()
    story = f.story(published_at=timezone.now() - timedelta(days=2))
    local = timezone.localtime(story.article.published_at, IST)
    day = text(client, f"/archive/{local:%Y/%m/%d}/")
    assert story.article.headline in day and "badge-archive" not in day
