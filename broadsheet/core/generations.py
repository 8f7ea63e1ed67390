"""Generation stamps: a cheap, cross-process way to know that cached reads are stale.

Every write to a family of rows ("newsroom", "plans", "subscriptions") bumps
that family's generation after commit. Readers keep process-local caches keyed
by the generation they were built under; when the generation moves, the cache
is dropped. Without Redis the stamp is a small file in the data directory
(replaced atomically, read with one `stat`), which every worker on the host
sees at once; with Redis it is a counter in Redis, which every host sees.
"""

from __future__ import annotations

import itertools
import os
import tempfile
import threading
from collections.abc import Callable, Hashable
from contextvars import ContextVar
from pathlib import Path
from typing import Any, ClassVar, TypeVar

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest, HttpResponse

from broadsheet.core.lazy_modules import lazy_module

redis = lazy_module("redis")  # only processes configured with Redis load it

T = TypeVar("T")
_redis_client = None
_redis_lock = threading.Lock()


def _redis() -> Any:
    global _redis_client
    if _redis_client is None:
        with _redis_lock:
            if _redis_client is None:
                _redis_client = redis.Redis.from_url(settings.REDIS_URL)
    return _redis_client


_held = threading.local()


def _mget(keys: list[str]) -> list[object]:
    """MGET `keys` on this thread's own connection, the families' command packed once.

    This read is on every page. Through the client it pays the pool's lock, its checks and
    the command's packing each time: more than half of its CPU, for the same bytes."""
    conn = getattr(_held, "conn", None)
    if conn is None or _held.pid != os.getpid():  # a forked child never shares its parent's socket
        # Built as the pool builds its own, but outside its count: the pool never gets it back, and
        # a process that starts threads by the hundred would reach the pool's cap (100). A thread's
        # connection closes when the thread ends and its locals go.
        pool = _redis().connection_pool
        conn = _held.conn = pool.connection_class(**pool.connection_kwargs)
        _held.pid, _held.packed = os.getpid(), {}
    key = tuple(keys)
    packed = _held.packed.get(key)
    if packed is None:
        packed = conn.pack_command("MGET", *keys)
        if len(keys) == len(FAMILIES):  # the families alone: the same on every request
            _held.packed[key] = packed
    try:
        conn.send_packed_command(packed)
        return list(conn.read_response())
    except (redis.ConnectionError, redis.TimeoutError):
        conn.disconnect()  # Redis restarted or dropped an idle connection: once more on a new one
        conn.send_packed_command(packed)
        return list(conn.read_response())


_paths: dict[tuple[str, str], Path] = {}


def _stamp_path(name: str) -> Path:
    key = (str(settings.DATA_DIR), name)
    path = _paths.get(key)
    if path is None:
        folder = Path(settings.DATA_DIR) / "generations"
        folder.mkdir(parents=True, exist_ok=True)
        path = _paths[key] = folder / name
    return path


# Within one request each stamp is read once (with Redis: every family in one MGET). Every family
# a cache or a model names must be listed here, or each request pays a round trip more for it.
_request_stamps: ContextVar[dict[str, object] | None] = ContextVar("broadsheet_generation_stamps", default=None)
FAMILIES = ("newsroom", "plans", "subscriptions", "ads", "newsletters", "devices")


def current(name: str) -> object:
    """The generation of `name` now; compare with ==, never interpret."""
    memo = _request_stamps.get()
    if memo is None:
        return _read(name)
    if name not in memo:
        if settings.REDIS_URL and FAMILIES[0] not in memo:
            # The first stamp a request asks for brings every family's with it (and its own, a reader's).
            names = [*FAMILIES, name] if name not in FAMILIES else list(FAMILIES)
            prefix = settings.BROADSHEET_GENERATION_PREFIX
            memo.update(zip(names, _mget([f"{prefix}:{n}" for n in names]), strict=True))
        else:
            memo[name] = _read(name)
    return memo[name]


