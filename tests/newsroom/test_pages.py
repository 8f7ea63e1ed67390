"""Every page type renders, carries the right metadata, and leaks no template marker."""

from __future__ import annotations

import json
import re
from datetime import timedelta
from typing import Any
from xml.etree import ElementTree as ET

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Agency, Article, Section
from tests import factories as f

pytestmark = pytest.mark.django_db
MARKERS = ("{{", "{%")


@pytest.fixture
def site() -> dict[str, object]:
    f.publication(name="The Test Gazette")
    f.demo_plans()
    markets = f.section("markets", "Markets")
    return {
        "metered": f.story(sec=markets),
        "premium": f.story(access=Article.Access.PREMIUM, sec=markets),
        "free": f.story(access=Article.Access.FREE),
        "wire": f.story(wire=f.agency("PNS")),
        "old": f.story(published_at=timezone.now() - timedelta(days=9000)),
    }


def page_paths(site: dict) -> list[str]:
    return [
        "/",
        "/markets/",
        "/news/?page=2",
        f"/author/{f.author().slug}/",
        site["metered"].url,
        site["premium"].url,
        site["free"].url,
        site["wire"].url,
        "/subscribe/",
        "/accounts/login/",
        "/accounts/signup/",
        "/accounts/password/reset/",
        "/feed/",
        "/sitemap.xml",
        "/news-sitemap.xml",
        "/healthz",
        "/robots.txt",
    ]


def test_no_template_marker_reaches_any_page(client: Client, site: dict) -> None:
    for path in page_paths(site):
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not any(m in body for m in MARKERS), path
    billing = ["/subscribe/", "/billing/gifts/redeem/", "/billing/groups/join/"]
    for path in billing:  # anonymous: the plans, or the way to sign in first
        response = client.get(path, follow=True)
        assert response.status_code == 200 and not any(m in response.content.decode() for m in MARKERS), path
    client.force_login(f.subscriber())
    plan = f.premium_plan().slug
    billing += [f"/billing/checkout/{plan}/", f"/billing/gifts/buy/{plan}/"]
    for path in [*page_paths(site)[:8], "/account/", *billing]:
        response = client.get(path)
        assert response.status_code == 200, path
        body = response.content.decode()
        assert not any(m in body for m in MARKERS), path


def test_paywall_shows_real_numbers_and_plans(client: Client, site: dict) -> None:
    f.publication(anonymous_free_limit=0)
    body = client.get(site["metered"].url).content.decode().replace("&#x27;", "'")
    assert "You've reached your limit of 0 free articles this month." in body
    for text in (
        "Smart Quarterly",
        "₹900",
        "3 Months",
        "₹300/Month",
        "₹2,700",
        "1 Year",
        "₹225/Month",
        "Super Saver",
        "₹3,900",
        "2 Years",
        "₹162/Month",
        "Renews automatically, cancel anytime",
    ):
        assert text in body, text
    assert f"/accounts/login/?next={site['metered'].url.replace('/', '%2F')}" in body


def test_reader_dependent_pages_are_private_and_vary_by_cookie(client: Client, site: dict) -> None:
    for path in ["/", "/markets/", site["metered"].url, site["premium"].url, "/subscribe/"]:
        response = client.get(path)
        assert "private" in response["Cache-Control"], path
        assert "Cookie" in response["Vary"], path


