"""Sitemaps and the RSS feed: headlines, standfirsts and teasers, never locked text.

Every XML document here is well formed whatever the database holds: text goes
through `core.text.xml_text`, which drops what XML 1.0 cannot carry (control
characters, U+FFFE, U+FFFF), before it is written. Copy is normalised on the way
in as well; this is for rows that came another way (an old import, a hand edit).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.feedgenerator import Rss201rev2Feed, SyndicationFeed

from broadsheet.core import clock
from broadsheet.core.text import xml_text
from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article, Section
from broadsheet.paywall.services import is_free_to_all


class ArticleSitemap(Sitemap[Article]):
    changefreq = "daily"
    limit = 5000

    def items(self) -> Any:
        return (
            Article.objects.live(clock.now())
            .select_related("section")
            .only("slug", "section__slug", "published_at", "updated_at")
        )

    def lastmod(self, item: Article) -> datetime | None:
        return item.updated_at or item.published_at

    def location(self, item: Article) -> str:
        return item.get_absolute_url()


class SectionSitemap(Sitemap[Section]):
    changefreq = "hourly"

    def items(self) -> Any:
        return Section.objects.all()


class FrontPageSitemap(Sitemap[str]):
    """The front page: the most often changed page of the site."""

    changefreq = "always"
    priority = 1.0

    def items(self) -> list[str]:
        return ["/"]

    def location(self, item: str) -> str:
        return item


SITEMAPS = {"front": FrontPageSitemap, "articles": ArticleSitemap, "sections": SectionSitemap}


def news_sitemap(request: HttpRequest) -> HttpResponse:
    """Google News sitemap: stories of the last 48 hours."""
    publication = selectors.publication_get()
    body = render_to_string(
        "newsroom/news_sitemap.xml",
        {
            "articles": selectors.recent_for_news_sitemap(at=clock.now()),
            "publication": publication,
            "site_url": settings.SITE_URL,
        },
    )
    return HttpResponse(xml_text(body), content_type="application/xml; charset=utf-8")


class LatestStoriesFeed(Feed[Article, Any]):
    feed_type = Rss201rev2Feed
    description_template = "newsroom/feed_item.html"

    def title(self) -> str:
        return selectors.publication_get().name

    def link(self) -> str:
        return "/"

    def description(self) -> str:
        pub = selectors.publication_get()
        return pub.tagline or f"Latest stories from {pub.name}"

    def items(self) -> list[Article]:
        return selectors.latest_for_feed(at=clock.now())

    def item_title(self, item: Article) -> str:
        return item.headline

    def item_link(self, item: Article) -> str:
        return item.get_absolute_url()

    def item_pubdate(self, item: Article) -> datetime | None:
        return item.published_at

    def item_updateddate(self, item: Article) -> datetime | None:
        return item.updated_at

    def item_categories(self, item: Article) -> list[str]:
        return [item.section.name]

    def get_feed(self, obj: Any, request: HttpRequest) -> SyndicationFeed:
        return xml_safe_feed(super().get_feed(obj, request))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item: Article = kwargs["item"]
        # Free stories go out whole; locked ones as headline, standfirst and lead.
        free = is_free_to_all(item)
        context["body_html"] = "\n".join(selectors.article_body_blocks(item)) if free else item.lead
        context["locked"] = not free
        return context


def xml_safe_feed(feed: SyndicationFeed) -> SyndicationFeed:
    """Every text of the feed and its items (titles, descriptions, categories, …) made writable as XML 1.0."""

    def clean(value: Any) -> Any:
        if isinstance(value, str):
            return xml_text(value)
        if isinstance(value, list | tuple):
            return type(value)(clean(v) for v in value)
        return value

    feed.feed = {key: clean(value) for key, value in feed.feed.items()}
    feed.items = [{key: clean(value) for key, value in item.items()} for item in feed.items]
    return feed
