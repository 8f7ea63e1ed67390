"""A small newspaper for page-level tests (browser, accessibility, HTML checker): fronts with pictures,
a paywall, house ads, standing pages, and readers to sign in as."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from importlib import import_module
from zoneinfo import ZoneInfo

from django.utils import timezone

from broadsheet.ads.models import AdSlot
from broadsheet.billing.models import Plan
from broadsheet.newsroom.models import Article
from broadsheet.pages.demo import GRIEVANCE_OFFICER, pages_seed
from broadsheet.pictures.demo_art import graphic, line_chart
from broadsheet.pictures.services import picture_create
from broadsheet.readers.models import User
from tests import factories as f

HOUSE_ADS = import_module("broadsheet.ads.migrations.0002_house_ads").HOUSE_ADS


@dataclass
class World:
    pictured: f.Story
    blocked: f.Story  # premium: the paywall for anyone without a plan
    archived: f.Story  # older than the archive age: the archive's paywall for anyone without the benefit
    reader: User
    subscriber: User


def build_world() -> World:
    f.publication(**GRIEVANCE_OFFICER)
    plans = f.demo_plans()
    Plan.objects.filter(pk=plans[-1].pk).update(is_recommended=True)
    pages_seed()
    for place, snippet in HOUSE_ADS.items():
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})
    now = timezone.now()
    markets, india = f.section("markets", "Markets"), f.section("india", "India")
    stories = []
    for n in range(10):
        sec = markets if n % 2 else india
        story = f.story(
            sec=sec, published_at=now - timedelta(hours=n + 1), headline=f"A headline of some length, number {n}"
        )
        if n < 6:
            art = line_chart(f"w{n}", "Nifty 50 index") if sec is markets else graphic(f"w{n}", "india", "India")
            story.article.lead_picture = picture_create(
                data=art.png, name="p.png", alt=art.alt, caption=art.caption, credit=art.credit
            )
        story.article.is_top_story = n < 3
        story.article.save()
        stories.append(story)
    # A picture inside the body, as the desk's picker inserts it: the page adds renditions and the credit.
    inside = stories[1].article.lead_picture
    figure = f'<figure><img src="/media/pictures/{inside.key}-800.jpg" alt="{inside.alt}" width="800" height="450">'
    Article.objects.filter(pk=stories[0].article.pk).update(
        body=stories[0].article.body + f"{figure}<figcaption>{inside.caption}</figcaption></figure><p>After.</p>"
    )
    blocked = f.story(access=Article.Access.PREMIUM, sec=markets, paragraphs=6)
    archived = f.story(sec=india, published_at=ARCHIVED_AT, headline="A story from the archive, two years back")
    return World(pictured=stories[0], blocked=blocked, archived=archived, reader=f.reader(), subscriber=f.subscriber())


# The archived story's day (in the publication's time zone), for the archive pages.
ARCHIVED_AT = datetime(2024, 8, 14, 9, 30, tzinfo=ZoneInfo("Asia/Kolkata"))
ARCHIVE_PAGES = {
    "archive": "/archive/",
    "archive-year": "/archive/2024/",
    "archive-month": "/archive/2024/08/",
    "archive-day": "/archive/2024/08/14/",
}
