"""Signed e-paper links: made for one reader, valid for minutes.

The PDF download link carries the reader's id and the printing's key, signed with
the site's secret and timestamped. From the web it opens only for a request signed
in as that same reader (on any of their devices) who still holds the e-paper benefit.

An app reads with a token in a header, which an <img> or a browser tab opening a
PDF cannot send, so the API hands out links that carry their reader instead: the
reader's id and the app's device (a network reader: neither), and the printing's key.
Such a link works without a session, only while that device is signed in and its
reader holds the benefit, and only for minutes (`BROADSHEET_EPAPER_LINK_MINUTES`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core import signing

from broadsheet.epaper import conf

SALT = "broadsheet.epaper.pdf"
PAGE_SALT = "broadsheet.epaper.pages"


class LinkRefused(Exception):
    """The link cannot be used by this request; the message says why, for the reader."""


@dataclass(frozen=True, slots=True)
class LinkClaims:
    user_id: int | None  # None: a network reader's page link (the network decides where it is opened)
    printing_key: str
    device_id: int | None = None  # set on an app's links: they work while this device is signed in


def link_expiry(at: datetime) -> datetime:
    """When a link made at `at` stops working."""
    return at + timedelta(seconds=conf.link_seconds())


def download_token(*, user_id: int, printing_key: str, device_id: int | None = None) -> str:
    claims: dict[str, object] = {"u": user_id, "k": printing_key}
    if device_id is not None:
        claims["d"] = device_id
    return signing.TimestampSigner(salt=SALT).sign_object(claims, compress=False)


def _unsign(token: str, *, salt: str, what: str) -> dict[str, object]:
    try:
        data = signing.TimestampSigner(salt=salt).unsign_object(token, max_age=conf.link_seconds())
    except signing.SignatureExpired as exc:
        raise LinkRefused(f"This {what} link has expired. Open the edition again for a fresh one.") from exc
    except (signing.BadSignature, ValueError) as exc:
        raise LinkRefused(f"This {what} link is not valid.") from exc
    if not isinstance(data, dict) or not isinstance(data.get("k"), str):
        raise LinkRefused(f"This {what} link is not valid.")
    return data


def _optional_int(value: object) -> int | None:
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        return value
    raise LinkRefused("This link is not valid.")


def download_token_check(token: str, *, user_id: int | None) -> LinkClaims:
    """The link's claims if this reader may use it now; LinkRefused otherwise.

    An app's link (with a device) names its reader itself; the caller checks that device."""
    data = _unsign(token, salt=SALT, what="download")
    reader = data.get("u")
    if not isinstance(reader, int):
        raise LinkRefused("This download link is not valid.")
    device_id = _optional_int(data.get("d"))
    if device_id is not None:
        return LinkClaims(user_id=reader, printing_key=str(data["k"]), device_id=device_id)
    if user_id is None:
        raise LinkRefused("Log in to download the edition.")
    if reader != user_id:
        raise LinkRefused("This download link was made for another reader. Open the edition for your own link.")
    return LinkClaims(user_id=reader, printing_key=str(data["k"]))


def page_token(*, user_id: int | None, device_id: int | None, printing_key: str) -> str:
    """The signature an app's page image links carry (`?s=`): one per edition, for every page."""
    return signing.TimestampSigner(salt=PAGE_SALT).sign_object(
        {"u": user_id, "d": device_id, "k": printing_key}, compress=False
    )


def page_token_check(token: str, *, printing_key: str) -> LinkClaims:
    data = _unsign(token, salt=PAGE_SALT, what="page")
    if data["k"] != printing_key:
        raise LinkRefused("This page link is not valid.")
    user_id, device_id = _optional_int(data.get("u")), _optional_int(data.get("d"))
    if (user_id is None) != (device_id is None):
        raise LinkRefused("This page link is not valid.")
    return LinkClaims(user_id=user_id, printing_key=printing_key, device_id=device_id)
