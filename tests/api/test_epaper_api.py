"""The e-paper through the API: editions by date, pages with signed image links and text for
readers with the e-paper, the offer for everyone else, and the signed PDF link."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from broadsheet.billing.models import Subscription
from broadsheet.core import generations
from broadsheet.epaper.models import Edition
from broadsheet.readers.models import Device
from tests import factories as f
from tests.api.helpers import get, send, token_for
from tests.epaper import builders as b
from tests.epaper.conftest import epaper_storage  # noqa: F401 - each test its own e-paper storage

pytestmark = pytest.mark.django_db
API = "/api/v1/epaper"


@pytest.fixture
def papers() -> dict[str, Any]:
    f.publication()
    f.demo_plans()
    b.epaper_subscriber()  # the plan with the e-paper, among the others
    older, _ = b.published(2, edition="Mumbai", day=b.selectors.today() - timedelta(days=2))
    mumbai, built = b.published(3, edition="Mumbai")
    delhi, _ = b.published(2, edition="Delhi", day=mumbai.date)
    return {"mumbai": mumbai, "delhi": delhi, "older": older, "tokens": built.tokens}


def path_of(edition: Edition) -> str:
    return f"{API}/editions/{edition.date.isoformat()}/{edition.slug}"


def fetch(url: str) -> Any:
    """Open a link as a browser tab or an <img> would: no token, no session."""
    return Client().get(url.removeprefix("http://testserver"))


def test_editions_come_newest_first_by_date_with_front_thumbnails_for_everyone(papers: dict[str, Any]) -> None:
    status, data = get(Client(), f"{API}/editions?limit=2")
    assert status == 200 and data["open"] is False
    latest = papers["mumbai"].date.isoformat()
    assert sorted((e["date"], e["name"], e["page_count"]) for e in data["items"]) == [
        (latest, "Delhi", 2),
        (latest, "Mumbai", 3),
    ]
    thumb = data["items"][0]["front_thumb"]
    assert thumb["width"] > 0 and fetch(thumb["url"]).status_code == 200  # the teaser every reader sees
    status, rest = get(Client(), f"{API}/editions?limit=2&cursor={data['next_cursor']}")
    assert [e["date"] for e in rest["items"]] == [papers["older"].date.isoformat()] and rest["next_cursor"] is None

    status, one_day = get(Client(), f"{API}/editions?date={papers['mumbai'].date.isoformat()}")
    assert sorted(e["name"] for e in one_day["items"]) == ["Delhi", "Mumbai"]
    status, future = get(Client(), f"{API}/editions?date={(b.selectors.today() + timedelta(days=1)).isoformat()}")
    assert status == 200 and future["items"] == []


def test_a_story_cursor_is_refused_by_the_editions_list(papers: dict[str, Any]) -> None:
    f.story()
    f.story()
    _, stories = get(Client(), "/api/v1/articles?limit=1")
    status, problem = get(Client(), f"{API}/editions?cursor={stories['next_cursor']}")
    assert status == 400 and problem["code"] == "invalid_cursor"


@pytest.mark.parametrize("who", ["anonymous", "registered", "subscriber without the e-paper"])
def test_a_reader_without_the_e_paper_gets_the_offer_and_no_pages(papers: dict[str, Any], who: str) -> None:
    token = None
    if who == "registered":
        token = token_for(f.reader())
    elif who != "anonymous":
        token = token_for(b.subscriber_without_epaper())
    status, data = get(Client(), path_of(papers["mumbai"]), token)
    assert status == 200
    assert data["open"] is False and data["pages"] == [] and data["download_url"] is None
    assert data["offer"]["headline"] == "E-paper is included with a subscription"
    assert data["offer"]["plans"] and all("epaper" in p["benefits"] for p in data["offer"]["plans"])
    for tail in ("/pages/2", "/download"):
        status, problem = get(Client(), path_of(papers["mumbai"]) + tail, token)
        assert status == 403 and problem["code"] == "not_entitled" and problem["offer"]["plans"]


def test_a_reader_with_the_e_paper_gets_signed_pages_text_and_the_pdf(papers: dict[str, Any]) -> None:
    token = token_for(b.epaper_subscriber())
    answer = Client().get(path_of(papers["mumbai"]), HTTP_AUTHORIZATION=f"Bearer {token}")
    assert "private" in answer["Cache-Control"] and "Authorization" in answer["Vary"]  # no shared cache keeps it
    status, data = answer.status_code, answer.json()
    assert status == 200 and data["open"] is True and data["reason"] == "entitled" and data["offer"] is None
    assert [p["number"] for p in data["pages"]] == [1, 2, 3]
    second = data["pages"][1]["images"]
    assert second["page"]["width"] > second["thumb"]["width"] > 0 and second["page"]["height"] > 0

    image = fetch(second["page"]["url"])  # an <img> sends no token: the link carries its reader
    assert image.status_code == 200 and image["Content-Type"] == "image/webp"
    assert "no-store" in image["Cache-Control"]
    unsigned = second["page"]["url"].split("?")[0]
    assert fetch(unsigned).status_code == 403

    status, page = get(Client(), data["pages"][1]["text_url"].removeprefix("http://testserver"), token)
    assert status == 200 and papers["tokens"][1] in page["text"] and page["page_count"] == 3
    assert len(page["paragraphs"]) > 1 and any(papers["tokens"][1] in p for p in page["paragraphs"])

    status, link = get(Client(), data["download_url"].removeprefix("http://testserver"), token)
    assert status == 200 and link["filename"].endswith(".pdf") and link["size_bytes"] > 0
    pdf = fetch(link["url"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_signed_links_stop_when_the_device_signs_out_or_the_plan_ends(papers: dict[str, Any]) -> None:
    owner = b.epaper_subscriber()
    token = token_for(owner)
    _, data = get(Client(), path_of(papers["mumbai"]), token)
    _, link = get(Client(), data["download_url"].removeprefix("http://testserver"), token)
    image = data["pages"][1]["images"]["page"]["url"]
    assert fetch(image).status_code == 200

    Subscription.objects.filter(user=owner).update(access_until=timezone.now() - timedelta(minutes=1))
    generations.bump("subscriptions")
    assert fetch(image).status_code == 403 and fetch(link["url"]).status_code == 403

    again = b.epaper_subscriber()
    token = token_for(again)
    _, data = get(Client(), path_of(papers["mumbai"]), token)
    image = data["pages"][0]["images"]["page"]["url"]
    assert fetch(image).status_code == 200
    assert send(Client(), "DELETE", "/api/v1/auth/token", token=token).status_code == 204
    assert Device.objects.filter(user=again, revoked_at__isnull=False).exists()
    assert fetch(image).status_code == 403


def test_signed_links_expire_and_cannot_be_moved_to_another_edition(papers: dict[str, Any], settings: Any) -> None:
    settings.BROADSHEET_EPAPER_LINK_MINUTES = 10
    token = token_for(b.epaper_subscriber())
    _, data = get(Client(), path_of(papers["mumbai"]), token)
    image = data["pages"][0]["images"]["page"]["url"]
    with time_machine.travel(timezone.now() + timedelta(minutes=11)):
        assert fetch(image).status_code == 403
    delhi_key = b.live_printing(papers["delhi"]).key
    mumbai_key = b.live_printing(papers["mumbai"]).key
    assert fetch(image.replace(mumbai_key, delhi_key)).status_code == 403
    assert fetch(image.replace("?s=", "?s=x")).status_code == 403


def test_staff_read_the_pages(papers: dict[str, Any]) -> None:
    staff = f.reader(is_staff=True)
    token = token_for(staff)
    _, data = get(Client(), path_of(papers["delhi"]), token)
    assert data["open"] is True and data["reason"] == "staff"
    assert fetch(data["pages"][1]["images"]["thumb"]["url"]).status_code == 200


def test_an_unknown_edition_or_page_is_not_found(papers: dict[str, Any]) -> None:
    token = token_for(b.epaper_subscriber())
    day = papers["mumbai"].date.isoformat()
    for path in (f"{API}/editions/{day}/pune", f"{API}/editions/{day}/mumbai/pages/9", f"{API}/editions/2001-01-01/x"):
        status, problem = get(Client(), path, token)
        assert status == 404 and problem["code"] == "not_found", path
