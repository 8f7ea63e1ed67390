"""Clippings: an entitled reader cuts a region out of a page; anyone may open its page,
which shows that region only, the edition's name and date, and the offer."""

from __future__ import annotations

import io
import re

import pytest
from django.test import Client
from PIL import Image

from broadsheet.epaper.models import Clipping, Page
from tests import factories as f
from tests.epaper import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def edition():  # type: ignore[no-untyped-def]
    f.publication()
    f.demo_plans()
    found, built = b.published(2)
    return found, built


def clip(client: Client, edition, number: int = 1, **rect: float):  # type: ignore[no-untyped-def]
    data = {"left": 0.1, "top": 0.2, "width": 0.4, "height": 0.25, **rect}
    return client.post(f"/epaper/{edition.date.isoformat()}/{edition.slug}/{number}/clip/", data)


def image_of(response) -> Image.Image:  # type: ignore[no-untyped-def]
    return Image.open(io.BytesIO(b"".join(response.streaming_content)))


def test_a_clipping_shows_only_its_region_to_anyone(client: Client, edition) -> None:  # type: ignore[no-untyped-def]
    found, built = edition
    client.force_login(b.epaper_subscriber())
    made = clip(client, found)
    assert made.status_code == 201
    url = made.json()["url"]
    page = Page.objects.get(printing__live_for=found, number=1)

    anonymous = Client()
    shown = anonymous.get(url)
    body = shown.content.decode()
    assert shown.status_code == 200
    assert "Mumbai edition" in body and found.date.strftime("%B %Y") in body
    assert "E-paper is included with a subscription" in body and "Smart Essential" in body
    src = re.search(r'<figure><img src="([^"]+)"', body).group(1)  # type: ignore[union-attr]
    picture = image_of(anonymous.get(src))
    assert picture.size == (round(0.4 * page.width), round(0.25 * page.height))
    assert picture.width * picture.height < page.width * page.height / 4
    printing = b.live_printing(found)
    assert printing.key not in body and "/epaper/p/" not in body and "/epaper/t/" not in body
    assert not any(token in body for token in built.tokens)  # the page's text stays behind the paywall
    assert anonymous.get(f"/epaper/p/{printing.key}/1.webp").status_code == 403


def test_readers_without_the_benefit_cannot_make_clippings(client: Client, edition) -> None:  # type: ignore[no-untyped-def]
    found, _ = edition
    assert clip(Client(), found).status_code == 403
    client.force_login(b.subscriber_without_epaper())
    assert clip(client, found).status_code == 403
    assert Clipping.objects.count() == 0


def test_a_clipping_of_most_of_the_page_is_refused(client: Client, edition) -> None:  # type: ignore[no-untyped-def]
    found, _ = edition
    client.force_login(b.epaper_subscriber())
    refused = clip(client, found, left=0, top=0, width=1, height=0.9)
    assert refused.status_code == 400 and "at most 50% of the page" in refused.json()["error"]
    odd = clip(client, found, left="one", top=0, width=0.2, height=0.2)
    assert odd.status_code == 400 and "not a rectangle" in odd.json()["error"]
    assert Clipping.objects.count() == 0


def test_a_clipping_outlives_the_edition_being_replaced(client: Client, edition) -> None:  # type: ignore[no-untyped-def]
    found, _ = edition
    client.force_login(b.epaper_subscriber())
    url = clip(client, found).json()["url"]
    b.published(3, day=found.date)  # the desk uploads a corrected edition
    assert Client().get(url).status_code == 200


def test_an_unpublished_edition_takes_its_clippings_down(client: Client, edition) -> None:  # type: ignore[no-untyped-def]
    found, _ = edition
    client.force_login(b.epaper_subscriber())
    url = clip(client, found).json()["url"]
    found.is_published = False
    found.save()
    assert Client().get(url).status_code == 404
