"""Cached reads follow writes at once: the generation stamps drop every stale copy."""

from __future__ import annotations

import threading
from collections.abc import Callable

import pytest
from django.apps import apps
from django.conf import settings
from django.test import Client
from django.utils import timezone
from redis.connection import AbstractConnection

from broadsheet.billing.models import Plan
from broadsheet.billing.subscriptions.services import subscription_grant
from broadsheet.core import generations
from broadsheet.core.generations import FAMILIES, GenerationCache, GenerationMixin, _request_stamps, current
from broadsheet.core.kept_pages import PAGE_FAMILIES
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.api.helpers import bearer, token_for

pytestmark = pytest.mark.django_db


def test_a_generation_cache_empties_when_its_generation_moves() -> None:
    cache: GenerationCache[int] = GenerationCache("test-family")
    calls: list[int] = []

    def build(value: int) -> int:
        calls.append(value)
        return value

    assert cache.get("k", lambda: build(1)) == 1
    assert cache.get("k", lambda: build(2)) == 1  # cached
    generations.bump_now("test-family")
    assert cache.get("k", lambda: build(3)) == 3
    assert calls == [1, 3]


def test_a_full_generation_cache_drops_its_oldest_quarter_not_everything() -> None:
    cache: GenerationCache[int] = GenerationCache("test-family", maxsize=8)
    for n in range(8):
        cache.get(n, lambda n=n: n)  # type: ignore[misc]
    cache.get(8, lambda: 8)
    assert [k for k in range(9) if cache.peek(k) is not None] == [2, 3, 4, 5, 6, 7, 8]


def test_unpublishing_and_editing_reach_the_next_page_view(client: Client) -> None:
    f.publication()
    story = f.story(access=Article.Access.FREE)
    assert client.get(story.url).status_code == 200
    story.article.headline = "A corrected headline"
    story.article.save()
    assert "A corrected headline" in client.get(story.url).content.decode()
    story.article.status = Article.Status.DRAFT
    story.article.save()
    assert client.get(story.url).status_code == 404


def test_a_price_change_reaches_the_paywall_at_once(client: Client) -> None:
    f.publication()
    f.demo_plans()
    story = f.story(access=Article.Access.PREMIUM)
    assert "₹2,700" in client.get(story.url).content.decode()
    Plan.objects.filter(slug="smart-essential").update(price_minor=299900)
    generations.bump("plans")
    assert "₹2,999" in client.get(story.url).content.decode()


def test_a_granted_subscription_opens_the_story_on_the_next_view(client: Client) -> None:
    f.publication()
    story = f.story(access=Article.Access.PREMIUM)
    user = f.reader()
    client.force_login(user)
    assert story.tokens[-1] not in client.get(story.url).content.decode()
    subscription_grant(user_id=user.pk, plan=f.premium_plan(), start=timezone.now())
    assert story.tokens[-1] in client.get(story.url).content.decode()


def test_a_request_reads_each_stamp_once_and_sees_its_own_writes() -> None:
    token = _request_stamps.set({})
    try:
        first = current("newsroom")
        generations.bump_now("other-process-would-do-this")
        assert current("newsroom") == first  # memoised for the rest of the request
        generations.bump_now("newsroom")  # a write in this request
        assert current("newsroom") != first
    finally:
        _request_stamps.reset(token)


def test_every_family_in_use_comes_in_the_requests_one_read() -> None:
    in_use = {cache.name for cache in GenerationCache.instances if cache.name != "test-family"}
    in_use |= {m.generation for m in apps.get_models() if issubclass(m, GenerationMixin)}
    in_use |= set(PAGE_FAMILIES)
    assert in_use - set(FAMILIES) == set()


@pytest.mark.skipif(not settings.REDIS_URL, reason="the stamps are files without Redis")
def test_with_redis_a_story_view_reads_its_stamps_in_one_round_trip(client: Client) -> None:
    f.publication()
    free = f.story(access=Article.Access.FREE)
    premium = f.story(access=Article.Access.PREMIUM)
    user = f.reader()
    subscription_grant(user_id=user.pk, plan=f.premium_plan(), start=timezone.now())
    signed_in = Client()
    signed_in.force_login(user)
    client.get(free.url)  # the first views build the caches
    signed_in.get(premium.url)
    sent: list[tuple[str, str]] = []
    original = AbstractConnection.send_packed_command

    def counting(self: AbstractConnection, command: bytes | list[bytes], *args: object, **kwargs: object) -> None:
        # Every command leaves through here, packed ("*<n>\r\n$<len>\r\n<NAME>\r\n$<len>\r\n<key>..."),
        # whichever path sent it.
        parts = (b"".join(command) if isinstance(command, list) else command).split(b"\r\n")
        sent.append((parts[2].decode().upper(), parts[4].decode() if len(parts) > 4 else ""))
        original(self, command, *args, **kwargs)  # type: ignore[no-untyped-call]

    app = bearer(token_for(user))
    app_client = Client()
    app_client.get(f"/api/v1/articles/{premium.article.pk}", **app)
    reads: list[tuple[Callable[[], str], f.Story]] = [
        (lambda: client.get(free.url).content.decode(), free),
        (lambda: signed_in.get(premium.url).content.decode(), premium),
        (lambda: app_client.get(f"/api/v1/articles/{premium.article.pk}", **app).content.decode(), premium),
    ]
    prefix = settings.BROADSHEET_GENERATION_PREFIX
    for read, story in reads:
        sent.clear()
        AbstractConnection.send_packed_command = counting  # type: ignore[method-assign]
        try:
            assert story.tokens[-1] in read()
        finally:
            AbstractConnection.send_packed_command = original  # type: ignore[method-assign]
        # The stamps: one MGET, and no GET of a stamp after it (an app's token is a GET of its own).
        stamp_reads = [name for name, key in sent if name == "MGET" or (name == "GET" and key.startswith(prefix))]
        assert stamp_reads == ["MGET"], sent


@pytest.mark.skipif(not settings.REDIS_URL, reason="the stamps are files without Redis")
def test_with_redis_the_stamp_read_outlives_a_dropped_connection() -> None:
    def stamp() -> object:
        token = _request_stamps.set({})
        try:
            return current("newsroom")
        finally:
            _request_stamps.reset(token)

    before = stamp()
    held = generations._held.conn
    held.send_command("CLIENT", "ID")
    generations._redis().client_kill_filter(_id=held.read_response())  # as a Redis restart would
    generations.bump_now("newsroom")
    assert stamp() not in (before, None)  # read again on a new connection, and the new stamp


@pytest.mark.skipif(not settings.REDIS_URL, reason="the stamps are files without Redis")
def test_with_redis_threads_by_the_hundred_each_read_their_stamps() -> None:
    # Each thread holds a connection of its own for the read; they must not use up the client's pool.
    errors: list[BaseException] = []

    def one_request() -> None:
        token = _request_stamps.set({})
        try:
            current("newsroom")
        except Exception as exc:  # reported by the assertion below
            errors.append(exc)
        finally:
            _request_stamps.reset(token)

    for _ in range(150):
        thread = threading.Thread(target=one_request)
        thread.start()
        thread.join()
    assert errors == []
    generations._redis().set("stamp-pool-check", 1)  # and the shared pool still hands out connections