def test_article_metadata_json_ld_canonical_and_open_graph(client: Client, site: dict) -> None:
    story = site["premium"]
    body = client.get(story.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["@type"] == "NewsArticle"
    assert data["headline"] == story.article.headline
    assert data["isAccessibleForFree"] is False
    assert data["hasPart"]["cssSelector"] == ".article-locked"
    assert f'<link rel="canonical" href="http://testserver{story.url}">' in body or 'rel="canonical"' in body
    assert '<meta property="og:title"' in body and '<meta property="og:description"' in body
    free = json.loads(
        re.search(
            r'<script type="application/ld\+json">(.*?)</script>', client.get(site["free"].url).content.decode(), re.S
        ).group(1)
    )
    assert free["isAccessibleForFree"] is True and "hasPart" not in free


def test_wire_story_carries_sign_off_desk_and_disclaimer(client: Client, site: dict) -> None:
    body = client.get(site["wire"].url).content.decode()
    assert "--PNS" in body
    assert ">ksk<" in body
    assert "No Test Gazette journalist was involved in creation of this content" in body


def test_scheduled_story_goes_live_at_its_time_without_anyone_acting(client: Client, site: dict) -> None:
    later = timezone.now() + timedelta(hours=2)
    story = f.story(status=Article.Status.SCHEDULED, published_at=later, access=Article.Access.FREE)
    assert client.get(story.url).status_code == 404
    assert story.article.headline not in client.get("/").content.decode()
    with time_machine.travel(later + timedelta(minutes=1)):
        assert client.get(story.url).status_code == 200
        assert story.article.headline in client.get("/").content.decode()
        assert story.url in client.get("/feed/").content.decode()


def test_news_sitemap_lists_only_the_last_48_hours(client: Client, site: dict) -> None:
    root = ET.fromstring(client.get("/news-sitemap.xml").content)
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    locs = [u.find("s:loc", ns).text for u in root.findall("s:url", ns)]
    assert any(site["metered"].url in loc for loc in locs)
    assert not any(site["old"].url in loc for loc in locs)
    assert root.find("s:url/n:news/n:publication/n:name", ns).text == "The Test Gazette"


def test_sitemap_and_feed_are_well_formed(client: Client, site: dict) -> None:
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    assert len(sitemap) >= 5
    rss = ET.fromstring(client.get("/feed/").content)
    titles = [i.findtext("title") for i in rss.iter("item")]
    assert site["wire"].article.headline in titles


def test_section_front_paginates(client: Client, site: dict) -> None:
    news = f.section("news")
    for _ in range(25):
        f.story(sec=news)
    first = client.get("/news/").content.decode()
    assert 'rel="next"' in first and "Page 1 of 2" in first
    assert "Page 2 of 2" in client.get("/news/?page=2").content.decode()


def test_pages_have_landmarks_and_one_h1(client: Client, site: dict) -> None:
    for path in ["/", "/markets/", site["metered"].url]:
        body = client.get(path).content.decode()
        assert body.count("<h1") == 1, path
        for landmark in ('role="banner"', "<main", 'role="contentinfo"', "<nav"):
            assert landmark in body, (path, landmark)


def test_unknown_page_is_a_friendly_404(client: Client, site: dict) -> None:
    response = client.get("/markets/no-such-story/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "We could not find that page" in body and not any(m in body for m in MARKERS)


def test_robots_txt_points_at_the_sitemaps(client: Client) -> None:
    body = client.get("/robots.txt").content.decode()
    assert "/news-sitemap.xml" in body and "Disallow: /admin/" in body


def test_healthz(client: Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}


def test_times_are_shown_in_the_publication_time_zone(client: Client, site: dict) -> None:
    from datetime import UTC, datetime

    story = f.story(published_at=datetime(2026, 3, 1, 2, 30, tzinfo=UTC))
    body = client.get(story.url).content.decode()
    assert "1 March 2026, 8:00 AM IST" in body


def test_stylesheet_is_served(client: Client) -> None:
    from django.contrib.staticfiles import finders

    assert finders.find("css/site.css")


def test_a_story_read_by_its_url_is_kept_once_for_the_api_too(django_assert_num_queries: Any) -> None:
    f.publication()
    story = f.story()
    section = story.article.section.slug
    kept = selectors.article_at_url(section_slug=section, slug=story.article.slug)
    assert kept is not None and kept.pk == story.article.pk
    with django_assert_num_queries(0):
        assert selectors.article_by_id(story.article.pk) is kept
        assert selectors.article_at_url(section_slug=section, slug=story.article.slug) is kept
    assert selectors.article_at_url(section_slug="elsewhere", slug=story.article.slug) is None


def test_a_kept_story_comes_with_its_section_agency_and_authors(django_assert_num_queries: Any) -> None:
    f.publication()
    markets = f.section("markets", "Markets")
    staff = f.story(sec=markets)
    wire = f.story(wire=f.agency("PNS"))
    with django_assert_num_queries(4):  # the desks (sections, agencies: once), the story's row, its authors
        selectors.article_at_url(section_slug="news", slug=wire.article.slug)
    with django_assert_num_queries(2):  # the next story: its row and its authors
        kept = selectors.article_at_url(section_slug="markets", slug=staff.article.slug)
    with django_assert_num_queries(0):
        assert kept is not None and kept.section.name == "Markets" and kept.agency is None
        assert [a.name for a in kept.authors.all()] == ["Asha Rao"]
        story = selectors.article_by_id(wire.article.pk)
        assert story is not None and story.agency is not None and story.agency.name == "PNS Wire"


def test_a_story_on_a_desk_newer_than_the_kept_desks_still_loads() -> None:
    f.publication()
    f.story()
    selectors.article_at_url(section_slug="news", slug="no-such-story")  # the desks are kept now
    kept_desks = selectors._newsroom.peek("desks")
    assert kept_desks is not None
    opinion = Section.objects.create(slug="opinion", name="Opinion")
    story = f.story(sec=opinion, wire=Agency.objects.create(code="NEWW", name="New Wire"))
    # As a request that read the stamps before those writes holds them: the old desks, still current.
    selectors._newsroom.peek("desks")
    selectors._newsroom.put("desks", kept_desks)
    kept = selectors.article_by_id(story.article.pk)
    assert kept is not None and kept.section.name == "Opinion"
    assert kept.agency is not None and kept.agency.name == "New Wire"