class RequestStampsMiddleware:
    """Reads each generation stamp at most once per request."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _request_stamps.set({})
        try:
            return self.get_response(request)
        finally:
            _request_stamps.reset(token)


def _read(name: str) -> object:
    if settings.REDIS_URL:
        return _redis().get(f"{settings.BROADSHEET_GENERATION_PREFIX}:{name}")
    try:
        st = os.stat(_stamp_path(name))
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


def bump_now(name: str) -> None:
    memo = _request_stamps.get()
    if memo is not None:
        memo.clear()  # this request's own writes are seen by its later reads
    if settings.REDIS_URL:
        _redis().incr(f"{settings.BROADSHEET_GENERATION_PREFIX}:{name}")
        return
    path = _stamp_path(name)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.")
    with os.fdopen(fd, "w") as fh:
        fh.write(str(os.getpid()) + ":" + str(id(fh)))
    os.replace(tmp, path)  # a new inode: readers see the change even within one clock tick


def bump(name: str) -> None:
    """Mark `name` changed now and again when the current transaction commits.

    The first bump makes this process (and tests inside a transaction) see the
    change at once; the second makes sure no other process keeps a copy it built
    from the old rows between the two.
    """
    bump_now(name)
    transaction.on_commit(lambda: bump_now(name))


class GenerationMixin:
    """For models whose rows feed a generation cache: every save and delete bumps it."""

    generation: str = ""

    def save(self, *args: object, **kwargs: object) -> None:
        super().save(*args, **kwargs)  # type: ignore[misc]
        if self.generation:  # historical models in migrations lose the class attribute
            bump(self.generation)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        result: tuple[int, dict[str, int]] = super().delete(*args, **kwargs)  # type: ignore[misc]
        if self.generation:
            bump(self.generation)
        return result


class GenerationCache[T]:
    """A process-local cache that empties itself when its generation moves.

    Values are shared by every request of the process: treat them as read-only.
    """

    instances: ClassVar[list[GenerationCache[Any]]] = []

    def __init__(self, name: str, maxsize: int = 4096) -> None:
        self.name = name
        self.maxsize = maxsize
        self._generation: object = object()
        self._data: dict[Hashable, T] = {}
        GenerationCache.instances.append(self)

    def clear(self) -> None:
        self._generation = object()
        self._data = {}

    @classmethod
    def clear_all(cls) -> None:
        for cache in cls.instances:
            cache.clear()

    def _fresh(self) -> dict[Hashable, T]:
        generation = current(self.name)
        if generation != self._generation:
            self._data = {}
            self._generation = generation
        return self._data

    def get(self, key: Hashable, build: Callable[[], T]) -> T:
        data = self._fresh()
        try:
            return data[key]
        except KeyError:
            pass
        value = build()
        self.put(key, value, data)
        return value

    def peek(self, key: Hashable) -> T | None:
        """The value under `key` in this generation, or None (nothing is built or stored)."""
        return self._fresh().get(key)

    def put(self, key: Hashable, value: T, data: dict[Hashable, T] | None = None) -> None:
        data = self._data if data is None else data
        if len(data) >= self.maxsize:
            # Full: the oldest quarter goes (insertion order), not everything the workers use now.
            for old in list(itertools.islice(data, max(1, self.maxsize // 4))):
                del data[old]
        data[key] = value


# --- per-reader stamps ------------------------------------------------------
# A reader's own cached rows (the session, the user, their newsletter choices) are checked against
# a stamp of the reader's bucket: each reader id falls in one of READER_BUCKETS buckets, and any
# change to one of a bucket's readers bumps it. Buckets keep the stamps bounded (that many files or
# Redis keys at most, however many readers there are) at the price of a neighbour's change now
# and then emptying an entry that was still good.
READER_BUCKETS = 4096


def reader_stamp_name(user_id: int) -> str:
    return f"reader-{int(user_id) % READER_BUCKETS}"


def reader_current(user_id: int) -> object:
    """The stamp of the reader's bucket now (with Redis, read in the request's one MGET)."""
    return current(reader_stamp_name(user_id))


def reader_bump(user_id: int | None) -> None:
    """The reader's session, account or choices changed: cached copies of them are stale."""
    if user_id is not None:
        bump(reader_stamp_name(user_id))


class ReaderCache[T]:
    """A process-local cache of one kind of value per reader, good while the reader's stamp holds.

    The stamp is read before the value is built, so a change that lands while it is being built
    leaves the entry already stale. Values are shared by the process's requests: hand out copies
    of anything a request may change.
    """

    instances: ClassVar[list[ReaderCache[Any]]] = []

    def __init__(self, name: str, maxsize: int = 50_000) -> None:
        self.name = name
        self.maxsize = maxsize
        self._data: dict[int, tuple[object, T]] = {}  # reader id -> (the stamp it was built under, value)
        ReaderCache.instances.append(self)

    def clear(self) -> None:
        self._data = {}

    @classmethod
    def clear_all(cls) -> None:
        for cache in cls.instances:
            cache.clear()

    def get(self, user_id: int, build: Callable[[], T]) -> T:
        """The reader's value, built on a miss."""
        found = self.peek(user_id)
        if found is not None:
            return found
        stamp = reader_current(user_id)
        value = build()
        self.put(user_id, value, stamp)
        return value

    def peek(self, user_id: int) -> T | None:
        entry = self._data.get(user_id)
        if entry is None or entry[0] != reader_current(user_id):
            return None
        return entry[1]

    def put(self, user_id: int, value: T, stamp: object) -> None:
        """Keep `value`, built from rows read after `stamp` was read."""
        if len(self._data) >= self.maxsize:
            self._data = {}
        self._data[user_id] = (stamp, value)
