"""No page text of an edition reaches a reader without the e-paper benefit, by any channel.

The demo editions are laid out from the demo stories with a unique reference
code on every page; the test asks for every page a reader can reach (the
e-paper's own, the site's pages and public documents) as each kind of reader
without the benefit and looks for any page's code in the response. A reader with
the benefit finds the codes, so the search would see them if they leaked.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.test import Client

from broadsheet.epaper import demo
from broadsheet.epaper.models import Edition, Page
from tests.epaper import builders as b
from tests.search.test_epaper_pages import echo_removed

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_papers(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Two days of demo editions (and today's Delhi), as `make demo` lays them out."""
    monkeypatch.setattr(demo, "DAYS", 2)
    monkeypatch.setattr(demo, "PAGES", 3)
    call_command("seed_demo", verbosity=0)
    made = demo.demo_editions(progress=lambda line: None)
    assert made["created"] == 3
    codes: dict[str, list[str]] = {}
    for edition in Edition.objects.all():
        pages = Page.objects.filter(printing__live_for=edition).order_by("number")
        codes[edition.get_absolute_url()] = [demo.page_code(edition.date, edition.slug, p.number) for p in pages]
        for page, code in zip(pages, codes[edition.get_absolute_url()], strict=True):
            assert code in page.text  # the code is in the page's text, so a leak would carry it
    return codes


def reachable(client: Client, codes: dict[str, list[str]]) -> list[str]:
    """Every address a reader can reach from the e-paper, the site's pages and its public documents."""
    urls = ["/", "/epaper/", "/epaper/archive/", "/feed/", "/sitemap.xml", "/news-sitemap.xml", "/subscribe/"]
    for first_page, pages in codes.items():
        base = first_page.rsplit("/", 2)[0]
        urls += [f"{base}/{n}/" for n in range(1, len(pages) + 1)]
        urls += [f"{base}/find/?q=the", f"{base}/download/", base.rsplit("/", 1)[0] + "/"]
        urls += [f"/search/?q={code}" for code in pages]  # the pages' text joins site search
    for edition in Edition.objects.select_related("current"):
        key = edition.current.key  # type: ignore[union-attr]
        for page in Page.objects.filter(printing__live_for=edition):
            urls += [f"/epaper/x/{key}/{page.number}.json", f"/epaper/p/{key}/{page.number}.webp"]
    found = set()
    for url in urls:
        body = body_of(client.get(url, follow=True))
        found.update(re.findall(r'href="(/[^"#?]*)"', body))
    return urls + sorted(u for u in found if not u.startswith(("/admin", "/accounts/logout", "/static")))


def body_of(response: object) -> str:
    streaming = getattr(response, "streaming", False)
    content = b"".join(response.streaming_content) if streaming else response.content  # type: ignore[attr-defined]
    return content.decode("utf-8", "replace")


def leaks(client: Client, codes: dict[str, list[str]]) -> dict[str, list[str]]:
    every_code = [c for page_codes in codes.values() for c in page_codes]
    found: dict[str, list[str]] = {}
    for url in reachable(client, codes):
        text = body_of(client.get(url, follow=True))
        if url.startswith("/search/?q="):
            text = echo_removed(text, url.removeprefix("/search/?q="))
        hit = [c for c in every_code if c in text]
        if hit:
            found[url] = hit
    return found


@pytest.mark.slow
def test_no_page_text_reaches_readers_without_the_e_paper(demo_papers: dict[str, list[str]]) -> None:
    from broadsheet.readers.models import User

    registered = Client()
    registered.force_login(User.objects.get(email="reader@example.com"))
    without = Client()
    without.force_login(b.subscriber_without_epaper())
    for name, client in [("anonymous", Client()), ("registered", registered), ("plan without e-paper", without)]:
        assert leaks(client, demo_papers) == {}, name

    # The same search finds the codes where they are served: to the demo subscriber, whose plan has the e-paper.
    subscriber = Client()
    subscriber.force_login(User.objects.get(email="subscriber@example.com"))
    found = leaks(subscriber, demo_papers)
    assert any("/epaper/x/" in url for url in found)
    assert any(url.startswith("/search/") for url in found)
