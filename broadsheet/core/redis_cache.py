"""Django's Redis cache backend, with one client object per connection pool instead of one per call.

Django's `RedisCacheClient.get_client` builds a new `redis.Redis` for every cache operation.
Since redis-py 6 that constructor copies a table of some 200 reply callbacks each time, which
made building the client dearer than the GET it sends (6 % of an app's story read on Redis).
A `redis.Redis` over a connection pool is safe to share, so each pool gets one, kept.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.redis import RedisCache, RedisCacheClient


class KeptClientRedisCacheClient(RedisCacheClient):
    def __init__(self, servers: list[str], **options: Any) -> None:
        super().__init__(servers, **options)
        self._kept: dict[int, tuple[Any, Any]] = {}  # id(pool) -> (pool, its client)

    def get_client(self, key: Any = None, *, write: bool = False) -> Any:
        pool = self._get_connection_pool(write)  # type: ignore[attr-defined]  # private in the stubs
        kept = self._kept.get(id(pool))
        if kept is None or kept[0] is not pool:
            kept = self._kept[id(pool)] = (pool, self._client(connection_pool=pool))  # type: ignore[attr-defined]
        return kept[1]


class KeptClientRedisCache(RedisCache):
    """`django.core.cache.backends.redis.RedisCache` with `KeptClientRedisCacheClient`."""

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        super().__init__(server, params)
        self._class = KeptClientRedisCacheClient
