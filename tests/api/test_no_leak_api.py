"""The foundation's leak test through the API: no locked paragraph in any response to a
reader without the benefit, on every endpoint that returns story text or story lists;
and no e-paper page (its text, its images, a link to them) to a reader without the e-paper."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from broadsheet.epaper import conf as epaper_conf
from broadsheet.epaper.models import Edition, Page
from broadsheet.newsroom.models import Article
from broadsheet.readers.models import Device
from tests import factories as f
from tests.api.helpers import bearer, token_for
from tests.epaper import builders as b
from tests.epaper.conftest import epaper_storage  # noqa: F401 - each test its own e-paper storage
from tests.paywall.test_no_leak import assert_no_locked_text

pytestmark = pytest.mark.django_db

# Every endpoint that returns a story or a list of stories (the e-paper and search groups add theirs).
LIST_PATHS = [
    "/api/v1/front",
    "/api/v1/articles",
    "/api/v1/articles?section=news",
    "/api/v1/sections/news",
    "/api/v1/newsletters",
]


@pytest.fixture
def locked() -> list[f.Story]:
    f.publication(anonymous_free_limit=1, registered_free_limit=1)
    f.demo_plans()
    premium = f.story(access=Article.Access.PREMIUM)
    Article.objects.filter(pk=premium.article.pk).update(is_top_story=True)
    return [premium, f.story(), f.story()]


def _searches(stories: list[f.Story]) -> list[str]:
    """A search for every locked paragraph's token, and for a whole locked sentence."""
    paths = [f"/api/v1/search?q={token}" for s in stories for token in s.locked_tokens]
    paths += [f"/api/v1/search?q=story+{s.tokens[2]}+and+more&sort=newest" for s in stories]
    return paths


def _everything(client: Client, stories: list[f.Story], token: str | None) -> list[str]:
    bodies = [client.get(path, **bearer(token)).content.decode() for path in LIST_PATHS]
    # A search repeats the query it was asked (its `query` field); everything else must hold no locked text.
    for path in _searches(stories):
        found = client.get(path, **bearer(token)).json()
        bodies.append(json.dumps({key: value for key, value in found.items() if key != "query"}))
    bodies += [client.get(f"/api/v1/articles/{s.article.pk}", **bearer(token)).content.decode() for s in stories]
    return bodies


@pytest.mark.parametrize("who", ["anonymous", "registered token", "revoked subscriber token"])
def test_no_endpoint_gives_locked_text_to_a_reader_without_the_benefit(locked: list[f.Story], who: str) -> None:
    token = None
    if who == "registered token":
        token = token_for(f.reader())
    elif who == "revoked subscriber token":
        from broadsheet.readers.models import Device

        token = token_for(f.subscriber())
        Device.objects.update(revoked_at="2020-01-01T00:00:00Z")
    client = Client()
    premium, first, second = locked
    client.get(f"/api/v1/articles/{first.article.pk}", **bearer(token))  # uses the one free view (if any)
    bodies = _everything(client, [premium, second], token)
    for body in bodies:
        assert_no_locked_text(body, premium)
        assert_no_locked_text(body, second)
    for body in bodies:
        assert_no_locked_text(body, first)  # lists never carry text, even of a story this reader opened


def test_a_search_by_a_locked_token_finds_nothing_without_the_benefit(locked: list[f.Story]) -> None:
    premium = locked[0]
    for token in (None, token_for(f.reader())):
        found = Client().get(f"/api/v1/search?q={premium.tokens[3]}", **bearer(token)).json()
        assert found["total"] == 0 and found["results"] == []


def test_a_subscriber_search_finds_the_body_and_gets_the_snippet(locked: list[f.Story]) -> None:
    premium = locked[0]
    found = Client().get(f"/api/v1/search?q={premium.tokens[3]}", **bearer(token_for(f.subscriber()))).json()
    assert [r["story"]["id"] for r in found["results"]] == [premium.article.pk]
    assert f"<mark>{premium.tokens[3]}</mark>" in found["results"][0]["snippet_html"]


