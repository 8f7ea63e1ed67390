"""Reading through the API: lists never carry text, one story carries it only when open,
and a locked one carries the same teaser and offer (plans, prices, benefits) as the web."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from broadsheet.core import generations
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.api.helpers import get, token_for
from tests.pictures.builders import picture
from tests.pictures.conftest import media_dirs  # noqa: F401 - each test its own media folder

pytestmark = pytest.mark.django_db


@pytest.fixture
def paper() -> None:
    f.publication(anonymous_free_limit=2, registered_free_limit=2)
    f.demo_plans()


def test_a_subscriber_token_reads_a_premium_story_in_full(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    status, body = get(Client(), f"/api/v1/articles/{story.article.pk}", token_for(f.subscriber()))
    assert status == 200 and body["open"] and body["reason"] == "entitled"
    assert all(tok in body["body_html"] for tok in story.tokens)
    assert body["offer"] is None and body["keep_until"] is not None


def test_a_locked_story_gives_the_lead_and_the_offer_with_plans_prices_and_benefits(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    status, body = get(Client(), f"/api/v1/articles/{story.article.pk}")
    assert status == 200 and not body["open"] and body["body_html"] is None
    assert story.tokens[0] in body["lead_html"]
    offer = body["offer"]
    assert offer["headline"] == "This is a premium story"
    assert [(p["name"], p["price"], p["price_minor"], p["per_month"]) for p in offer["plans"]] == [
        ("Smart Quarterly", "₹900", 90000, "₹300"),
        ("Smart Essential", "₹2,700", 270000, "₹225"),
        ("Super Saver", "₹3,900", 390000, "₹162"),
    ]
    assert [b["name"] for b in offer["benefits"]] == ["Premium stories"]
    assert offer["subscribe_url"].endswith(f"/subscribe/?next={story.url.replace('/', '%2F')}")


def test_the_meter_counts_down_then_closes_with_the_limit_in_words(paper: None) -> None:
    stories = [f.story() for _ in range(3)]
    token = token_for(f.reader())
    client = Client()
    first = get(client, f"/api/v1/articles/{stories[0].article.pk}", token)[1]
    assert first["open"] and first["countdown"].startswith(
        "1 of 2 free articles left this month; the count starts again on "
    )
    assert (first["meter_used"], first["meter_limit"]) == (1, 2)
    assert get(client, f"/api/v1/articles/{stories[1].article.pk}", token)[1]["open"]
    third = get(client, f"/api/v1/articles/{stories[2].article.pk}", token)[1]
    assert not third["open"] and third["reason"] == "limit_reached"
    assert third["offer"]["headline"] == "You've reached your limit of 2 free articles this month."
    again = get(client, f"/api/v1/articles/{stories[0].article.pk}", token)[1]
    assert again["open"] and again["reason"] == "already_counted"  # re-reading is free


def test_story_lists_page_by_cursor_newest_first_and_stay_stable_as_stories_arrive(paper: None) -> None:
    now = timezone.now()
    stories = [f.story(published_at=now - timedelta(minutes=10 * i)) for i in range(5)]
    client = Client()
    status, first = get(client, "/api/v1/articles?limit=2")
    assert status == 200 and [c["id"] for c in first["items"]] == [s.article.pk for s in stories[:2]]
    f.story(published_at=now)  # a new story on top must not shift the next page
    _, second = get(client, f"/api/v1/articles?limit=2&cursor={first['next_cursor']}")
    assert [c["id"] for c in second["items"]] == [s.article.pk for s in stories[2:4]]
    _, last = get(client, f"/api/v1/articles?limit=2&cursor={second['next_cursor']}")
    assert [c["id"] for c in last["items"]] == [stories[4].article.pk] and last["next_cursor"] is None
    for item in first["items"] + second["items"]:
        assert "body_html" not in item and "lead_html" not in item


def test_a_forged_cursor_is_a_problem_not_a_query(paper: None) -> None:
    status, body = get(Client(), "/api/v1/articles?cursor=WyIyMDI2IiwgMV0")
    assert status == 400 and body["code"] == "invalid_cursor" and body["status"] == 400


def test_sections_fronts_and_a_section_front(paper: None) -> None:
    business = f.section("business", "Business")
    other = f.story(sec=business)
    top = f.story()
    Article.objects.filter(pk=top.article.pk).update(is_top_story=True)
    client = Client()
    assert {s["slug"] for s in get(client, "/api/v1/sections")[1]} == {"news", "business"}
    front = get(client, "/api/v1/front")[1]
    assert front["top"][0]["id"] == top.article.pk  # the editor's top story leads
    shown = [c["id"] for part in ("top", "latest", "premium") for c in front[part]]
    shown += [c["id"] for block in front["sections"] for c in block["stories"]]
    assert sorted(shown) == sorted([top.article.pk, other.article.pk])  # every story, none twice
    section = get(client, "/api/v1/sections/business")[1]
    assert section["section"]["name"] == "Business" and len(section["stories"]) == 1
    assert get(client, "/api/v1/sections/no-such")[1]["code"] == "not_found"


def test_withdrawn_drafts_and_future_stories(paper: None) -> None:
    withdrawn = f.story(status=Article.Status.WITHDRAWN)
    Article.objects.filter(pk=withdrawn.article.pk).update(withdrawal_notice="Withdrawn at the agency's request.")
    draft = f.story(status=Article.Status.DRAFT)
    future = f.story(published_at=timezone.now() + timedelta(hours=2))
    client = Client()
    status, body = get(client, f"/api/v1/articles/{withdrawn.article.pk}")
    assert status == 410 and body["code"] == "withdrawn" and body["detail"] == "Withdrawn at the agency's request."
    assert get(client, f"/api/v1/articles/{draft.article.pk}")[0] == 404
    assert get(client, f"/api/v1/articles/{future.article.pk}")[0] == 404
    assert get(client, "/api/v1/articles/999999")[1]["code"] == "not_found"


def test_a_web_session_never_signs_an_api_request_in(paper: None) -> None:
    story = f.story(access=Article.Access.PREMIUM)
    client = Client()
    client.force_login(f.subscriber())
    assert client.get(story.url).status_code == 200
    status, body = get(client, f"/api/v1/articles/{story.article.pk}")
    assert status == 200 and not body["open"]  # read as anonymous: only a token signs the API in
    assert get(client, "/api/v1/me")[0] == 401


def test_cards_carry_the_lead_picture_with_its_renditions(paper: None) -> None:
    pictured, plain = f.story(), f.story()
    pic = picture("lead", alt="Boats at dawn on the harbour")
    Article.objects.filter(pk=pictured.article.pk).update(lead_picture=pic)
    generations.bump("newsroom")
    _, page = get(Client(), "/api/v1/articles")
    by_id = {c["id"]: c for c in page["items"]}
    assert by_id[plain.article.pk]["picture"] is None
    shown = by_id[pictured.article.pk]["picture"]
    assert shown["alt"] == "Boats at dawn on the harbour" and shown["credit"] == "Test Desk"
    sizes = shown["renditions"]
    assert {r["format"] for r in sizes} == {"webp", "jpeg"} and len(sizes) == 2 * len(pic.widths)
    assert [r["width"] for r in sizes] == sorted(r["width"] for r in sizes)
    largest = sizes[-1]
    assert (largest["width"], largest["height"]) == (shown["width"], shown["height"])
    assert abs(largest["width"] / largest["height"] - pic.width / pic.height) < 0.02
    served = Client().get(largest["url"].removeprefix("http://testserver"))
    assert served.status_code == 200
    _, front = get(Client(), "/api/v1/front")
    cards = front["top"] + front["latest"]
    assert any(c["picture"] and c["picture"]["alt"] == "Boats at dawn on the harbour" for c in cards)
