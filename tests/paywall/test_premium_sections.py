"""A premium section locks every story in it to readers without its benefit."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.billing.models import Benefit
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.paywall.test_no_leak import assert_no_locked_text

pytestmark = pytest.mark.django_db


@pytest.fixture
def analysis() -> dict[str, object]:
    f.publication(anonymous_free_limit=5)
    f.demo_plans()
    benefit, _ = Benefit.objects.get_or_create(code="market_analysis", defaults={"name": "Market analysis"})
    sec = f.section("market-analysis", "Market Analysis")
    sec.required_benefit = benefit
    sec.save()
    return {
        "benefit": benefit,
        "stories": [f.story(sec=sec, access=level) for level in ("free", "metered", "premium")],
    }


def test_every_story_in_the_section_is_locked_and_leaks_nothing(client: Client, analysis: dict) -> None:
    for story in analysis["stories"]:
        body = html.unescape(client.get(story.url).content.decode())
        assert "This story is part of Market analysis" in body
        assert_no_locked_text(body, story)
        assert '"isAccessibleForFree": false' in body
    for path in ("/feed/", "/sitemap.xml", "/news-sitemap.xml", "/market-analysis/"):
        body = client.get(path).content.decode()
        for story in analysis["stories"]:
            assert_no_locked_text(body, story)


def test_premium_benefit_alone_does_not_open_the_section(client: Client, analysis: dict) -> None:
    client.force_login(f.subscriber())  # holds "premium" only
    story = analysis["stories"][1]
    assert_no_locked_text(client.get(story.url).content.decode(), story)


def test_holders_of_the_section_benefit_read_in_full(client: Client, analysis: dict) -> None:
    user = f.reader()
    plan = f.premium_plan()
    plan.benefits.add(analysis["benefit"])
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now())
    client.force_login(user)
    for story in analysis["stories"]:
        assert all(tok in client.get(story.url).content.decode() for tok in story.tokens)


def test_a_withdrawn_story_leaves_a_notice_and_every_public_surface_at_once(client: Client) -> None:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.FREE, headline="A story to be killed")
    for path in ("/feed/", "/sitemap.xml", "/news-sitemap.xml", "/"):
        assert story.url in client.get(path).content.decode(), path
    story.article.status = Article.Status.WITHDRAWN
    story.article.withdrawal_notice = "The agency withdrew this story: it named the wrong company."
    story.article.save()
    response = client.get(story.url)
    assert response.status_code == 410
    body = response.content.decode()
    assert "named the wrong company" in body and not any(tok in body for tok in story.tokens)
    for path in ("/feed/", "/sitemap.xml", "/news-sitemap.xml", "/", story.article.section.get_absolute_url()):
        page = client.get(path).content.decode()
        assert story.url not in page and "A story to be killed" not in page, path
