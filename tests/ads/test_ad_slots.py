"""Ad slots: every slot for readers who see ads, no ad markup at all for ad-free readers."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.ads.models import AdSlot
from broadsheet.billing.models import Benefit
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

SNIPPETS = {
    "header": '<div id="hdr-ad-7731">Banner</div><script src="https://ads.adnet-header.test/tag.js"></script>',
    "in_article": '<div id="inart-ad-7732">Mid</div><script src="https://ads.adnet-inline.test/i.js"></script>',
    "sidebar": '<iframe id="side-ad-7733" src="https://ads.adnet-side.test/frame"></iframe>',
}
MARKERS = [
    "hdr-ad-7731",
    "inart-ad-7732",
    "side-ad-7733",
    "adnet-header.test",
    "adnet-inline.test",
    "adnet-side.test",
    'class="ad ',
]


@pytest.fixture
def slots() -> None:
    for place, snippet in SNIPPETS.items():
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})


def ad_free_reader() -> object:
    user = f.reader()
    plan = f.premium_plan()
    benefit, _ = Benefit.objects.get_or_create(code="ad_free", defaults={"name": "Ad-free reading"})
    plan.benefits.add(benefit)
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now())
    return user


def test_readers_who_see_ads_get_every_slot(client: Client, slots: None) -> None:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.FREE)
    body = client.get(story.url).content.decode()
    for marker in MARKERS:
        assert marker in body, marker
    assert "with-sidebar" in body
    home = client.get("/").content.decode()
    assert "hdr-ad-7731" in home


def test_ad_free_readers_receive_no_ad_markup_script_or_request(client: Client, slots: None) -> None:
    f.publication()
    story = f.story(access=Article.Access.PREMIUM)
    client.force_login(ad_free_reader())
    for path in (story.url, "/", story.article.section.get_absolute_url(), "/account/"):
        body = client.get(path).content.decode()
        for marker in MARKERS:
            assert marker not in body, (path, marker)
        assert "Advertisement" not in body
    assert "with-sidebar" not in client.get(story.url).content.decode()  # the story takes the full column


def test_a_plan_without_ad_free_still_sees_ads(client: Client, slots: None) -> None:
    f.publication()
    client.force_login(f.subscriber())  # premium only
    body = client.get(f.story().url).content.decode()
    assert "hdr-ad-7731" in body and "side-ad-7733" in body


def test_a_switched_off_slot_disappears_at_once(client: Client, slots: None) -> None:
    f.publication()
    story = f.story(access=Article.Access.FREE)
    assert "side-ad-7733" in client.get(story.url).content.decode()
    slot = AdSlot.objects.get(place="sidebar")
    slot.active = False
    slot.save()
    body = client.get(story.url).content.decode()
    assert "side-ad-7733" not in body and "with-sidebar" not in body


def test_new_sites_start_with_visible_house_ads(client: Client) -> None:
    # The data migration's own function (other tests may have flushed its rows).
    from importlib import import_module

    from django.apps import apps

    import_module("broadsheet.ads.migrations.0002_house_ads").add_house_ads(apps, None)
    f.publication()
    body = client.get(f.story(access=Article.Access.FREE).url).content.decode()
    assert "house-ad" in body
