"""The Redis cache backend: Django's, with one client object per connection pool."""

from __future__ import annotations

import pytest
import redis
from django.conf import settings
from django.core.cache import cache, caches

from broadsheet.core.redis_cache import KeptClientRedisCache

pytestmark = pytest.mark.skipif(not settings.REDIS_URL, reason="the cache is in-process without Redis")


def test_the_configured_cache_is_the_kept_client_backend_and_behaves_as_djangos() -> None:
    assert isinstance(caches["default"], KeptClientRedisCache)
    cache.set("kept-client:a", {"reader": 7}, 60)
    assert cache.get("kept-client:a") == {"reader": 7}
    assert cache.add("kept-client:a", "other", 60) is False
    cache.set("kept-client:n", 1, 60)
    assert cache.incr("kept-client:n") == 2
    cache.delete("kept-client:a")
    assert cache.get("kept-client:a") is None
    cache.set_many({"kept-client:x": 1, "kept-client:y": 2}, 60)
    assert cache.get_many(["kept-client:x", "kept-client:y"]) == {"kept-client:x": 1, "kept-client:y": 2}


def test_cache_operations_build_no_client_after_the_first(monkeypatch: pytest.MonkeyPatch) -> None:
    cache.get("kept-client:warm")  # the pool and its client
    built: list[object] = []
    original = redis.Redis.__init__

    def counting(self: redis.Redis, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(redis.Redis, "__init__", counting)
    for n in range(20):
        cache.set(f"kept-client:{n}", n, 60)
        assert cache.get(f"kept-client:{n}") == n
    assert built == []
