"""The two search engines behind one interface: PostgreSQL full-text search and SQLite FTS5."""

from __future__ import annotations

from django.db import connection

from broadsheet.search.engines.base import Engine
from broadsheet.search.engines.postgres import PostgresEngine
from broadsheet.search.engines.sqlite import SqliteEngine


def engine_for_database() -> Engine:
    """The engine of the database the site runs on."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"search has no engine for {connection.vendor}")
