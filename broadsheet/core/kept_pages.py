"""Pages rendered once and kept in the process for every reader who would get the same page.

A view names what its page depends on (the story, the paywall's decision, the countdown);
`page_key` adds what every page depends on: the path, the generations of the rows pages are
built from, the local date of the masthead, and whether the reader is signed in. Apps whose
template tags put a reader-dependent part on every page (the newsletter box, the ads) add
theirs with `page_variant`, from their own AppConfig.ready: a tag that varies by reader
and does not declare it would show one reader's part to another.

Two things are never kept: the CSRF token and the CSP nonce, which belong to one browser and
one response. The page is rendered with a mark in their place (random per process, so no
story text can forge it) and each request fills in its own. A view may name more such
short texts of its own (`per_reader`, the meter's countdown): the page is kept with a mark
for each, keyed only by whether the reader has one, and each response fills in its reader's.
A request with a query string or a pending message, or a page asked for `fresh`, is
rendered as usual and kept nowhere.
"""

from __future__ import annotations

import secrets
from collections import OrderedDict
from collections.abc import Callable, Hashable, Mapping
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape

from broadsheet.core.generations import current

Variant = Callable[[HttpRequest, Mapping[str, Any]], Hashable]

_variants: list[Variant] = []
CSRF_MARK = f"csrf-{secrets.token_hex(16)}"
NONCE_MARK = f"nonce-{secrets.token_hex(16)}"
_PER_READER_TOKEN = secrets.token_hex(16)
# The rows a story page is rendered from: stories and the publication, plans (the offer's
# cards), advertising slots, newsletter lists. Not subscriptions: what a reader holds enters
# only through the decision and the variants, worked out per request, so a renewal anywhere
# does not empty every worker's pages.
PAGE_FAMILIES = ("newsroom", "plans", "ads", "newsletters")


def reader_mark(name: str) -> str:
    """The mark a kept page holds in place of the per-reader text `name`."""
    return f"{name}-{_PER_READER_TOKEN}"


def page_variant(variant: Variant) -> Variant:
    """Declare a part of every kept page that depends on the reader; returns it unchanged."""
    if variant not in _variants:
        _variants.append(variant)
    return variant


class KeptPages:
    """The most recently used pages of this process, up to BROADSHEET_KEPT_PAGES of them."""

    def __init__(self) -> None:
        self._pages: OrderedDict[Hashable, str] = OrderedDict()

    def get(self, key: Hashable) -> str | None:
        html = self._pages.get(key)
        if html is not None:
            self._pages.move_to_end(key)
        return html

    @property
    def maxsize(self) -> int:
        return int(settings.BROADSHEET_KEPT_PAGES)

    def put(self, key: Hashable, html: str) -> None:
        self._pages[key] = html
        self._pages.move_to_end(key)
        while len(self._pages) > self.maxsize:
            self._pages.popitem(last=False)

    def clear(self) -> None:
        self._pages.clear()

    def __len__(self) -> int:
        return len(self._pages)


kept = KeptPages()


def keepable(request: HttpRequest) -> bool:
    """Whether this request's page may come from, or go into, the kept pages."""
    if kept.maxsize <= 0 or request.method != "GET" or request.META.get("QUERY_STRING"):
        return False
    messages = getattr(request, "_messages", None)
    return not (messages is not None and len(messages))  # counting them does not mark them shown


def page_key(request: HttpRequest, template_name: str, context: Mapping[str, Any], view_key: Hashable) -> Hashable:
    user = getattr(request, "user", None)
    return (
        template_name,
        request.path,
        view_key,
        tuple(current(name) for name in PAGE_FAMILIES),
        timezone.localdate(),
        bool(user is not None and user.is_authenticated),
        tuple(variant(request, context) for variant in _variants),
    )


def render_kept(
    request: HttpRequest,
    template_name: str,
    context: dict[str, Any],
    *,
    view_key: Hashable,
    fresh: bool = False,
    per_reader: tuple[str, ...] = (),
) -> HttpResponse:
    """The page of `template_name`, rendered once for every request with the same key.

    `per_reader` names context entries (plain text, shown escaped) that differ between
    readers who otherwise get the same page: the kept page holds a mark for each one the
    reader has, and this response's text goes in its place.
    """
    if fresh or not keepable(request):
        # Filled all the same: a fragment kept from a kept page's render may carry a mark.
        return HttpResponse(fill(request, render_to_string(template_name, context, request)))
    texts = {name: str(context[name]) for name in per_reader if context.get(name)}
    key = (page_key(request, template_name, context, view_key), tuple(sorted(texts)))
    html = kept.get(key)
    if html is None:
        marks = {name: reader_mark(name) for name in texts}
        html = render_to_string(
            template_name, {**context, **marks, "csrf_token": CSRF_MARK, "csp_nonce": NONCE_MARK}, request
        )
        kept.put(key, html)
    return HttpResponse(fill(request, html, texts))


def fill(request: HttpRequest, html: str, texts: Mapping[str, str] | None = None) -> str:
    """This request's CSRF token, CSP nonce and per-reader texts in place of the marks.

    Asking for the token or the nonce sets it up for the response, so each is asked for
    only where the page holds its mark.
    """
    for name, text in (texts or {}).items():
        html = html.replace(reader_mark(name), escape(text))
    if CSRF_MARK in html:
        html = html.replace(CSRF_MARK, get_token(request))
    if NONCE_MARK in html:
        nonce = get_nonce(request)
        html = html.replace(NONCE_MARK, "" if nonce is None else str(nonce))
    return html
