"""Database sessions with the signed-in ones kept in the worker's memory (see the package)."""

from __future__ import annotations

from django.contrib.sessions.backends import db

from broadsheet.readers.sessions import KeptSessions


class SessionStore(KeptSessions, db.SessionStore):
    pass
