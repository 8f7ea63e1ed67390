"""One meter per reader across the web and the app, exact under parallel API requests."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from tests import factories as f
from tests.api.helpers import bearer, get, send, token_for

LIMIT = 5
STORES = ["broadsheet.paywall.meter.DatabaseMeterStore"]
if settings.REDIS_URL:
    STORES.append("broadsheet.paywall.meter.RedisMeterStore")


@pytest.fixture(params=STORES, ids=lambda p: p.rsplit(".", 1)[-1])
def meter_store(request: pytest.FixtureRequest, settings: object) -> str:
    settings.BROADSHEET_METER_STORE = request.param  # type: ignore[attr-defined]
    return str(request.param)


def _opened_on_web(client: Client, story: f.Story) -> bool:
    return story.tokens[-1] in client.get(story.url).content.decode()


def _opened_in_app(token: str, story: f.Story) -> bool:
    body = get(Client(), f"/api/v1/articles/{story.article.pk}", token)[1]
    return bool(body["open"]) and story.tokens[-1] in body["body_html"]


@pytest.mark.django_db
def test_three_on_the_web_and_three_others_in_the_app_open_exactly_five(meter_store: str) -> None:
    f.publication(anonymous_free_limit=LIMIT, registered_free_limit=LIMIT)
    f.demo_plans()
    stories = [f.story() for _ in range(6)]
    user = f.reader()
    web = Client()
    web.force_login(user)
    token = token_for(user)
    opened = [_opened_on_web(web, s) for s in stories[:3]] + [_opened_in_app(token, s) for s in stories[3:]]
    assert opened == [True, True, True, True, True, False]
    # A story read on both counts once: the web's third story re-opens in the app for free.
    assert _opened_in_app(token, stories[2])
    meter = get(Client(), "/api/v1/me/meter", token)[1]
    assert (meter["used"], meter["limit"], meter["remaining"]) == (5, 5, 0)
    assert "You've reached your limit of 5" in web.get(stories[5].url).content.decode().replace("&#x27;", "'")


@pytest.mark.django_db(transaction=True)
def test_forty_parallel_api_reads_by_one_token_open_exactly_the_limit(meter_store: str) -> None:
    f.publication(anonymous_free_limit=LIMIT, registered_free_limit=LIMIT)
    f.demo_plans()
    stories = [f.story() for _ in range(40)]
    token = token_for(f.reader())
    barrier = threading.Barrier(len(stories))

    def read(story: f.Story) -> bool:
        client = Client()
        barrier.wait()
        try:
            response = client.get(f"/api/v1/articles/{story.article.pk}", **bearer(token))
            return bool(response.json()["open"])
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(stories)) as pool:
        opened = list(pool.map(read, stories))
    assert sum(opened) == LIMIT
    assert get(Client(), "/api/v1/me/meter", token)[1]["used"] == LIMIT


@pytest.mark.django_db
def test_what_the_app_read_signed_out_stays_counted_when_it_signs_in(meter_store: str) -> None:
    f.publication(anonymous_free_limit=LIMIT, registered_free_limit=LIMIT)
    f.demo_plans()
    stories = [f.story() for _ in range(2)]
    user = f.reader()
    app = Client()  # the app keeps the reader cookie the API sets, as a browser does
    for story in stories:
        assert get(app, f"/api/v1/articles/{story.article.pk}")[1]["open"]  # signed out
    token = send(app, "post", "/api/v1/auth/token", {"email": user.email, "password": f.PASSWORD}).json()["token"]
    assert get(Client(), "/api/v1/me/meter", token)[1]["used"] == 2
