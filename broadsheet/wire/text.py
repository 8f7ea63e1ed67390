"""Text helpers for wire copy: plain text to HTML, sign-off stripping, content fingerprints."""

from __future__ import annotations

import hashlib
import html
import re
from collections import Counter
from datetime import UTC, datetime

from broadsheet.core.text import normalise_line, normalise_text
from broadsheet.newsroom.html import sanitise_body

HEADLINE_MAX = 240
STANDFIRST_MAX = 400
# Times outside these years are refused: an embargo in the year 9999 is a placeholder, not a time, and
# near the ends of the calendar a time cannot be shown in every time zone (or stored in some).
FIRST_YEAR, LAST_YEAR = 1900, 2999
_SPACE = re.compile(r"\s+")
_TAG = re.compile(r"<[^<>]+>")
# A trailing agency sign-off typed into the copy ("--IANS", "-- PTI", "(Reuters)"), with
# optional desk initials after it ("--IANS ksk/rt"). The page adds the sign-off itself.
_SIGNOFF_BLOCK = re.compile(r"\s*<p>\s*-{1,2}\s*[A-Z][A-Za-z0-9&.]{1,19}(?:\s+[a-z/]{1,12})?\s*</p>\s*$")
_SIGNOFF_TAIL = re.compile(r"\s+-{2}\s*[A-Z][A-Za-z0-9&.]{1,19}(?:\s+[a-z/]{1,12})?\s*(</p>)\s*$")
_SIGNOFF_WINDOW = 200  # the sign-off is looked for in the body's last characters only: linear on any body


def squash(text: str) -> str:
    return _SPACE.sub(" ", text or "").strip()


def plain_text(fragment: str) -> str:
    return squash(html.unescape(_TAG.sub(" ", fragment or "")))


def has_tags(fragment: str) -> bool:
    return bool(_TAG.search(fragment))


def truncate(text: str, limit: int) -> str:
    text = squash(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1].rsplit(" ", 1)[0]
    return cut + "…"


def one_line(fragment: str, limit: int) -> str:
    """A headline, standfirst or name: plain text, normalised (see core.text), at most `limit` characters."""
    return truncate(normalise_line(plain_text(fragment)), limit)


def text_to_html(text: str) -> str:
    """Plain wire text: blank lines separate paragraphs."""
    paragraphs = [squash(p) for p in re.split(r"\n\s*\n", text.replace("\r\n", "\n"))]
    return "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs if p)


def clean_body(fragment: str, *, is_html: bool = True) -> tuple[str, list[str]]:
    """Sanitised, normalised body HTML without the agency's typed sign-off, and the markup that was removed."""
    fragment = normalise_text(fragment)
    body = normalise_text(sanitise_body(fragment if is_html else text_to_html(fragment)))
    removed = markup_removed(fragment, body) if is_html and body != fragment.strip() else []
    return _without_signoff(body), removed


def _without_signoff(body: str) -> str:
    body = body.rstrip()
    cut = max(0, len(body) - _SIGNOFF_WINDOW)
    tail = _SIGNOFF_TAIL.sub(r"\1", _SIGNOFF_BLOCK.sub("", body[cut:]))
    return (body[:cut] + tail).strip()


_TAG_OPEN = re.compile(r"<([a-zA-Z][a-zA-Z0-9:-]*+)")
_ATTRIBUTE = re.compile(r"""([^\s"'=<>/]++)(?:\s*+=\s*+(?:"[^"]*+"?|'[^']*+'?|[^\s>]*+))?""")


def _markup(fragment: str) -> Counter[str]:
    """Tags ("<p>") and attribute names ("onclick") in a fragment, counted. One linear scan, no HTML
    parser: the input is hostile, and a tag runs at most to the next "<" or ">"."""
    found: Counter[str] = Counter()
    for match in _TAG_OPEN.finditer(fragment):
        found[f"<{match.group(1).lower()}>"] += 1
        start = match.end()
        stop = fragment.find("<", start)
        stop = len(fragment) if stop < 0 else stop
        close = fragment.find(">", start, stop)
        for attribute in _ATTRIBUTE.finditer(fragment, start, stop if close < 0 else close):
            found[attribute.group(1).lower()] += 1
    return found


def markup_removed(before: str, after: str) -> list[str]:
    """The tags and attributes of `before` that the sanitiser took out (what it added, like rel, is not news)."""
    if "<" not in before:
        return []
    kept = _markup(after)
    return sorted(name for name, count in _markup(before).items() if count > kept.get(name, 0))


def content_hash(headline: str, standfirst: str, body_html: str) -> str:
    """The same words are the same content, whatever the markup around them."""
    words = "\x1f".join(plain_text(part).lower() for part in (headline, standfirst, body_html))
    return hashlib.sha256(words.encode()).hexdigest()


def parse_time(value: object, *, name: str = "time") -> datetime | None:
    """An ISO 8601 time as the agencies send it; naive times are UTC. Raises ValueError with the reason."""
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} is not a time: {value!r:.80}")
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"{name} {value!r:.80} is not an ISO 8601 time") from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        in_range = FIRST_YEAR <= parsed.astimezone(UTC).year <= LAST_YEAR
    except OverflowError:  # past the end of the calendar once in UTC
        in_range = False
    if not in_range:
        raise ValueError(f"{name} {value!r:.80} is out of range (the years {FIRST_YEAR} to {LAST_YEAR})")
    return parsed


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
        if not (text.isascii() and text.isdigit()):
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
