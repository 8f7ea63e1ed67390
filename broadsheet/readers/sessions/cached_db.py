"""Django's cache-fronted database sessions (Redis when configured), with the signed-in ones kept
in the worker's memory too (see the package)."""

from __future__ import annotations

from django.contrib.sessions.backends import cached_db

from broadsheet.readers.sessions import KeptSessions


class SessionStore(KeptSessions, cached_db.SessionStore):
    pass
