"""Pictures on pages: a lead picture with its renditions, fronts, og:image and JSON-LD; body pictures lazy."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.pictures.builders import picture

pytestmark = pytest.mark.django_db


def _json_ld(body: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S)
    assert match
    data: dict = json.loads(match.group(1))
    return data


@pytest.fixture
def pictured() -> f.Story:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.FREE)
    story.article.lead_picture = picture("lead", chart=True, alt="Line chart of the test index")
    story.article.save()
    return story


def test_the_lead_picture_is_served_in_renditions_with_its_size_alt_and_caption(
    client: Client, pictured: f.Story
) -> None:
    pic = pictured.article.lead_picture
    body = client.get(pictured.url).content.decode()
    figure = body[body.index('<figure class="lead-figure">') :]
    figure = figure[: figure.index("</figure>")]
    assert f'type="image/webp" srcset="/media/pictures/{pic.key}-480.webp 480w' in figure
    assert f"/media/pictures/{pic.key}-1200.webp 1200w" in figure
    assert f'src="/media/pictures/{pic.key}-800.jpg"' in figure
    assert 'width="800" height="450"' in figure
    assert 'alt="Line chart of the test index"' in figure
    assert 'sizes="' in figure and 'loading="lazy"' not in figure  # the lead is above the fold
    assert "A caption" in figure and "Test Desk" in figure
    assert pic.original_name not in body and "picture-originals" not in body


def test_og_image_and_json_ld_carry_the_lead_picture(client: Client, pictured: f.Story, settings: object) -> None:
    settings.SITE_URL = "https://news.example.in"  # type: ignore[attr-defined]
    pic = pictured.article.lead_picture
    body = client.get(pictured.url).content.decode()
    url = f"https://news.example.in/media/pictures/{pic.key}-1200.jpg"
    assert f'<meta property="og:image" content="{url}">' in body
    assert f'<meta name="twitter:image" content="{url}">' in body
    assert '<meta name="twitter:card" content="summary_large_image">' in body
    data = _json_ld(body)
    assert data["image"] == [{"@type": "ImageObject", "url": url, "width": 1200, "height": 675}]


def test_fronts_show_pictures_lazily_below_the_lead(client: Client, pictured: f.Story) -> None:
    others = [f.story() for _ in range(3)]
    for n, story in enumerate(others):
        story.article.lead_picture = picture(f"card{n}")
        story.article.is_top_story = n == 0
        story.article.save()
    home = client.get("/").content.decode()
    lead = others[0].article.lead_picture
    assert f"/media/pictures/{lead.key}-800.jpg" in home  # the lead story, eager
    lead_block = home[home.index('class="lead-story') : home.index("</article>", home.index('class="lead-story'))]
    assert 'loading="lazy"' not in lead_block
    for story in others[1:]:
        assert f"/media/pictures/{story.article.lead_picture.key}-800.jpg" in home
    cards = re.findall(r"<picture class=\"pic\">.*?</picture>", home[home.index("front-tier") :], re.S)
    assert cards and all('loading="lazy"' in c and "width=" in c and "height=" in c for c in cards)
    assert all("fetchpriority" not in c for c in cards)
    # On a phone a card's picture is a 7.5rem thumbnail: the browser picks the smallest rendition.
    assert all('sizes="(min-width: 72rem) 17rem, (min-width: 48.0625rem) 45vw, 7.5rem"' in c for c in cards)


def test_pictures_inside_the_body_become_lazy_renditions(client: Client) -> None:
    f.publication()
    pic = picture("body")
    story = f.story(access=Article.Access.FREE)
    img = f'<img src="/media/pictures/{pic.key}-800.jpg" alt="Cranes &amp; ships">'
    story.article.body += f"<figure>{img}<figcaption>At the port</figcaption></figure>"
    story.article.save()
    body = client.get(story.url).content.decode()
    assert f'<source type="image/webp" srcset="/media/pictures/{pic.key}-480.webp 480w' in body
    assert 'alt="Cranes &amp; ships"' in body
    assert re.search(r'<picture class="pic body-pic">.*?loading="lazy".*?</picture>', body, re.S)
