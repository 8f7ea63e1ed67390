"""Who gets what: anonymous, registered without the benefit, a subscriber whose plan lacks the
e-paper, a subscriber with it, and staff, for every page, image, text, find, link and file."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from broadsheet.epaper import links
from broadsheet.epaper.models import Edition, Page
from tests import factories as f
from tests.epaper import builders as b

pytestmark = pytest.mark.django_db

OFFER = "E-paper is included with a subscription"


@pytest.fixture
def edition() -> Edition:
    f.publication()
    f.demo_plans()
    found, _ = b.published(3)
    return found


def page_urls(edition: Edition) -> dict[str, str]:
    printing = b.live_printing(edition)
    page = Page.objects.get(printing=printing, number=2)
    front = Page.objects.get(printing=printing, number=1)
    base = f"/epaper/{edition.date.isoformat()}/{edition.slug}"
    return {
        "image p2": f"/epaper/p/{printing.key}/2.webp",
        "image p1": f"/epaper/p/{printing.key}/1.webp",
        "thumb p2": f"/epaper/t/{printing.key}/2.webp",
        "text p2": f"/epaper/x/{printing.key}/2.json",
        "find": f"{base}/find/?q=story",
        "download": f"{base}/download/",
        "_front thumb": f"/epaper/t/{printing.key}/1.webp",
        "_page": f"{base}/2/",
        "_names": f"{page.image} {front.thumb}",
    }


def as_anonymous(client: Client) -> Client:
    return client


def as_registered(client: Client) -> Client:
    client.force_login(f.reader())
    return client


def as_subscriber_without_epaper(client: Client) -> Client:
    client.force_login(b.subscriber_without_epaper())
    return client


NOT_ENTITLED: list[Callable[[Client], Client]] = [as_anonymous, as_registered, as_subscriber_without_epaper]


@pytest.mark.parametrize("who", NOT_ENTITLED, ids=lambda w: w.__name__)
def test_readers_without_the_benefit_get_the_offer_and_no_page(client: Client, edition: Edition, who: Callable) -> None:
    client = who(client)
    urls = page_urls(edition)
    page = client.get(urls["_page"])
    body = page.content.decode()
    assert page.status_code == 200 and OFFER in body
    assert "Smart Essential" in body  # the plans, in the same paywall as articles
    assert urls["_front thumb"] in body  # the front page's thumbnail and nothing of the pages
    assert b.live_printing(edition).key + "/2" not in body and "/epaper/p/" not in body
    for name, url in urls.items():
        if name.startswith("_"):
            continue
        response = client.get(url)
        assert response.status_code in (302, 403), (name, response.status_code)
        if response.status_code == 302:  # the download sends them back to the offer
            assert response["Location"] == f"/epaper/{edition.date.isoformat()}/{edition.slug}/1/"
    thumb = client.get(urls["_front thumb"])
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/webp"


def test_a_subscriber_with_the_e_paper_gets_everything_privately(client: Client, edition: Edition) -> None:
    client.force_login(b.epaper_subscriber())
    urls = page_urls(edition)
    viewer = client.get(urls["_page"]).content.decode()
    assert OFFER not in viewer and urls["image p2"] in viewer
    for name, url in urls.items():
        if name.startswith("_"):
            continue
        response = client.get(url)
        assert response.status_code in (200, 302), name
        if name.startswith(("image", "thumb", "text")):
            assert response["Cache-Control"].startswith("private"), name
            assert "public" not in response["Cache-Control"]
    pdf = client.get(client.get(urls["download"])["Location"])
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")  # type: ignore[attr-defined]
    assert "attachment" in pdf["Content-Disposition"] and "private" in pdf["Cache-Control"]


def test_staff_see_the_pages_without_a_plan(client: Client, edition: Edition) -> None:
    client.force_login(f.reader(is_staff=True))
    assert client.get(page_urls(edition)["image p2"]).status_code == 200


def test_an_image_url_taken_from_a_subscriber_does_not_open_for_anyone_else(client: Client, edition: Edition) -> None:
    subscriber = Client()
    subscriber.force_login(b.epaper_subscriber())
    viewer = subscriber.get(page_urls(edition)["_page"]).content.decode()
    taken = re.findall(r"/epaper/p/[0-9a-f]{32}/\d+\.webp", viewer)
    assert taken and subscriber.get(taken[0]).status_code == 200
    for who in NOT_ENTITLED:
        other = who(Client())
        assert other.get(taken[0]).status_code == 403


def test_image_urls_cannot_be_guessed(client: Client, edition: Edition) -> None:
    client.force_login(b.epaper_subscriber())
    printing = b.live_printing(edition)
    assert re.fullmatch(r"[0-9a-f]{32}", printing.key)
    guessed = "0" * 32
    assert client.get(f"/epaper/p/{guessed}/2.webp").status_code == 404


def test_a_download_link_works_only_for_its_reader_and_for_minutes(
    client: Client, edition: Edition, settings: object
) -> None:
    owner = b.epaper_subscriber()
    client.force_login(owner)
    link = client.get(page_urls(edition)["download"])["Location"]
    assert client.get(link).status_code == 200

    other_device = Client()
    other_device.force_login(owner)  # the same reader signed in elsewhere
    assert other_device.get(link).status_code == 200

    someone_else = Client()
    someone_else.force_login(b.epaper_subscriber())
    refused = someone_else.get(link)
    assert refused.status_code == 403 and "made for another reader" in refused.content.decode()

    anonymous = Client().get(link)
    assert anonymous.status_code == 403 and "Log in to download" in anonymous.content.decode()

    settings.BROADSHEET_EPAPER_LINK_MINUTES = 10  # type: ignore[attr-defined]
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=11)):
        expired = client.get(link)
    assert expired.status_code == 403 and "has expired" in expired.content.decode()

    forged = link.replace(link.split("/")[3], links.download_token(user_id=owner.pk, printing_key="x" * 32) + "x")
    assert client.get(forged).status_code == 403


def test_a_link_stops_working_when_the_plan_no_longer_has_the_e_paper(client: Client, edition: Edition) -> None:
    owner = b.epaper_subscriber()
    client.force_login(owner)
    link = client.get(page_urls(edition)["download"])["Location"]
    from broadsheet.billing.models import Subscription
    from broadsheet.core import generations

    Subscription.objects.filter(user=owner).update(access_until=timezone.now() - timezone.timedelta(minutes=1))
    generations.bump("subscriptions")
    response = client.get(link)
    assert response.status_code == 403 and "no longer includes the e-paper" in response.content.decode()


def test_find_in_this_edition_answers_with_pages_snippets_and_boxes(client: Client) -> None:
    f.publication()
    found, _ = b.published(3, words="Kalyanpur harbour")
    client.force_login(b.epaper_subscriber())
    data = client.get(f"/epaper/{found.date.isoformat()}/{found.slug}/find/?q=kalyanpur HARBOUR").json()
    assert data["count"] == 6  # two stories a page, three pages
    assert {h["page"] for h in data["hits"]} == {1, 2, 3}
    hit = data["hits"][0]
    assert hit["match"].lower() == "kalyanpur harbour" and hit["boxes"]
    assert all(0 <= v <= 10000 for box in hit["boxes"] for v in box)
    bad = client.get(f"/epaper/{found.date.isoformat()}/{found.slug}/find/?q=" + "x" * 500)
    assert bad.status_code == 400 and "at most 100" in bad.json()["error"]


def test_the_latest_edition_opens_at_epaper_and_pages_live_in_the_url(client: Client) -> None:
    f.publication()
    older, _ = b.published(2, day=b.selectors.today() - timezone.timedelta(days=3))
    latest, _ = b.published(4)
    client.force_login(b.epaper_subscriber())
    assert client.get("/epaper/")["Location"] == f"/epaper/{latest.date.isoformat()}/mumbai/1/"
    page3 = client.get(f"/epaper/{latest.date.isoformat()}/mumbai/3/")
    assert page3.status_code == 200 and "Page <strong data-ep-number>3</strong> of 4" in page3.content.decode()
    assert client.get(f"/epaper/{latest.date.isoformat()}/mumbai/5/").status_code == 404
    archive = client.get("/epaper/archive/").content.decode()
    assert older.get_absolute_url() in archive and latest.get_absolute_url() in archive
    assert client.get(f"/epaper/{older.date.isoformat()}/")["Location"] == older.get_absolute_url()
    assert client.get("/epaper/2026-02-30/").status_code == 404


def test_an_edition_dated_ahead_is_not_shown_before_its_day(client: Client) -> None:
    f.publication()
    ahead, _ = b.published(2, day=b.selectors.today() + timezone.timedelta(days=1))
    client.force_login(b.epaper_subscriber())
    assert client.get(ahead.get_absolute_url()).status_code == 404
    assert client.get("/epaper/").status_code == 200  # "not out yet"


def test_the_edition_picker_lists_the_day_s_editions(client: Client) -> None:
    f.publication()
    mumbai, _ = b.published(2, edition="Mumbai")
    delhi, _ = b.published(2, edition="Delhi", day=mumbai.date)
    client.force_login(b.epaper_subscriber())
    body = client.get(mumbai.get_absolute_url()).content.decode()
    assert delhi.get_absolute_url() in body and 'aria-current="page">Mumbai' in body
    chooser = client.get(f"/epaper/{mumbai.date.isoformat()}/").content.decode()
    assert "Choose an edition" in chooser and delhi.get_absolute_url() in chooser


def test_a_page_image_costs_a_handful_of_queries(
    client: Client, edition: Edition, django_assert_max_num_queries: Any
) -> None:
    client.force_login(b.epaper_subscriber())
    url = page_urls(edition)["image p2"]
    assert client.get(url).status_code == 200  # benefits cached from here on
    with django_assert_max_num_queries(3):  # session, user, the page with its printing and edition
        assert client.get(url).status_code == 200


def test_the_account_page_leads_a_holder_to_today_s_edition(client: Client) -> None:
    f.publication()
    client.force_login(b.epaper_subscriber())
    assert '<a href="/epaper/">Read today\'s edition</a>' in client.get("/account/").content.decode()
    other = Client()
    other.force_login(b.subscriber_without_epaper())
    assert "Read today's edition" not in other.get("/account/").content.decode()
