"""A kill takes the story off every public surface in the same request cycle, and leaves a notice."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.wire.conftest import Desk
from tests.wire.test_ingest import article_of

pytestmark = pytest.mark.django_db
SURFACES = ("/feed/", "/sitemap.xml", "/news-sitemap.xml", "/", "/business/")


@pytest.mark.parametrize(
    ("files", "kill", "guid", "token"),
    [
        (["ninjs1/pns-markets-v1.json"], "ninjs1/pns-markets-kill.json", "urn:pns:2026:markets-001", "Copper futures"),
        (["rss/pns-feed.xml"], "rss/pns-feed-later.xml", "pns-walk-031", "Heritage walk"),
    ],
)
def test_a_killed_story_vanishes_everywhere_at_once(
    desk: Desk, client: Client, files: list[str], kill: str, guid: str, token: str
) -> None:
    desk.drop(*files)
    desk.ingest()
    article = article_of(guid)
    url = article.get_absolute_url()
    surfaces = (*SURFACES, article.section.get_absolute_url())
    assert client.get(url).status_code == 200
    for path in surfaces:  # warm every cache
        client.get(path)
    assert token in client.get("/feed/").content.decode()
    desk.drop(kill)
    desk.ingest()
    response = client.get(url)
    assert response.status_code == 410
    assert "withdrawn this story" in response.content.decode()
    for path in surfaces:
        body = client.get(path).content.decode()
        assert url not in body and token not in body, path


def test_later_copies_of_a_killed_story_are_dropped(desk: Desk) -> None:
    desk.drop("ninjs1/pns-markets-v1.json", "ninjs1/pns-markets-kill.json")
    desk.ingest()
    desk.drop("ninjs1/pns-markets-v2.json")
    tally = desk.ingest()
    assert dict(tally.items) == {"duplicate": 1}
    assert article_of("urn:pns:2026:markets-001").status == "withdrawn"
