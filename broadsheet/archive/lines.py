"""One line of an archive file: checked, normalised, or refused with a reason a person can act on.

No database: the importer resolves the names found here (section, authors, agency) to the
newsroom's rows. Bodies are cleaned here, once, by the newsroom's own `clean_body`. docs/archive.md has the format.
"""

from __future__ import annotations

import hashlib
import html
import json
import re
from dataclasses import dataclass
from datetime import datetime, tzinfo

from broadsheet.core.text import normalise_line
from broadsheet.newsroom.models import clean_body

ACCESS_LEVELS = ("free", "metered", "premium")
MAX_SOURCE_ID = 120
MAX_HEADLINE = 240
MAX_STANDFIRST = 400
MAX_NAME = 120
MAX_LINE_BYTES = 2 * 1024 * 1024
_BLANK_LINES = re.compile(r"\n\s*\n")
_SOME_TEXT = re.compile(r"(?:^|>)\s*[^<\s]")  # a character that is not space, outside the tags


class LineRefused(ValueError):
    """A line that cannot become a story; the message is the reason shown to the operator."""


@dataclass(frozen=True, slots=True)
class ArchiveLine:
    source_id: str
    headline: str
    standfirst: str
    body: str  # as the file gives it: `body_html` cleans it, only for a line that is new or changed
    section: str  # a section's slug or name, as given
    authors: tuple[str, ...]
    agency: str | None  # an agency's code
    published_at: datetime
    access: str
    digest: str  # of the values above: a line that says the same thing has the same digest (and is skipped)


def _text(data: dict[str, object], key: str, *, required: bool, limit: int) -> str:
    value = data.get(key)
    if value is None or value == "":
        if required:
            raise LineRefused(f"{key} is missing")
        return ""
    if not isinstance(value, str):
        raise LineRefused(f"{key} must be text, not {type(value).__name__}")
    value = normalise_line(value).strip()
    if required and not value:
        raise LineRefused(f"{key} is blank")
    if len(value) > limit:
        raise LineRefused(f"{key} is {len(value)} characters long; at most {limit}")
    return value


def _source_id(data: dict[str, object]) -> str:
    value = data.get("source_id")
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise LineRefused("source_id is missing" if value is None else "source_id must be text or a whole number")
    text = normalise_line(str(value)).strip()
    if not text:
        raise LineRefused("source_id is blank")
    if len(text) > MAX_SOURCE_ID:
        raise LineRefused(f"source_id is {len(text)} characters long; at most {MAX_SOURCE_ID}")
    return text


def _raw_body(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LineRefused("body is missing" if not value else "body must be text")
    return value


def body_html(value: str) -> str:
    """The body as the newsroom stores it (`clean_body`: sanitised, normalised); plain text (no tags)
    becomes paragraphs at its blank lines."""
    text = value
    if "<" not in text:
        paras = (p.strip() for p in _BLANK_LINES.split(text.replace("\r\n", "\n")))
        text = "\n".join(f"<p>{html.escape(p, quote=False)}</p>" for p in paras if p)
    cleaned = clean_body(text)
    if not _SOME_TEXT.search(cleaned):
        raise LineRefused("body has no text once cleaned")
    return cleaned


def _authors(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LineRefused("authors must be a list of names")
    names = tuple(dict.fromkeys(n for v in value if (n := normalise_line(v).strip())))
    if any(len(n) > MAX_NAME for n in names):
        raise LineRefused(f"an author's name is longer than {MAX_NAME} characters")
    return names


def _published_at(value: object, *, default_tz: tzinfo, now: datetime) -> datetime:
    if not isinstance(value, str) or not value.strip():
        raise LineRefused("published_at is missing")
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise LineRefused(f"published_at is not an ISO 8601 time: {value[:40]!r}") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=default_tz)  # the publication's own clock
    if when > now:
        raise LineRefused(f"published_at {value[:40]} is in the future")
    if when.year < 1900:
        raise LineRefused(f"published_at {value[:40]} is before 1900")
    return when


def line_parse(raw: bytes, *, default_tz: tzinfo, now: datetime) -> ArchiveLine:
    """Check one line of the file; raises LineRefused with the reason."""
    if len(raw) > MAX_LINE_BYTES:
        raise LineRefused(f"the line is {len(raw):,} bytes long; at most {MAX_LINE_BYTES:,}")
    try:
        data = json.loads(raw)
    except UnicodeDecodeError:
        raise LineRefused("the line is not UTF-8") from None
    except json.JSONDecodeError as exc:
        raise LineRefused(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    if not isinstance(data, dict):
        raise LineRefused(f"a line must be a JSON object, not {type(data).__name__}")
    access = data.get("access") or "metered"
    if access not in ACCESS_LEVELS:
        raise LineRefused(f"access must be one of {', '.join(ACCESS_LEVELS)}, not {str(access)[:20]!r}")
    agency = _text(data, "agency", required=False, limit=20) or None
    authors = _authors(data.get("authors"))
    if not authors and agency is None:
        raise LineRefused("a story needs authors or an agency")
    values = {
        "source_id": _source_id(data),
        "headline": _text(data, "headline", required=True, limit=MAX_HEADLINE),
        "standfirst": _text(data, "standfirst", required=False, limit=MAX_STANDFIRST),
        "body": _raw_body(data.get("body")),
        "section": _text(data, "section", required=True, limit=80),
        "authors": authors,
        "agency": agency,
        "published_at": _published_at(data.get("published_at"), default_tz=default_tz, now=now),
        "access": access,
    }
    digest = hashlib.sha256(json.dumps(values, sort_keys=True, default=str).encode()).hexdigest()
    return ArchiveLine(**values, digest=digest)  # type: ignore[arg-type]  # the keys are the fields
