"""Parallel requests never let a reader past the meter (SQLite and PostgreSQL + Redis)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from broadsheet.paywall.identity import reader_cookie_value
from tests import factories as f

pytestmark = pytest.mark.django_db(transaction=True)

STORES = ["broadsheet.paywall.meter.DatabaseMeterStore"]
if settings.REDIS_URL:
    STORES.append("broadsheet.paywall.meter.RedisMeterStore")


@pytest.fixture(params=STORES, ids=lambda p: p.rsplit(".", 1)[-1], autouse=True)
def meter_store(request: pytest.FixtureRequest, settings: object) -> str:
    """Every store the configuration offers is held to the same exact count."""
    settings.BROADSHEET_METER_STORE = request.param  # type: ignore[attr-defined]
    return str(request.param)


PARALLEL = 40
LIMIT = 5


def _is_open(client: Client, story: f.Story) -> bool:
    return story.tokens[-1] in client.get(story.url).content.decode()


def _open_in_parallel(stories: list[f.Story], make_client: Callable[[], Client]) -> list[bool]:
    barrier = threading.Barrier(len(stories))

    def fetch(story: f.Story) -> bool:
        client = make_client()
        barrier.wait()
        try:
            return _is_open(client, story)
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(stories)) as pool:
        return list(pool.map(fetch, stories))


def _stories() -> list[f.Story]:
    f.publication(anonymous_free_limit=LIMIT, registered_free_limit=LIMIT)
    f.demo_plans()
    return [f.story() for _ in range(PARALLEL)]


def test_forty_parallel_views_by_one_anonymous_reader_open_exactly_the_limit() -> None:
    stories = _stories()
    cookie = reader_cookie_value("parallel-reader")

    def make_client() -> Client:
        c = Client()
        c.cookies[settings.BROADSHEET_READER_COOKIE] = cookie
        return c

    opened = _open_in_parallel(stories, make_client)
    assert sum(opened) == LIMIT


def test_forty_parallel_views_by_one_registered_reader_open_exactly_the_limit() -> None:
    stories = _stories()
    user = f.reader()

    def make_client() -> Client:
        c = Client()
        c.force_login(user)
        return c

    opened = _open_in_parallel(stories, make_client)
    assert sum(opened) == LIMIT
    # And what opened stays open: re-reading those is free, the others stay shut.
    c = make_client()
    reopened = [_is_open(c, s) for s in stories]
    assert reopened == opened


def test_forty_parallel_cookie_less_views_from_one_network_open_exactly_its_ceiling(settings: object) -> None:
    """Cookie-less browsers each get their own allowance; the network's ceiling holds under concurrency."""
    settings.BROADSHEET_NETWORK_FREE_MULTIPLE = 3  # type: ignore[attr-defined]
    stories = _stories()
    opened = _open_in_parallel(
        stories, lambda: Client(HTTP_USER_AGENT="Shared/1.0", REMOTE_ADDR="100.64.0.10", HTTP_ACCEPT_LANGUAGE="hi-IN")
    )
    assert sum(opened) == 3 * LIMIT
