"""The search page: a box in every page's header, and a friendly answer to any query at all."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

ABSURD = [
    "x" * 10_000,
    "monsoon " * 2_000,
    "!!! ??? ... --- *** ((( )))",
    '"unbalanced quote monsoon',
    '""""""',
    "- - - -monsoon",
    "-monsoon",
    "the of and",
    "\u202e\u200b\u0000\ufeff monsoon \U0001f600",
    "मानसून केरल",
    "{{ free_limit }} {% csrf_token %}",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "NEAR(a b) AND OR NOT * ^ : {headline}",
]


@pytest.fixture
def paper() -> f.Story:
    f.publication()
    return f.story(headline="Monsoon reaches Kerala", access=Article.Access.FREE)


@pytest.mark.parametrize("text", ABSURD)
def test_an_absurd_query_gets_a_friendly_page(client: Client, paper: f.Story, text: str) -> None:
    response = client.get("/search/", {"q": text})
    assert response.status_code == 200
    page = response.content.decode()
    assert "<h1>Search</h1>" in page
    assert "{{" not in page and "{%" not in page and "<script>alert" not in page
    assert "No stories match" in page or "could not find a word" in page or "1 story" in page


def test_bytes_that_are_not_utf8_get_a_friendly_page(client: Client, paper: f.Story) -> None:
    response = client.get("/search/?q=%ED%A0%80%FF%C0monsoon")
    assert response.status_code == 200 and "<h1>Search</h1>" in response.content.decode()


def test_a_long_query_is_cut_and_the_reader_told(client: Client, paper: f.Story) -> None:
    page = client.get("/search/", {"q": "monsoon " + "x" * 10_000}).content.decode()
    assert "first 300 characters" in page and paper.article.get_absolute_url() in page


def test_exclusions_alone_are_explained(client: Client, paper: f.Story) -> None:
    page = client.get("/search/", {"q": "-monsoon"}).content.decode()
    assert "needs at least one word" in page


def test_bad_filters_are_ignored_with_a_note(client: Client, paper: f.Story) -> None:
    query = {"q": "monsoon", "section": "no-such", "published_from": "yesterday", "page": "-4", "sort": "x"}
    response = client.get("/search/", query)
    assert response.status_code == 200
    page = response.content.decode()
    assert "We ignored the" in page and paper.article.get_absolute_url() in page


def test_the_empty_page_explains_the_query_language(client: Client, paper: f.Story) -> None:
    page = client.get("/search/").content.decode()
    assert "Put a phrase in quotes" in page


@pytest.mark.parametrize("path", ["/", "/news/", "/subscribe/", "/newsletters/"])
def test_every_page_has_the_search_box_in_its_header(client: Client, paper: f.Story, path: str) -> None:
    page = client.get(path).content.decode()
    header = page.split("</header>")[0]
    assert '<form class="masthead-search" role="search" action="/search/"' in header


def test_the_article_page_has_the_search_box_too(client: Client, paper: f.Story) -> None:
    page = client.get(paper.url).content.decode()
    assert 'class="masthead-search"' in page.split("</header>")[0]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=400))
def test_no_query_breaks_the_page(client: Client, paper: f.Story, text: str) -> None:
    assert client.get("/search/", {"q": text}).status_code == 200
