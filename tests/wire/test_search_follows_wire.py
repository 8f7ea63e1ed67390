"""Search follows the wire: an update is found by its new words, a kill leaves the index at once."""

from __future__ import annotations

from django.test import Client

from broadsheet.newsroom.models import Article
from tests.wire.conftest import Desk


def _found(client: Client, text: str) -> str:
    return client.get("/search/", {"q": text}).content.decode()


def test_an_update_is_found_by_its_new_words_and_a_kill_removes_the_story(desk: Desk, client: Client) -> None:
    desk.drop("ninjs1/pns-markets-v1.json")
    desk.ingest()
    article = Article.objects.get()
    url = article.get_absolute_url()
    assert url in _found(client, "copper smelters")
    assert url not in _found(client, "corrected-copy-token")
    desk.drop("ninjs1/pns-markets-v2.json")
    desk.ingest()
    assert url in _found(client, "corrected-copy-token")
    desk.drop("ninjs1/pns-markets-kill.json")
    desk.ingest()
    assert Article.objects.get().status == Article.Status.WITHDRAWN
    page = _found(client, "copper smelters")
    assert url not in page and "No stories match" in page
