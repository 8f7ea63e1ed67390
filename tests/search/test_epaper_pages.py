"""The print edition's pages join search, for readers whose plan includes the e-paper, and no one else.

Each page of a rendered test edition carries its own token in its text (builders.edition_bytes).
A reader with the e-paper finds a page by its token, with the token marked in a snippet and a link
that opens the viewer at that page; every other reader gets no page, no snippet and no token."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client

from broadsheet.epaper import selectors
from broadsheet.epaper.models import Edition
from tests import factories as f
from tests.api.helpers import bearer, get, token_for
from tests.epaper import builders as b
from tests.epaper.conftest import epaper_storage  # noqa: F401  (each test its own storage)

pytestmark = pytest.mark.django_db


def search(client: Client, q: str, **params: str) -> str:
    response = client.get("/search/", {"q": q, **params})
    assert response.status_code == 200
    page = response.content.decode()
    assert "{{" not in page and "{%" not in page
    return page


def echo_removed(page: str, query: str) -> str:
    """The page without the places that show the reader's own query back (title, box, summary)."""
    page = re.sub(r"<title>.*?</title>", "", page, flags=re.S)
    return page.replace(f'value="{query}"', "").replace(f"<strong>{query}</strong>", "")


def signed_in(user: object) -> Client:
    client = Client()
    client.force_login(user)  # type: ignore[arg-type]
    return client


def test_a_reader_with_the_e_paper_finds_the_page_with_the_word_marked_and_a_link_to_it() -> None:
    f.publication()
    edition, built = b.published(3)
    page = search(signed_in(b.epaper_subscriber()), built.tokens[1])
    assert "In the print edition" in page
    assert f"<mark>{built.tokens[1]}</mark>" in page
    day = edition.date.isoformat()
    assert f'href="/epaper/{day}/mumbai/2/?find={built.tokens[1]}"' in page
    assert f"{edition.date.day} {edition.date:%B %Y} · page 2" in page
    assert built.tokens[0] not in page and built.tokens[2] not in page  # only the page that holds it
    assert "In the print edition" in search(signed_in(b.epaper_subscriber()), "second paragraph column")


@pytest.mark.parametrize("who", ["anonymous", "registered", "plan without e-paper"])
def test_no_one_else_learns_anything_of_the_pages(who: str) -> None:
    f.publication()
    _, built = b.published(3)
    if who == "anonymous":
        client = Client()
    elif who == "registered":
        client = signed_in(f.reader())
    else:
        client = signed_in(b.subscriber_without_epaper())
    for token in built.tokens:
        page = search(client, token)
        assert token not in echo_removed(page, token)
        assert "In the print edition" not in page and "/epaper/2" not in page
        assert "Readers with the" in page  # told what the e-paper would add, not what it holds
    # Words on every page: no page's token rides along in a snippet either.
    page = search(client, "second paragraph column")
    assert not [t for t in built.tokens if t in page]


def test_only_the_live_printing_of_a_published_edition_up_to_today_is_found() -> None:
    f.publication()
    reader = signed_in(b.epaper_subscriber())
    _, old = b.published(2, edition="Delhi")
    replaced, _ = b.published(2, edition="Delhi")  # the same date and edition again: the first printing is gone
    assert "In the print edition" not in search(reader, old.tokens[0])
    tomorrow, later = b.published(2, edition="Pune", day=selectors.today() + timedelta(days=1))
    assert "In the print edition" not in search(reader, later.tokens[0])
    hidden, unpublished = b.published(2, edition="Nagpur")
    Edition.objects.filter(pk=hidden.pk).update(is_published=False)
    assert "In the print edition" not in search(reader, unpublished.tokens[0])
    assert replaced.current is not None and tomorrow.pk != replaced.pk


def test_the_search_filters_apply_to_pages_as_they_can() -> None:
    f.publication()
    f.section("markets", "Markets")
    reader = signed_in(b.epaper_subscriber())
    edition, built = b.published(2)
    token = built.tokens[0]
    day = edition.date
    inside = {"published_from": (day - timedelta(days=1)).isoformat(), "published_to": day.isoformat()}
    before = {"published_to": (day - timedelta(days=1)).isoformat()}
    assert "In the print edition" in search(reader, token, **inside)
    assert "In the print edition" not in search(reader, token, **before)
    assert "In the print edition" not in search(reader, token, section="markets")  # a page has no section
    assert "In the print edition" in search(reader, token, sort="newest")
    assert "In the print edition" not in search(reader, token, page="2")


def test_rebuilding_the_index_keeps_the_pages_findable() -> None:
    f.publication()
    reader = signed_in(b.epaper_subscriber())
    _, built = b.published(2)
    call_command("search_rebuild", quiet=True, stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert f"<mark>{built.tokens[1]}</mark>" in search(reader, built.tokens[1])


def test_the_api_gives_the_pages_to_an_app_with_the_e_paper_and_null_to_others() -> None:
    f.publication()
    edition, built = b.published(2)
    token = built.tokens[1]
    status, body = get(Client(), f"/api/v1/search?q={token}", token_for(b.epaper_subscriber()))
    assert status == 200
    [hit] = body["print_pages"]
    assert (hit["date"], hit["slug"], hit["number"]) == (edition.date.isoformat(), "mumbai", 2)
    assert f"<mark>{token}</mark>" in hit["snippet_html"]
    assert hit["api_url"].endswith(f"/api/v1/epaper/editions/{edition.date.isoformat()}/mumbai/pages/2")
    for reader in (None, f.reader(), b.subscriber_without_epaper()):
        app_token = token_for(reader) if reader is not None else None
        response = Client().get("/api/v1/search", {"q": token}, **bearer(app_token))
        assert response.status_code == 200 and response.json()["print_pages"] is None
        assert token not in response.content.decode().replace(f'"query": "{token}"', "").replace(
            f'"query":"{token}"', ""
        )
