"""Who is reading: the reader key the meter counts under, and the reader's facts.

Registered readers are metered by account ("u:<id>"). Anonymous readers carry a
signed first-party cookie with a random id ("a:<id>"); a browser without one gets
a new id and a full allowance. What stops cookie clearing from buying unlimited
reading is the coarse key ("n:<keyed hash of network, browser, language, month>"):
every anonymous view counts towards that network's monthly ceiling too
(docs/adr/0002-anonymous-reader-keys.md).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core import signing
from django.http import HttpRequest, HttpResponse

from broadsheet.billing.entitlements import benefits_for_network, benefits_of
from broadsheet.core.addresses import client_ip, network_of
from broadsheet.paywall import conf
from broadsheet.paywall.access import ReaderFacts
from broadsheet.paywall.crawlers import is_verified_crawler
from broadsheet.paywall.meter import new_reader_id

COOKIE_SALT = "broadsheet.reader"
COOKIE_MAX_AGE = 400 * 24 * 3600


@dataclass(frozen=True, slots=True)
class Reader:
    key: str | None  # None until an anonymous reader needs one (lazily, see reader_key_for)
    user_id: int | None
    facts: ReaderFacts


def fingerprint(request: HttpRequest, period: str) -> str:
    """A keyed hash of network, browser and language: the coarse second key."""
    parts = "\n".join(
        [
            period,
            network_of(client_ip(request)),
            request.META.get("HTTP_USER_AGENT", "")[:300],
            request.META.get("HTTP_ACCEPT_LANGUAGE", "")[:100],
        ]
    )
    return hmac.new(settings.SECRET_KEY.encode(), parts.encode(), hashlib.sha256).hexdigest()


def reader_for_request(request: HttpRequest, *, at: datetime) -> Reader:
    """The reader's facts: their own benefits plus those of the network they read from (campus, office)."""
    user = request.user
    ip = client_ip(request)
    on_network = benefits_for_network(ip=ip, at=at)
    if user.is_authenticated:
        own = benefits_of(user_id=user.pk, at=at)
        facts = ReaderFacts(
            is_staff=bool(user.is_staff),
            is_registered=True,
            benefits=own | on_network if on_network else own,
        )
        return Reader(key=f"u:{user.pk}", user_id=user.pk, facts=facts)
    facts = ReaderFacts(
        is_staff=False,
        is_registered=False,
        benefits=on_network,
        verified_crawler=is_verified_crawler(request.META.get("HTTP_USER_AGENT", ""), ip),
    )
    rid = anonymous_id_from_cookie(request)
    return Reader(key=f"a:{rid}" if rid else None, user_id=None, facts=facts)


def _signer() -> signing.Signer:
    return signing.Signer(salt=COOKIE_SALT)


def reader_cookie_value(reader_id: str) -> str:
    """The signed cookie value for an anonymous reader id (HMAC with SECRET_KEY)."""
    return _signer().sign(reader_id)


def anonymous_id_from_cookie(request: HttpRequest) -> str | None:
    raw = request.COOKIES.get(conf.reader_cookie())
    if not raw:
        return None
    try:
        value = _signer().unsign(raw)
    except signing.BadSignature:
        return None
    return value or None


def anonymous_key_issue(request: HttpRequest) -> str:
    """A new id for a browser without our cookie (set on the response); returns the reader key."""
    rid = new_reader_id()
    request._broadsheet_new_reader_id = rid  # type: ignore[attr-defined]
    return f"a:{rid}"


def network_key(request: HttpRequest, period: str) -> str:
    """The key of the anonymous ceiling this request counts towards: its network, browser and language."""
    return f"n:{fingerprint(request, period)}"


def reader_cookie_set(request: HttpRequest, response: HttpResponse) -> None:
    rid = getattr(request, "_broadsheet_new_reader_id", None)
    if rid:
        response.set_cookie(
            conf.reader_cookie(),
            reader_cookie_value(rid),
            max_age=COOKIE_MAX_AGE,
            httponly=True,
            samesite="Lax",
            secure=settings.SESSION_COOKIE_SECURE,
        )
