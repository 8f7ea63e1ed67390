"""Text helpers for wire copy: plain text to HTML, sign-off stripping, content fingerprints."""

from __future__ import annotations

import hashlib
import html
import re
from datetime import UTC, datetime

from broadsheet.newsroom.html import sanitise_body

HEADLINE_MAX = 240
STANDFIRST_MAX = 400
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^>]+>")
# A trailing agency sign-off typed into the copy ("--IANS", "-- PTI", "(Reuters)"), with
# optional desk initials after it ("--IANS ksk/rt"). The page adds the sign-off itself.
_SIGNOFF_BLOCK = re.compile(r"\s*<p>\s*-{1,2}\s*[A-Z][A-Za-z0-9&.]{1,19}(?:\s+[a-z/]{1,12})?\s*</p>\s*$")
_SIGNOFF_TAIL = re.compile(r"\s+-{2}\s*[A-Z][A-Za-z0-9&.]{1,19}(?:\s+[a-z/]{1,12})?\s*(</p>)\s*$")


def squash(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def plain_text(fragment: str) -> str:
    return squash(html.unescape(_TAG.sub(" ", fragment or "")))


def truncate(text: str, limit: int) -> str:
    text = squash(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def text_to_html(text: str) -> str:
    """Plain wire text: blank lines separate paragraphs."""
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def clean_body(fragment: str, *, is_html: bool = True) -> str:
    """Sanitised body HTML without the agency's typed sign-off."""
    body = sanitise_body(fragment if is_html else text_to_html(fragment))
    body = _SIGNOFF_BLOCK.sub("", body)
    body = _SIGNOFF_TAIL.sub(r"\1", body)
    return body.strip()


def content_hash(headline: str, standfirst: str, body_html: str) -> str:
    """The same words are the same content, whatever the markup around them."""
    words = "\x1f".join(plain_text(part).lower() for part in (headline, standfirst, body_html))
    return hashlib.sha256(words.encode()).hexdigest()


def parse_time(value: object) -> datetime | None:
    """An ISO 8601 time as the agencies send it; naive times are UTC. Raises ValueError."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a time: {value!r}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    parsed = datetime.fromisoformat(text)
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def parse_version(value: object) -> int | None:
    """Versions are whole numbers ("1", 2); anything else is an error."""
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(f"version {value!r} is not a whole number")
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text.isdigit():
            raise ValueError(f"version {value!r} is not a whole number")
        number = int(text)
    if number < 0 or number > 2**62:
        raise ValueError(f"version {value!r} is out of range")
    return number


def media_topic(code: str) -> str:
    """`http://cv.iptc.org/newscodes/mediatopic/04000000` and `medtop:04000000` are one code."""
    code = code.strip()
    for prefix in ("http://cv.iptc.org/newscodes/mediatopic/", "https://cv.iptc.org/newscodes/mediatopic/"):
        if code.startswith(prefix):
            return "medtop:" + code[len(prefix) :].strip("/")
    return code


def with_dateline(body_html: str, dateline: str) -> str:
    """Open the first paragraph with the dateline ("MUMBAI, May 3: …") unless it already does."""
    dateline = squash(dateline).rstrip(":-\u2013\u2014 ")
    if not dateline or not body_html.startswith("<p>"):
        return body_html
    first = plain_text(body_html.split("</p>", 1)[0])
    if first.lower().startswith(dateline.lower()):
        return body_html
    return f"<p>{html.escape(dateline)}: " + body_html[3:]
