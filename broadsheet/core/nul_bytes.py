"""Requests carrying NUL characters are refused before any view sees them.

A NUL (U+0000) is never part of a headline, a name, a slug or a search: it only
arrives from fuzzers and attackers. PostgreSQL cannot store or even compare it in a
text column, so one left in a query parameter would turn a lookup into a server error.
Refusing it at the door is one rule for every view instead of a check in each.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import BadRequest
from django.http import HttpRequest, HttpResponse

NUL = "\x00"
# The search text is the one parameter whose view makes sense of any text (search.forms reads a NUL
# as a space, so an absurd query gets advice, not an error): by path, the parameters left to it.
CLEANED_BY_THE_VIEW = {"/search/": frozenset({"q"}), "/api/v1/search": frozenset({"q"})}


def holds_nul(value: Any) -> bool:
    """True when a string, or any key or string inside a decoded JSON value, holds a NUL."""
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(holds_nul(k) or holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(holds_nul(v) for v in value)
    return False


def _pairs_hold_nul(pairs: Iterable[tuple[str, list[str]]], cleaned: frozenset[str] = frozenset()) -> bool:
    return any(NUL in key or (key not in cleaned and any(NUL in v for v in values)) for key, values in pairs)


def request_holds_nul(request: HttpRequest) -> bool:
    """The path, the query string, a form's text fields and a JSON body: any NUL in them."""
    if NUL in request.path:
        return True
    if _pairs_hold_nul(request.GET.lists(), CLEANED_BY_THE_VIEW.get(request.path, frozenset())):
        return True
    if request.method not in ("POST", "PUT", "PATCH"):
        return False
    content_type = request.content_type or ""
    if content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return _pairs_hold_nul(request.POST.lists())  # the form's text fields; uploaded files are the view's
    if content_type == "application/json":
        try:
            return holds_nul(json.loads(request.body or b"null"))
        except ValueError:
            return False  # not JSON: the view's own parser answers that
    return False


class RefuseNulBytesMiddleware:
    """Answers 400 to a page request holding a NUL. The API answers its own problem
    (`invalid_request`), so its paths pass through here."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/api/") and request_holds_nul(request):
            raise BadRequest("The request holds a NUL character.")
        return self.get_response(request)