def test_the_subscriber_token_does_get_the_text(locked: list[f.Story]) -> None:
    premium = locked[0]
    body = Client().get(f"/api/v1/articles/{premium.article.pk}", **bearer(token_for(f.subscriber()))).content
    assert all(tok in body.decode() for tok in premium.tokens)


# The e-paper ---------------------------------------------------------------------------------


def _edition_paths(edition: Edition, pages: int) -> list[str]:
    base = f"/api/v1/epaper/editions/{edition.date.isoformat()}/{edition.slug}"
    return [base, f"{base}/download", *[f"{base}/pages/{n}" for n in range(1, pages + 2)]]


def _epaper_bodies(client: Client, editions: list[Edition], token: str | None) -> list[bytes]:
    day = editions[0].date.isoformat()
    paths = ["/api/v1/epaper/editions", f"/api/v1/epaper/editions?date={day}", "/api/v1/epaper/editions?limit=1"]
    for edition in editions:
        paths += _edition_paths(edition, pages=3)
    return [client.get(path, **bearer(token)).content for path in paths]


def _locked_files(editions: list[Edition]) -> list[bytes]:
    """Every stored page image and thumbnail but the front page's thumbnail (the teaser), and the PDFs."""
    storage = epaper_conf.storage()
    names = []
    for edition in editions:
        edition.refresh_from_db()
        names.append(edition.current.pdf)  # type: ignore[union-attr]
        for page in Page.objects.filter(printing__live_for=edition):
            names += [page.image] + ([page.thumb] if page.number > 1 else [])
    out = []
    for name in names:
        with storage.open(name, "rb") as handle:
            out.append(handle.read())
    return out


@pytest.fixture
def editions() -> tuple[list[Edition], list[str]]:
    f.publication()
    f.demo_plans()
    b.epaper_subscriber()  # the plan with the e-paper exists, so the offer names it
    mumbai, one = b.published(3, edition="Mumbai")
    delhi, two = b.published(3, edition="Delhi", day=mumbai.date)
    return [mumbai, delhi], one.tokens + two.tokens


@pytest.mark.parametrize(
    "who", ["anonymous", "registered token", "subscriber without the e-paper", "signed-out e-paper subscriber"]
)
def test_no_e_paper_page_text_image_or_link_reaches_a_reader_without_the_e_paper(
    editions: tuple[list[Edition], list[str]], who: str
) -> None:
    found, page_tokens = editions
    token = None
    if who == "registered token":
        token = token_for(f.reader())
    elif who == "subscriber without the e-paper":
        token = token_for(b.subscriber_without_epaper())
    elif who == "signed-out e-paper subscriber":
        owner = b.epaper_subscriber()
        token = token_for(owner)
        Device.objects.filter(user=owner).update(revoked_at="2020-01-01T00:00:00Z")
    client = Client()
    bodies = _epaper_bodies(client, found, token)
    files = _locked_files(found)
    for body in bodies:
        text = body.decode()
        assert not [t for t in page_tokens if t in text], "e-paper page text leaked"
        assert "?s=" not in text and "/epaper/pdf/" not in text, "a signed e-paper link leaked"
        assert not [data for data in files if data[:4096] in body], "e-paper file bytes leaked"
    # The image addresses themselves, asked with this reader's own token: refused.
    for edition in found:
        for page in Page.objects.filter(printing__live_for=edition):
            key = edition.current.key  # type: ignore[union-attr]
            for url in (f"/epaper/p/{key}/{page.number}.webp", f"/epaper/t/{key}/{page.number}.webp"):
                if url.startswith("/epaper/t/") and page.number == 1:
                    continue
                answer = client.get(url, **bearer(token))
                assert answer.status_code in (401, 403), url


def test_the_e_paper_subscriber_token_does_get_the_pages(editions: tuple[list[Edition], list[str]]) -> None:
    found, page_tokens = editions
    client = Client()
    text = b"".join(_epaper_bodies(client, found, token_for(b.epaper_subscriber()))).decode()
    assert all(t in text for t in page_tokens) and "?s=" in text
