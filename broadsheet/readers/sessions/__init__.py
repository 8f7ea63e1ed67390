"""Signed-in sessions kept in the worker's memory, good while the reader's stamp holds.

A subscriber's page view would otherwise read their session row on every request. Here each
worker keeps the sessions of signed-in readers it has seen, checked on every use against the
stamp of the reader's bucket (`core.generations.reader_current`: one `stat` of a small file, or
part of the request's one Redis `MGET`). Every save or delete of a signed-in session bumps that
stamp, in whichever worker or host it happens: a sign-out, a revoked device or a password change
is seen by every worker on its next request. Anonymous sessions are not kept: they are read as
before.

The engines are `broadsheet.readers.sessions.db` (the database) and
`broadsheet.readers.sessions.cached_db` (Django's cache in front of the database, Redis when
configured), each the Django engine of the same name with this cache in front.
"""

from __future__ import annotations

import time
from typing import Any

from django.contrib.auth import SESSION_KEY

from broadsheet.core import generations

# A kept session is read again at least this often, so one that expires in the database is not
# served from memory for longer than this.
LOCAL_MAX_AGE = 300.0

# session key -> (user id, the reader's stamp when it was read, keep until (epoch s), the data)
_kept: dict[str, tuple[int, object, float, dict[str, Any]]] = {}
KEPT_MAX = 2_000  # about 1 kB each: a few MB per worker at most


def signed_in_user_id(data: Any) -> int | None:
    """The reader a session (or its data) is signed in as, or None."""
    raw = data.get(SESSION_KEY)
    try:
        return int(raw) if raw is not None else None
    except (TypeError, ValueError):
        return None


def forget_all() -> None:
    """Empty this process's kept sessions (tests start from nothing)."""
    _kept.clear()


class KeptSessions:
    """Mixin for a Django session store class: signed-in sessions are kept in memory."""

    session_key: str | None
    _row_expires: float | None = None

    def load(self) -> dict[str, Any]:
        key = self.session_key
        hint: int | None = None
        if key:
            entry = _kept.get(key)
            if entry is not None:
                if time.time() < entry[2] and entry[1] == generations.reader_current(entry[0]):
                    return dict(entry[3])
                del _kept[key]
                hint = entry[0]  # the stamp can be read before the row this time
        stamp = generations.reader_current(hint) if hint is not None else None
        data = self._load_row()
        user_id = signed_in_user_id(data)
        if user_id is None or not self.session_key:
            return data
        if hint != user_id:
            # The stamp must be read before the row it vouches for: read the row once more after it.
            stamp = generations.reader_current(user_id)
            data = self._load_row()
            if signed_in_user_id(data) != user_id or not self.session_key:
                return data
        self._keep(self.session_key, user_id, stamp, data)
        return data

    def _load_row(self) -> dict[str, Any]:
        loaded: dict[str, Any] = super().load()  # type: ignore[misc]
        return loaded

    def _keep(self, key: str, user_id: int, stamp: object, data: dict[str, Any]) -> None:
        until = time.time() + LOCAL_MAX_AGE
        if self._row_expires is not None:
            until = min(until, self._row_expires)
        if len(_kept) >= KEPT_MAX:
            _kept.clear()
        _kept[key] = (user_id, stamp, until, dict(data))

    def _get_session_from_db(self) -> Any:
        row = super()._get_session_from_db()  # type: ignore[misc]
        self._row_expires = row.expire_date.timestamp() if row is not None else None
        return row

    def save(self, must_create: bool = False) -> None:
        before = _kept.pop(self.session_key, None) if self.session_key else None
        super().save(must_create)  # type: ignore[misc]
        user_id = signed_in_user_id(getattr(self, "_session_cache", {}))
        generations.reader_bump(user_id)
        if before is not None and before[0] != user_id:
            generations.reader_bump(before[0])

    def delete(self, session_key: str | None = None) -> None:
        key = session_key or self.session_key
        owners: set[int | None] = set()
        if key:
            entry = _kept.pop(key, None)
            if key == self.session_key:
                owners.add(signed_in_user_id(getattr(self, "_session_cache", {})))
            if entry is not None:
                owners.add(entry[0])
            if not owners - {None}:
                # Not known here (flush() empties the data first; another worker may keep it).
                owners.add(self._owner(key))
        super().delete(session_key)  # type: ignore[misc]
        for user_id in owners:
            generations.reader_bump(user_id)

    def _owner(self, key: str) -> int | None:
        """Whose session `key` is, read from its row (a device revoked from elsewhere)."""
        row = self.model.objects.filter(session_key=key).first()  # type: ignore[attr-defined]
        if row is None:
            return None
        try:
            return signed_in_user_id(self.decode(row.session_data))  # type: ignore[attr-defined]
        except Exception:  # an undecodable row belongs to nobody we could have kept
            return None
