"""What the HTML checker, axe, Lighthouse and extruct found, each fixed and held here."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser
from importlib import import_module

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.cookie import CookieStorage
from django.template import Context, Template
from django.test import Client

from broadsheet.ads.models import AdSlot
from broadsheet.newsroom.models import Article
from broadsheet.pictures.demo_art import masthead_logo
from broadsheet.pictures.services import picture_create
from tests import factories as f

pytestmark = pytest.mark.django_db
HOUSE_ADS = import_module("broadsheet.ads.migrations.0002_house_ads").HOUSE_ADS


class _Outline(HTMLParser):
    """Headings in order, landmark names, and the elements by id with their text."""

    def __init__(self) -> None:
        super().__init__()
        self.headings: list[int] = []
        self.labels: list[str] = []
        self.text_by_id: dict[str, str] = {}
        self.described: list[str] = []
        self.stack: list[tuple[str, str | None]] = []
        self.parents_of_ul: list[list[str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag in ("aside", "nav", "section") and a.get("aria-label"):
            self.labels.append(f"{tag}:{a['aria-label']}")
        if a.get("aria-describedby"):
            self.described += str(a["aria-describedby"]).split()
        if tag == "ul":
            self.parents_of_ul.append([t for t, _ in self.stack])
        if tag not in ("input", "img", "br", "meta", "link", "source", "hr"):
            self.stack.append((tag, a.get("id")))
            if a.get("id"):
                self.text_by_id.setdefault(str(a["id"]), "")

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        for _, ident in self.stack:
            if ident:
                self.text_by_id[ident] += data


def outline(html: str) -> _Outline:
    parser = _Outline()
    parser.feed(html)
    return parser


def test_signup_password_help_is_a_real_element_the_field_points_at(client: Client) -> None:
    f.publication()
    page = outline(client.get("/accounts/signup/").content.decode())
    assert page.described, "no field is described by its help text"
    for ident in page.described:
        assert page.text_by_id.get(ident, "").strip(), f"aria-describedby points at an empty or missing #{ident}"
    for parents in page.parents_of_ul:
        assert "p" not in parents and "span" not in parents, f"a list inside {parents}"


def test_subscribe_headings_go_in_order_and_ad_landmarks_have_names_of_their_own(client: Client) -> None:
    f.publication()
    f.demo_plans()
    for place, snippet in HOUSE_ADS.items():
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})
    page = outline(client.get("/subscribe/").content.decode())
    assert page.headings[0] == 1
    assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), page.headings
    story = outline(client.get(f.story(paragraphs=6).url).content.decode())
    assert len(story.labels) == len(set(story.labels)), story.labels
    assert sum(label.startswith("aside:Advertisement") for label in story.labels) == 3


def test_flash_messages_are_a_status_region_around_a_list(client: Client) -> None:
    f.publication()
    user = f.reader()
    client.force_login(user)
    response = client.get("/account/")
    storage = CookieStorage(response.wsgi_request)
    storage.add(constants.SUCCESS, "Saved.")
    storage.update(response)
    client.cookies.update(response.cookies)
    body = client.get("/account/").content.decode()
    assert '<ul class="messages" role="status">' not in body
    assert re.search(r'<div class="messages" role="status"><ul>.*Saved\.', body, re.S)


def test_news_article_json_ld_has_image_author_url_and_publisher_logo(client: Client, settings: object) -> None:
    settings.SITE_URL = "https://news.example.in"  # type: ignore[attr-defined]
    pub = f.publication()
    art = masthead_logo(pub.name)
    pub.logo = picture_create(data=art.png, name="logo.png", alt="Logo")
    pub.save()
    story = f.story()
    body = client.get(story.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', body, re.S).group(1))
    assert data["author"] == [
        {"@type": "Person", "name": "Asha Rao", "url": "https://news.example.in/author/asha-rao/"}
    ]
    logo = data["publisher"]["logo"]
    assert logo["url"].startswith("https://news.example.in/media/pictures/") and logo["width"] == 800
    assert data["publisher"]["name"] == pub.name


def test_the_locked_part_is_marked_the_same_way_open_or_blocked_and_never_on_a_free_story(client: Client) -> None:
    f.publication(anonymous_free_limit=0)
    f.demo_plans()
    locked = f.story(access=Article.Access.PREMIUM)
    free = f.story(access=Article.Access.FREE)
    blocked = client.get(locked.url).content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', blocked, re.S).group(1))
    selector = data["hasPart"]["cssSelector"]
    assert selector == ".article-locked"
    assert '<div class="article-locked">' in blocked  # the blocked page carries the marked part: the offer
    assert all(tok not in blocked for tok in locked.locked_tokens)
    subscriber = Client()
    subscriber.force_login(f.subscriber())
    opened = subscriber.get(locked.url).content.decode()
    marked = opened[opened.index('<div class="article-locked">') :]
    assert locked.tokens[-1] in marked
    free_page = client.get(free.url).content.decode()
    assert "article-locked" not in free_page and '"hasPart"' not in free_page


def test_the_favicon_is_served_and_linked(client: Client) -> None:
    f.publication()
    icon = client.get("/favicon.ico")
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    home = client.get("/").content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in home
    assert re.search(r'<link rel="icon" href="/static/favicon(\.\w+)?\.svg" type="image/svg\+xml">', home)


def test_the_sitemap_lists_the_home_page(client: Client, settings: object) -> None:
    f.publication()
    f.story()
    xml = client.get("/sitemap.xml").content.decode()
    assert re.search(r"<loc>https?://[^/<]+/</loc>", xml), "the home page is missing"


def test_every_page_has_a_content_security_policy_and_house_ads_need_nothing_more(client: Client) -> None:
    f.publication()
    for place, snippet in HOUSE_ADS.items():
        AdSlot.objects.update_or_create(place=place, defaults={"snippet": snippet, "active": True})
    response = client.get(f.story().url)
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    assert "'unsafe-inline'" not in policy
    assert "<script" not in "".join(HOUSE_ADS.values()) and "style=" not in "".join(HOUSE_ADS.values())


def test_inline_ad_scripts_get_the_page_nonce() -> None:
    snippet = '<script>var slot = 1;</script><script src="https://ads.example/x.js"></script>'
    html = Template('{% load ads %}{% ad_slot "header" %}').render(
        Context({"ads": {"header": snippet}, "csp_nonce": "n0nce"})
    )
    assert html.count('<script nonce="n0nce"') == 2
