"""Whatever is already stored, the feed, the sitemaps and the article's JSON-LD stay well formed.

The rows are written with `update()`, past every check on the way in (wire ingest, the
admin, `Article.save`), as an old import or a hand-edited database would leave them.
"""

from __future__ import annotations

import json
import re
from xml.etree import ElementTree as ET

import pytest
from django.db import connection
from django.test import Client

from broadsheet.newsroom.models import Agency, Article, Author, Publication, Section, Tag
from tests import factories as f

pytestmark = pytest.mark.django_db

# What XML 1.0 cannot carry (PostgreSQL refuses NUL itself, so it is tried on SQLite only).
NOT_XML = "\x01\x08\x0b\x0c\x1b\x1f\ufffe\uffff"


def nul() -> str:
    return "\x00" if connection.vendor == "sqlite" else ""


@pytest.fixture
def hostile() -> Article:
    f.publication(name="The Test Gazette")
    f.demo_plans()
    story = f.story(access=Article.Access.FREE, wire=f.agency("PNS")).article
    Article.objects.filter(pk=story.pk).update(
        headline=f"Harbour{NOT_XML}{nul()} news",
        standfirst=f"Tide{NOT_XML} tables",
        body=f"<p>First{NOT_XML}{nul()} paragraph.</p><p>Second paragraph.</p>",
        lead=f"<p>First{NOT_XML} paragraph.</p>",
    )
    Section.objects.filter(pk=story.section_id).update(name=f"News{NOT_XML}")
    Publication.objects.update(name=f"The Test{NOT_XML} Gazette", tagline=f"Daily{NOT_XML}")
    Agency.objects.update(name=f"PNS{NOT_XML} Wire")
    return Article.objects.get(pk=story.pk)


def test_the_feed_survives_control_characters_in_every_stored_field(client: Client, hostile: Article) -> None:
    response = client.get("/feed/")
    assert response.status_code == 200
    rss = ET.fromstring(response.content)
    assert rss.findtext("channel/title") == "The Test Gazette"
    assert rss.findtext("channel/description") == "Daily"
    item = rss.find("channel/item")
    assert item is not None
    assert item.findtext("title") == "Harbour news"
    assert item.findtext("category") == "News"
    assert "First paragraph." in item.findtext("description", "") and "Tide tables" in item.findtext("description", "")


def test_both_sitemaps_stay_well_formed(client: Client, hostile: Article) -> None:
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9", "n": "http://www.google.com/schemas/sitemap-news/0.9"}
    news = ET.fromstring(client.get("/news-sitemap.xml").content)
    assert news.findtext("s:url/n:news/n:title", namespaces=ns) == "Harbour news"
    assert news.findtext("s:url/n:news/n:publication/n:name", namespaces=ns) == "The Test Gazette"
    sitemap = ET.fromstring(client.get("/sitemap.xml").content)
    assert any(hostile.get_absolute_url() in (loc.text or "") for loc in sitemap.iter(f"{{{ns['s']}}}loc"))


SCRIPT_BREAKERS = [
    "Harbour <!--<script> news",
    "Harbour </script><script>document.title='owned'</script> news",
    "Harbour <!-- news",
    "Harbour ]]> & <![CDATA[ news",
    "Harbour \u2028 line \u2029 news",
]


@pytest.mark.parametrize("headline", SCRIPT_BREAKERS)
def test_json_ld_escapes_what_could_end_or_bend_its_script(client: Client, headline: str) -> None:
    f.publication(name="The Test Gazette")
    f.demo_plans()
    story = f.story(access=Article.Access.FREE)
    Article.objects.filter(pk=story.article.pk).update(headline=headline, standfirst=f"Also {headline}")
    author = Author.objects.get()
    Author.objects.filter(pk=author.pk).update(name=f"Asha {headline}")
    story.article.tags.add(Tag.objects.create(name=headline, slug="hostile"))
    page = client.get(story.url).content.decode()
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1
    assert not set("<>&") & set(blocks[0]), "raw <, > or & inside the script"
    data = json.loads(blocks[0])
    assert data["headline"] == headline and data["description"] == f"Also {headline}"
    assert [a["name"] for a in data["author"]] == [f"Asha {headline}"]
    assert story.tokens[-1] in page.split("</script>", 1)[1], "the story's text is outside every script"


def test_text_saved_through_the_models_is_normalised_as_wire_copy_is(client: Client) -> None:
    f.publication(name="The Test\u202e Gazette")
    f.demo_plans()
    story = f.story(headline="Port \u202eedart\u202c opens\x1b", access=Article.Access.FREE)
    author = Author.objects.get()
    author.name = "Asha\x0b Rao\u2066"
    author.save()
    story.article.body = "<p>Cafe\u0301\x1b paragraph.</p>"
    story.article.save()
    story.article.refresh_from_db()
    assert story.article.headline == "Port edart opens"
    assert story.article.body == "<p>Café paragraph.</p>"
    assert Author.objects.get().name == "Asha Rao"
    assert Publication.objects.get().name == "The Test Gazette"
    page = client.get(story.url).content.decode()
    assert "<title>Port edart opens · The Test Gazette</title>" in page
