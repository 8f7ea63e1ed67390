"""Sitemaps and the RSS feed: headlines, standfirsts and teasers, never locked text."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.feedgenerator import Rss201rev2Feed

from broadsheet.core import clock
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


SITEMAPS = {"articles": ArticleSitemap, "sections": SectionSitemap}


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
    return HttpResponse(body, content_type="application/xml; charset=utf-8")


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

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        item: Article = kwargs["item"]
        # Free stories go out whole; locked ones as headline, standfirst and lead.
        free = is_free_to_all(item)
        context["body_html"] = "\n".join(selectors.article_body_blocks(item)) if free else item.lead
        context["locked"] = not free
        return context
