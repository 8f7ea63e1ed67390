"""Hostile headlines, standfirsts, author names and tags through every page type, in Chromium:
nothing stored can end a script early, hide the story, run code or blank the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Dialog, Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.newsroom.models import Article, Author, Tag
from tests import factories as f

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

HOSTILE = [
    "Harbour <!--<script> news",
    "Harbour </script><script>document.title='owned';alert(1)</script> news",
    "Harbour <!-- comment opens",
    "Harbour ]]> & <![CDATA[ news",
    "Harbour \"quoted\" 'and' <b>bold</b> news",
]


def hostile_stories() -> list[f.Story]:
    stories = []
    for n, text in enumerate(HOSTILE):
        story = f.story(access=Article.Access.FREE, headline=f"{text} {n}", paragraphs=3)
        story.article.standfirst = f"Standfirst {text}"
        story.article.save()
        author = Author.objects.create(name=f"Asha {text} {n}", slug=f"asha-{n}")
        story.article.authors.set([author])
        story.article.tags.add(Tag.objects.create(name=f"Tag {text}", slug=f"tag-{n}"))
        stories.append(story)
    return stories


def expect_page_whole(page: Page) -> None:
    """The page's own furniture after the story is there: nothing swallowed it."""
    expect(page.locator("footer.site-footer")).to_be_visible()
    expect(page.locator("footer.site-footer")).to_contain_text("RSS")


def test_hostile_text_stays_text_on_every_page_type(
    page: Page, live_server: LiveServer, settings: object, screenshot_dir: Path
) -> None:
    settings.SITE_URL = live_server.url  # type: ignore[attr-defined]
    f.publication(name="The Test Gazette")
    f.demo_plans()
    stories = hostile_stories()
    dialogs: list[str] = []

    def refuse(dialog: Dialog) -> None:
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", refuse)
    base = live_server.url

    for path in ("/", stories[0].article.section.get_absolute_url()):
        page.goto(base + path)
        for story in stories:
            # A front shows a story as the lead, a card, or a line of the compact Latest list.
            link = page.get_by_role("link", name=story.article.headline, exact=True)
            expect(link.first).to_be_visible()
            teaser = page.locator(".card, .lead-story", has=link).locator(".card-standfirst, .lead-standfirst")
            if teaser.count():
                expect(teaser.first).to_have_text(story.article.standfirst)
        expect_page_whole(page)
        page.screenshot(path=str(screenshot_dir / f"hostile{path.replace('/', '-')}.png"), full_page=True)

    for n, story in enumerate(stories):
        article = story.article
        page.goto(base + story.url)
        expect(page.locator("#story-headline")).to_have_text(article.headline)
        expect(page.locator(".standfirst")).to_have_text(article.standfirst)
        for token in story.tokens:
            expect(page.get_by_text(token)).to_be_visible()
        author = article.authors.get()
        expect(page.locator(".byline").get_by_role("link", name=author.name, exact=True)).to_be_visible()
        expect_page_whole(page)
        assert page.title() == f"{article.headline} · The Test Gazette"
        data = page.evaluate("JSON.parse(document.querySelector('script[type=\"application/ld+json\"]').textContent)")
        assert data["headline"] == article.headline and data["description"] == article.standfirst
        assert [(a["@type"], a["name"]) for a in data["author"]] == [("Person", author.name)]
        page.screenshot(path=str(screenshot_dir / f"hostile-article-{n}.png"), full_page=True)

        page.goto(base + author.get_absolute_url())
        expect(page.locator("main h1")).to_have_text(author.name)
        expect(page.get_by_role("link", name=article.headline, exact=True)).to_be_visible()
        expect_page_whole(page)
        assert page.title() == f"{author.name} · The Test Gazette"

    assert not dialogs, f"stored text ran as script: {dialogs}"
