"""A crawler is believed only after reverse and forward DNS agree."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.newsroom.models import Article
from broadsheet.paywall.crawlers import is_verified_crawler, verify_ip
from tests import factories as f
from tests.conftest import FakeResolver

GOOGLEBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"
GOOD_IP = "66.249.66.1"


def google(fake_dns: type[FakeResolver]) -> None:
    fake_dns.reverse_table = {
        GOOD_IP: "crawl-66-249-66-1.googlebot.com",
        "192.0.2.7": "crawl.googlebot.com.evil.example",
    }
    fake_dns.forward_table = {"crawl-66-249-66-1.googlebot.com": {GOOD_IP}}


def test_verification_needs_google_domain_and_matching_forward_lookup(fake_dns: type[FakeResolver]) -> None:
    google(fake_dns)
    resolver = fake_dns()
    assert verify_ip(GOOD_IP, resolver)
    assert not verify_ip("192.0.2.7", resolver)  # name merely contains googlebot.com
    fake_dns.reverse_table["198.51.100.1"] = "crawl-66-249-66-1.googlebot.com"
    assert not verify_ip("198.51.100.1", resolver)  # forward lookup returns another address
    assert not verify_ip("203.0.113.5", resolver)  # no reverse record at all


def test_answers_are_cached_per_address(fake_dns: type[FakeResolver]) -> None:
    google(fake_dns)
    assert is_verified_crawler(GOOGLEBOT, GOOD_IP)
    fake_dns.reverse_table = {}
    assert is_verified_crawler(GOOGLEBOT, GOOD_IP)  # cached, no second lookup
    assert not is_verified_crawler("Mozilla/5.0 Firefox", GOOD_IP)  # not claiming to be a crawler


@pytest.mark.django_db
def test_verified_googlebot_reads_the_premium_story_marked_as_not_free(client: Client, fake_dns: type) -> None:
    google(fake_dns)
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM)
    body = client.get(story.url, HTTP_USER_AGENT=GOOGLEBOT, REMOTE_ADDR=GOOD_IP).content.decode()
    assert all(tok in body for tok in story.tokens)
    assert '"isAccessibleForFree": false' in body
    assert '"cssSelector": ".article-locked"' in body


@pytest.mark.django_db
def test_googlebot_user_agent_from_elsewhere_is_an_anonymous_reader(client: Client, fake_dns: type) -> None:
    google(fake_dns)
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM)
    body = client.get(story.url, HTTP_USER_AGENT=GOOGLEBOT, REMOTE_ADDR="192.0.2.7").content.decode()
    assert "This is a premium story" in body
    assert not any(tok in body for tok in story.locked_tokens)
