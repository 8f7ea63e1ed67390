"""Bytes in, a `ParsedFile` out: detect the format, refuse hostile XML, hand on to the format's parser.

XML is parsed by defusedxml: a document that declares entities (the "billion
laughs" bomb) or points at external ones is refused before anything expands.

A parse never raises on content: whatever goes wrong with one item is that
item's reason (each format catches it), and whatever goes wrong with the file
as a whole is the file's, so one bad file or item is quarantined and the pass
goes on.
"""

from __future__ import annotations

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from broadsheet.wire.formats import feeds, newsml, ninjs
from broadsheet.wire.formats.common import unreadable
from broadsheet.wire.formats.newsml import local
from broadsheet.wire.items import ParsedFile


def parse_bytes(data: bytes, *, max_item_bytes: int) -> ParsedFile:
    """The file's items, or the reason it cannot be read. Never raises."""
    try:
        return _parse(data, max_item_bytes=max_item_bytes)
    except Exception as exc:
        return ParsedFile(None, error=f"the whole file: {unreadable(exc)}")


def _parse(data: bytes, *, max_item_bytes: int) -> ParsedFile:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if not head:
        return ParsedFile(None, error="the file is empty")
    if head in (b"{", b"["):
        return ninjs.parse(data, max_item_bytes=max_item_bytes)
    if head != b"<":
        return ParsedFile(None, error="not JSON or XML: unknown format")
    try:
        root = SafeET.fromstring(data, forbid_dtd=False, forbid_entities=True, forbid_external=True)
    except DefusedXmlException as exc:
        return ParsedFile(None, error=f"refused unsafe XML: {type(exc).__name__} ({exc})")
    except SafeET.ParseError as exc:
        return ParsedFile(None, error=f"malformed XML (or not UTF-8 as declared): {exc}")
    name = local(root.tag)
    if name in ("item", "entry"):  # one feed entry kept from a quarantined feed: put it back in a feed
        return _parse(_rewrap(data, name), max_item_bytes=max_item_bytes)
    if name in ("newsMessage", "newsItem"):
        return newsml.parse(root, max_item_bytes=max_item_bytes)
    if name in ("rss", "feed", "RDF"):
        return feeds.parse(data, root, max_item_bytes=max_item_bytes)
    return ParsedFile(None, error=f"<{name}> is not a format the wire desk reads (ninjs, NewsML-G2, RSS, Atom)")


def _rewrap(data: bytes, name: str) -> bytes:
    body = data.split(b"?>", 1)[1] if data.lstrip().startswith(b"<?xml") else data
    if name == "item":
        return b'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>' + body + b"</channel></rss>"
    return b'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">' + body + b"</feed>"
