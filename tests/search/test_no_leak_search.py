"""Search never hands out locked text: not as a snippet, not as a highlight, not even as the fact
that a locked body matched. Every paragraph of a story carries a unique token; searching for
a locked one (or a whole locked sentence) must find nothing for a reader the story is locked to."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.billing.models import Benefit, Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.newsroom.models import Article
from broadsheet.readers.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def _plan_subscriber(codes: tuple[str, ...]) -> User:
    user = f.reader()
    plan, _ = Plan.objects.get_or_create(
        slug="-".join(codes), defaults={"name": " and ".join(codes), "price_minor": 90000, "period_months": 3}
    )
    for code in codes:
        plan.benefits.add(Benefit.objects.get_or_create(code=code, defaults={"name": code.title()})[0])
    subscription_grant(user_id=user.pk, plan=plan, start=timezone.now() - timedelta(days=1))
    return user


def _client(who: str) -> Client:
    client = Client()
    if who == "registered":
        client.force_login(f.reader())
    elif who == "subscriber-without-the-benefit":
        client.force_login(_plan_subscriber(("epaper",)))
    elif who == "subscriber":
        client.force_login(f.subscriber())
    return client


def _echo_count(client: Client, text: str, token: str) -> int:
    """How often the page repeats a query that matches nothing (the box, the summary): the baseline."""
    unknown = "tok999999x9qz"
    page = client.get("/search/", {"q": text.replace(token, unknown)}).content.decode().lower()
    return page.count(unknown)


def _sentence(story: f.Story, paragraph: int) -> str:
    number = story.article.headline.split()[-1]  # "Story number N": N is the story's number in its text
    return f"Paragraph {paragraph} of story {number} says {story.tokens[paragraph]} and more"


@pytest.fixture
def locked() -> list[f.Story]:
    f.publication()
    return [
        f.story(access=Article.Access.PREMIUM),
        f.story(access=Article.Access.METERED),  # open on the meter, but a search cannot count a view
    ]


@pytest.mark.parametrize("who", ["anonymous", "registered", "subscriber-without-the-benefit"])
def test_a_locked_token_finds_nothing_and_shows_nothing(locked: list[f.Story], who: str) -> None:
    client = _client(who)
    for story in locked:
        for token in story.locked_tokens:
            for text in (token, f'"{token}"', token.upper(), f"story {token}"):
                page = client.get("/search/", {"q": text}).content.decode()
                assert "No stories match" in page, (who, text)
                assert story.article.get_absolute_url() not in page
                # The page repeats what the reader typed, and nothing more of the story.
                assert page.lower().count(token) == _echo_count(client, text.lower(), token)
                for secret in story.locked_tokens:
                    assert secret == token or secret not in page.lower()


@pytest.mark.parametrize("who", ["anonymous", "registered", "subscriber-without-the-benefit"])
def test_a_locked_sentence_finds_nothing(locked: list[f.Story], who: str) -> None:
    client = _client(who)
    for story in locked:
        page = client.get("/search/", {"q": _sentence(story, 3)}).content.decode()
        assert "No stories match" in page
        assert story.article.get_absolute_url() not in page
        assert page.lower().count(story.tokens[3]) == _echo_count(client, _sentence(story, 3).lower(), story.tokens[3])
        assert all(secret not in page.lower() for secret in story.locked_tokens if secret != story.tokens[3])


@pytest.mark.parametrize("who", ["anonymous", "registered", "subscriber-without-the-benefit"])
def test_excluding_a_locked_word_does_not_hide_the_story(locked: list[f.Story], who: str) -> None:
    """If -token hid the story, its absence would tell the reader the body holds the token."""
    client = _client(who)
    story = locked[0]
    page = client.get("/search/", {"q": f"{story.article.headline} -{story.tokens[2]}"}).content.decode()
    assert story.article.get_absolute_url() in page
    assert all(secret not in page.lower() for secret in story.locked_tokens if secret != story.tokens[2])
    assert 'class="search-snippet"' not in page


def test_a_subscriber_finds_the_story_by_its_body_and_sees_the_snippet(locked: list[f.Story]) -> None:
    client = _client("subscriber")
    for story in locked:
        token = story.tokens[3]
        page = client.get("/search/", {"q": token}).content.decode()
        assert story.article.get_absolute_url() in page
        assert f"<mark>{token}</mark>" in page
        assert 'class="search-snippet"' in page


def test_a_premium_section_stays_locked_to_a_subscriber_without_its_benefit() -> None:
    f.publication()
    markets = f.section("markets")
    markets.required_benefit = Benefit.objects.get_or_create(code="markets", defaults={"name": "Market analysis"})[0]
    markets.save()
    story = f.story(access=Article.Access.FREE, sec=markets)
    premium_reader = _client("subscriber")
    page = premium_reader.get("/search/", {"q": story.tokens[2]}).content.decode()
    assert "No stories match" in page and story.article.get_absolute_url() not in page
    holder = Client()
    holder.force_login(_plan_subscriber(("markets",)))
    page = holder.get("/search/", {"q": story.tokens[2]}).content.decode()
    assert f"<mark>{story.tokens[2]}</mark>" in page


def test_a_free_story_is_searched_and_quoted_for_everyone() -> None:
    f.publication()
    story = f.story(access=Article.Access.FREE)
    page = Client().get("/search/", {"q": story.tokens[4]}).content.decode()
    assert f"<mark>{story.tokens[4]}</mark>" in page
