"""Cached reads follow writes at once: the generation stamps drop every stale copy."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.billing.models import Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.core import generations
from broadsheet.core.generations import GenerationCache
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_generation_cache_empties_when_its_generation_moves() -> None:
    cache: GenerationCache[int] = GenerationCache("test-family")
    calls: list[int] = []

    def build(value: int) -> int:
        calls.append(value)
        return value

    assert cache.get("k", lambda: build(1)) == 1
    assert cache.get("k", lambda: build(2)) == 1  # cached
    generations.bump_now("test-family")
    assert cache.get("k", lambda: build(3)) == 3
    assert calls == [1, 3]


def test_unpublishing_and_editing_reach_the_next_page_view(client: Client) -> None:
    f.publication()
    story = f.story(access=Article.Access.FREE)
    assert client.get(story.url).status_code == 200
    story.article.headline = "A corrected headline"
    story.article.save()
    assert "A corrected headline" in client.get(story.url).content.decode()
    story.article.status = Article.Status.DRAFT
    story.article.save()
    assert client.get(story.url).status_code == 404


def test_a_price_change_reaches_the_paywall_at_once(client: Client) -> None:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM)
    assert "₹2,700" in client.get(story.url).content.decode()
    Plan.objects.filter(slug="smart-essential").update(price_minor=299900)
    generations.bump("plans")
    assert "₹2,999" in client.get(story.url).content.decode()


def test_a_granted_subscription_opens_the_story_on_the_next_view(client: Client) -> None:
    from django.utils import timezone

    f.publication()
    story = f.story(access=Article.Access.PREMIUM)
    user = f.reader()
    client.force_login(user)
    assert story.tokens[-1] not in client.get(story.url).content.decode()
    subscription_grant(user_id=user.pk, plan=f.premium_plan(), start=timezone.now())
    assert story.tokens[-1] in client.get(story.url).content.decode()


def test_a_request_reads_each_stamp_once_and_sees_its_own_writes() -> None:
    from broadsheet.core.generations import _request_stamps, current

    token = _request_stamps.set({})
    try:
        first = current("newsroom")
        generations.bump_now("other-process-would-do-this")
        assert current("newsroom") == first  # memoised for the rest of the request
        generations.bump_now("newsroom")  # a write in this request
        assert current("newsroom") != first
    finally:
        _request_stamps.reset(token)
