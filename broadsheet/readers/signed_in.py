"""The signed-in reader, kept in the worker's memory while the reader's stamp holds.

Django's `AuthenticationMiddleware` reads the user row on every request. This one keeps the row
per reader (`core.generations.ReaderCache`) and still makes every check Django makes: the session
names a configured backend, and its password hash matches the kept user's (a changed password
bumps the stamp, so the kept user is the new one). Anything unusual (no kept user, a hash that
does not match, a fallback secret) goes through Django's own `get_user`, which reads the row,
signs a stale session out, and is then kept.
"""

from __future__ import annotations

import copy
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib import auth
from django.contrib.auth import get_user_model
from django.contrib.auth.middleware import AuthenticationMiddleware, auser
from django.http import HttpRequest
from django.utils.crypto import constant_time_compare
from django.utils.functional import SimpleLazyObject

from broadsheet.core import generations
from broadsheet.readers.sessions import signed_in_user_id

_users: generations.ReaderCache[Any] = generations.ReaderCache("users", maxsize=2_000)  # 1-2 kB each


def user_for_request(request: HttpRequest) -> Any:
    session = request.session
    user_id = signed_in_user_id(session)
    if user_id is None or session.get(auth.BACKEND_SESSION_KEY) not in settings.AUTHENTICATION_BACKENDS:
        return auth.get_user(request)
    kept = _users.peek(user_id)
    if kept is not None:
        session_hash = session.get(auth.HASH_SESSION_KEY)
        if session_hash and constant_time_compare(session_hash, kept.get_session_auth_hash()):
            return copy.copy(kept)  # each request gets its own instance to change
    stamp = generations.reader_current(user_id)
    user = auth.get_user(request)
    if user.is_authenticated and user.pk == user_id:
        _users.put(user_id, copy.copy(user), stamp)
    return user


def active_user(user_id: int) -> Any:
    """The active account `user_id` (a copy of the kept one), or None: for an app's bearer token."""
    kept = _users.peek(user_id)
    if kept is None:
        stamp = generations.reader_current(user_id)
        kept = get_user_model().objects.filter(pk=user_id, is_active=True).first()
        if kept is None:
            return None
        _users.put(user_id, kept, stamp)
    return copy.copy(kept)


def _user(request: HttpRequest) -> Any:
    if not hasattr(request, "_cached_user"):
        request._cached_user = user_for_request(request)  # type: ignore[attr-defined]
    return request._cached_user  # type: ignore[attr-defined]


class KeptUserAuthenticationMiddleware(AuthenticationMiddleware):
    """`AuthenticationMiddleware` with the user read through the per-reader cache."""

    def process_request(self, request: HttpRequest) -> None:
        super().process_request(request)  # its checks, and `auser` for async views
        request.user = SimpleLazyObject(partial(_user, request))  # type: ignore[assignment]
        request.auser = partial(auser, request)
