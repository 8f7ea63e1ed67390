"""Signed links in newsletter mail: unsubscribe, preferences, confirmation, and the bounce address.

Each purpose has its own salt, so a token made for one never works for another.
Unsubscribe and preference links never expire (a mail from last year must still
let its reader leave); a confirmation link lasts `conf.confirm_days()` and names
the subscriber's one-time nonce, so it works once. A tampered token fails the
HMAC (SECRET_KEY) and is refused.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

from django.conf import settings
from django.core import signing

from broadsheet.newsletters import conf

_CONFIRM_SALT = "broadsheet.newsletters.confirm"


def _unsubscribe() -> signing.Signer:
    return signing.Signer(salt="broadsheet.newsletters.unsubscribe")


def _preferences() -> signing.Signer:
    return signing.Signer(salt="broadsheet.newsletters.preferences")


class BadToken(ValueError):
    """A link that was not made by us, was changed, or has expired."""


@dataclass(frozen=True, slots=True)
class UnsubscribeClaim:
    subscriber_id: int
    list_id: int
    issue_id: int | None


def unsubscribe_token(*, subscriber_id: int, list_id: int, issue_id: int | None) -> str:
    return _unsubscribe().sign(f"{subscriber_id}.{list_id}.{issue_id or 0}")


def unsubscribe_read(token: str) -> UnsubscribeClaim:
    try:
        sid, lid, iid = _unsubscribe().unsign(token).split(".")
        return UnsubscribeClaim(int(sid), int(lid), int(iid) or None)
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken("not a valid unsubscribe link") from exc


def preferences_token(*, subscriber_id: int) -> str:
    return _preferences().sign(str(subscriber_id))


def preferences_read(token: str) -> int:
    try:
        return int(_preferences().unsign(token))
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken("not a valid preferences link") from exc


def confirm_token(*, subscriber_id: int, nonce: str) -> str:
    return signing.TimestampSigner(salt=_CONFIRM_SALT).sign(f"{subscriber_id}.{nonce}")


def confirm_read(token: str) -> tuple[int, str]:
    """(subscriber id, nonce); the caller checks the nonce is still the pending one."""
    try:
        raw = signing.TimestampSigner(salt=_CONFIRM_SALT).unsign(token, max_age=conf.confirm_days() * 86400)
        sid, nonce = raw.split(".", 1)
        return int(sid), nonce
    except signing.SignatureExpired as exc:
        raise BadToken("this confirmation link has expired") from exc
    except (signing.BadSignature, ValueError) as exc:
        raise BadToken("not a valid confirmation link") from exc


def _verp_mac(delivery_id: int) -> str:
    key = hashlib.sha256(f"{settings.SECRET_KEY}:newsletters.verp".encode()).digest()
    return hmac.new(key, str(delivery_id).encode(), hashlib.sha256).hexdigest()[:10]


def bounce_tag(delivery_id: int) -> str:
    """The signed delivery id carried in the bounce address and the X-Newsletter-Delivery header: d12-ab34…"""
    return f"d{delivery_id}-{_verp_mac(delivery_id)}"


def delivery_from_tag(tag: str) -> int | None:
    """The delivery id a tag names, if its signature holds."""
    tag = tag.strip().lower()
    if not tag.startswith("d") or "-" not in tag:
        return None
    raw_id, mac = tag[1:].split("-", 1)
    if not raw_id.isdigit():
        return None
    delivery_id = int(raw_id)
    return delivery_id if hmac.compare_digest(mac, _verp_mac(delivery_id)) else None


def bounce_address_for(delivery_id: int) -> str:
    """The envelope sender of one delivery: bounces+d<id>-<mac>@domain (or the plain address without VERP)."""
    address = conf.bounce_address()
    if not conf.verp() or "@" not in address:
        return address
    local, domain = address.rsplit("@", 1)
    return f"{local}+{bounce_tag(delivery_id)}@{domain}"


def delivery_from_bounce_address(address: str) -> int | None:
    """The delivery id a VERP bounce address names, if its signature holds."""
    local = address.strip().strip("<>").rsplit("@", 1)[0]
    _, plus, tag = local.partition("+")
    return delivery_from_tag(tag) if plus else None
