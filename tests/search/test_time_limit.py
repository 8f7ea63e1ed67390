"""A search that runs past BROADSHEET_SEARCH_TIMEOUT_MS is stopped by the database itself and the
reader is told to narrow it: a friendly page, a clear API problem, never a 500 or a held worker."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import override_settings

from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db

STORIES = 3000  # enough that searching them all takes well over a millisecond on either engine


def _stories() -> None:
    f.publication()
    first = f.story(headline="Monsoon report", access=Article.Access.FREE).article
    Article.objects.bulk_create(
        Article(
            headline=f"Monsoon report number {i}",
            slug=f"monsoon-{i}",
            standfirst="Rain over the coast and the hills, monsoon again",
            body="<p>" + " ".join(["monsoon rain falls on the plains and the hills"] * 10) + "</p>",
            lead="<p>Monsoon rain.</p>",
            section=first.section,
            access=Article.Access.FREE,
            status=Article.Status.PUBLISHED,
            published_at=first.published_at,
        )
        for i in range(STORIES)
    )


@pytest.fixture
def corpus() -> None:
    _stories()


@override_settings(BROADSHEET_SEARCH_TIMEOUT_MS=1)
def test_a_search_past_the_limit_gets_advice_not_an_error(client: Client, corpus: None) -> None:
    started = time.monotonic()
    response = client.get("/search/", {"q": "monsoon rain"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "This search took too long" in page and "range of dates" in page
    assert "Monsoon report number" not in page  # no half-made list of results
    assert time.monotonic() - started < 5


@override_settings(BROADSHEET_SEARCH_TIMEOUT_MS=1)
def test_the_api_answers_a_slow_search_with_a_problem(client: Client, corpus: None) -> None:
    response = client.get("/api/v1/search", {"q": "monsoon rain"})
    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/problem+json")
    body = response.json()
    assert body["code"] == "search_too_slow" and "fewer or rarer words" in body["detail"]


def test_the_same_search_within_the_limit_finds_the_stories(client: Client, corpus: None) -> None:
    with override_settings(BROADSHEET_SEARCH_TIMEOUT_MS=1):
        assert "took too long" in client.get("/search/", {"q": "monsoon rain"}).content.decode()
    # The connection is fine afterwards and the limit was not left behind on it.
    with override_settings(BROADSHEET_SEARCH_TIMEOUT_MS=60_000):
        page = client.get("/search/", {"q": "monsoon rain"}).content.decode()
    assert "More than 1,000 stories" in page and "took too long" not in page
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            assert cursor.fetchone()[0] == "0"
