"""Fixtures shared by every test tier."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import cache

from broadsheet.core import kept_pages
from broadsheet.core.generations import GenerationCache, ReaderCache
from broadsheet.readers import sessions
from tests.mailserver import smtp  # noqa: F401  (the real SMTP server fixture, for every tier)


class FakeResolver:
    """A DNS resolver with a fixed table, for crawler verification tests."""

    reverse_table: dict[str, str] = {}
    forward_table: dict[str, set[str]] = {}

    def reverse(self, ip: str) -> str | None:
        return self.reverse_table.get(ip)

    def forward(self, name: str) -> set[str]:
        return self.forward_table.get(name, set())


@pytest.fixture(autouse=True)
def _fresh_caches(settings: object) -> Iterator[None]:
    """Each test starts with empty caches and meter, and a resolver that knows nothing."""
    from broadsheet.paywall import meter

    settings.BROADSHEET_DNS_RESOLVER = "tests.conftest.FakeResolver"  # type: ignore[attr-defined]
    FakeResolver.reverse_table = {}
    FakeResolver.forward_table = {}
    cache.clear()
    GenerationCache.clear_all()  # rows roll back between tests without bumping a generation
    ReaderCache.clear_all()
    sessions.forget_all()
    kept_pages.kept.clear()
    if settings.REDIS_URL:  # type: ignore[attr-defined]
        store = meter.meter_store_get()
        if isinstance(store, meter.RedisMeterStore):
            store.flush()
    yield
    cache.clear()


@pytest.fixture
def fake_dns() -> type[FakeResolver]:
    return FakeResolver


def pytest_report_header() -> list[str]:
    db = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
    return [f"broadsheet: database={db} meter={settings.BROADSHEET_METER_STORE.rsplit('.', 1)[-1]}"]


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Remove this run's SQLite test database files (named by process id)."""
    test_db = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if test_db and settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        for suffix in ("", "-wal", "-shm"):
            Path(f"{test_db}{suffix}").unlink(missing_ok=True)
