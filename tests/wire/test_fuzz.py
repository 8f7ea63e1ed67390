"""The three parsers on whatever hypothesis can make: they never raise, and what they let through is clean.

ninjs gets arbitrary JSON values in every field it reads (and lone surrogates, controls, bidi
controls and markup in its text); NewsML-G2 and RSS/Atom get arbitrary element trees in their
own vocabulary; all of them get arbitrary bytes and damaged copies of the project's fixtures.
Example counts are kept small so the suite stays fast; `HYPOTHESIS_WIRE_EXAMPLES=5000` hunts longer.
"""

from __future__ import annotations

import json
import os
import unicodedata
from typing import Any
from xml.etree import ElementTree as ET

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from broadsheet.core.text import BIDI_CONTROLS, xml_text
from broadsheet.wire.items import BadEntry, ParsedFile, WireEntry
from broadsheet.wire.models import WireFile, WireItem
from broadsheet.wire.parsing import parse_bytes
from tests.wire.conftest import FIXTURES, Desk

EXAMPLES = int(os.environ.get("HYPOTHESIS_WIRE_EXAMPLES", "60"))
fuzz = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LIMIT = 2 * 1024 * 1024

# --- what a clean result is -------------------------------------------------------------------

ONE_LINE = ("guid", "headline", "standfirst", "dateline", "notice")


def assert_storable(value: str, *, one_line: bool) -> None:
    value.encode("utf-8")  # no lone surrogates
    assert xml_text(value) == value, f"not writable as XML 1.0: {value!r}"
    assert unicodedata.is_normalized("NFC", value), value
    assert not any(unicodedata.category(c) == "Cc" and c not in "\t\n" for c in value), value
    if one_line:
        assert not any(c in BIDI_CONTROLS or c in "\t\n" for c in value), value


def assert_clean(parsed: ParsedFile) -> None:
    assert isinstance(parsed, ParsedFile)
    if not parsed.ok:
        assert parsed.error and not parsed.entries
        parsed.error.encode("utf-8")
        return
    for entry in parsed.entries:
        if isinstance(entry, BadEntry):
            assert entry.reason
            entry.reason.encode("utf-8")
            assert isinstance(entry.raw, bytes)
            continue
        assert isinstance(entry, WireEntry)
        for name in ONE_LINE:
            assert_storable(getattr(entry, name), one_line=True)
        assert_storable(entry.body_html, one_line=False)
        for subject in entry.subjects:
            assert_storable(subject.code, one_line=True)
            assert_storable(subject.name, one_line=True)
        assert entry.guid and len(entry.guid) <= 250
        assert entry.kill or (entry.headline and entry.body_html)
        assert "<script" not in entry.body_html.lower()


def parse(data: bytes) -> ParsedFile:
    parsed = parse_bytes(data, max_item_bytes=LIMIT)
    assert_clean(parsed)
    return parsed


# --- text and JSON values ---------------------------------------------------------------------

HOSTILE = [
    "\x00",
    "\x1b",
    "\x0b",
    "\x7f",
    "\x85",
    "\ud800",
    "\udfff",
    "\ufffe",
    "\uffff",
    "\u202e",
    "\u2066",
    "\u200d",
    "\u200c",
    "\u0301",
    "\u2028",
    "<script>",
    "</script>",
    "<!--",
    "&lt;script&gt;",
    "&#27;",
    "&#x202e;",
    "<p onclick='x'>",
    "<",
    "]]>",
    "\r\n",
    "medtop:04000000",
    "2026-03-02T10:00:00Z",
    "9999-12-31T23:59:59Z",
]
any_char = st.characters(codec=None, categories=None, exclude_categories=())
hostile_text = st.lists(st.sampled_from(HOSTILE) | st.text(any_char, max_size=6), max_size=6).map("".join)
json_scalars = st.none() | st.booleans() | st.integers() | st.floats() | hostile_text
json_values = st.recursive(
    json_scalars,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.sampled_from(["value", "role", "name", "code", "uri", "qcode", "contenttype"]) | st.text(max_size=4),
            inner,
            max_size=4,
        )
    ),
    max_leaves=10,
)
NINJS_FIELDS = [
    "uri",
    "guid",
    "version",
    "pubstatus",
    "headline",
    "headlines",
    "body_html",
    "body_text",
    "bodies",
    "description_text",
    "description_html",
    "descriptions",
    "subject",
    "subjects",
    "keywords",
    "embargoed",
    "versioncreated",
    "firstcreated",
    "ednote",
    "dateline",
    "located",
]
# A plausible item, so most examples get past the first checks, with any field replaced by anything.
plausible = {
    "uri": st.just("urn:pns:fuzz") | hostile_text,
    "version": st.sampled_from(["1", 2, "two", -1, 2**70, True, 1.5]),
    "headline": hostile_text.map(lambda t: "Headline " + t),
    "body_text": hostile_text.map(lambda t: "Body " + t),
}
anything = {key: json_values for key in NINJS_FIELDS}
ninjs_items = st.fixed_dictionaries({}, optional={**anything, **plausible}) | st.fixed_dictionaries(
    plausible, optional={k: v for k, v in anything.items() if k not in plausible}
)


def as_json(value: Any, ascii_only: bool) -> bytes:
    # Lone surrogates are written as JSON escapes (\\ud800), or as the invalid UTF-8 they would be.
    return json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")


@fuzz
@given(item=ninjs_items, ascii_only=st.booleans())
def test_ninjs_item_with_anything_in_any_field(item: dict[str, Any], ascii_only: bool) -> None:
    parsed = parse(as_json(item, ascii_only))
    assert parsed.ok or "UTF-8" in parsed.error
    if parsed.ok:
        assert len(parsed.entries) == 1


@fuzz
@given(items=st.lists(ninjs_items | json_values, min_size=1, max_size=4), lines=st.booleans())
def test_ninjs_arrays_and_json_lines_of_anything(items: list[Any], lines: bool) -> None:
    parse(b"\n".join(as_json(i, True) for i in items) if lines else as_json(items, True))


@fuzz
@given(value=json_values)
def test_any_json_document(value: Any) -> None:
    parse(as_json(value, True))


# --- XML: element trees in the formats' own vocabulary --------------------------------------

NEWSML = "http://iptc.org/std/nar/2006-10-01/"
ATOM = "http://www.w3.org/2005/Atom"
TOMBSTONE = "http://purl.org/atompub/tombstones/1.0"
NEWSML_TAGS = [
    "newsItem",
    "itemMeta",
    "pubStatus",
    "embargoed",
    "versionCreated",
    "edNote",
    "contentMeta",
    "headline",
    "description",
    "dateline",
    "located",
    "name",
    "subject",
    "keyword",
    "contentSet",
    "inlineXML",
    "inlineData",
    "html",
    "body",
    "p",
    "script",
    "a",
]
FEED_TAGS = ["channel", "item", "title", "description", "guid", "link", "category", "pubDate", "content", "summary"]
ATOM_TAGS = ["entry", "id", "title", "summary", "content", "updated", "published", "category", "link"]
ATTRIBUTES = ["guid", "version", "qcode", "uri", "role", "contenttype", "ref", "type", "term", "label", "href"]
xml_char = any_char.filter(lambda c: xml_text(c) == c)
xml_words = st.lists(
    st.sampled_from([h for h in HOSTILE if xml_text(h) == h]) | st.text(xml_char, max_size=6), max_size=4
).map("".join)


def trees(root: str, tags: list[str], ns: str = "") -> st.SearchStrategy[ET.Element]:
    def element(tag: str, children: list[ET.Element], text: str, attrs: dict[str, str]) -> ET.Element:
        node = ET.Element(f"{{{ns}}}{tag}" if ns else tag, attrs)
        node.text = text
        node.extend(children)
        return node

    attrs = st.dictionaries(st.sampled_from(ATTRIBUTES), xml_words, max_size=3)
    leaf = st.builds(element, st.sampled_from(tags), st.just([]), xml_words, attrs)
    nodes = st.recursive(
        leaf,
        lambda inner: st.builds(element, st.sampled_from(tags), st.lists(inner, max_size=4), xml_words, attrs),
        max_leaves=25,
    )
    return st.builds(element, st.just(root), st.lists(nodes, max_size=5), xml_words, attrs)


xml_documents = (
    trees("newsMessage", NEWSML_TAGS, NEWSML)
    | trees("newsItem", NEWSML_TAGS)
    | trees("rss", FEED_TAGS)
    | trees("feed", ATOM_TAGS, ATOM)
)


@fuzz
@given(tree=xml_documents)
def test_any_tree_in_the_formats_vocabulary(tree: ET.Element) -> None:
    parse(ET.tostring(tree, encoding="utf-8", xml_declaration=True))


@fuzz
@given(tree=trees("feed", ATOM_TAGS, ATOM), refs=st.lists(xml_words, max_size=3))
def test_atom_with_tombstones_of_anything(tree: ET.Element, refs: list[str]) -> None:
    for ref in refs:
        tree.append(ET.Element(f"{{{TOMBSTONE}}}deleted-entry", {"ref": ref}))
    parse(ET.tostring(tree, encoding="utf-8"))


# --- bytes ------------------------------------------------------------------------------------

FIXTURE_BYTES = sorted(p.read_bytes() for p in FIXTURES.rglob("*") if p.is_file() and p.suffix != ".md")


@fuzz
@given(data=st.binary(max_size=512), head=st.sampled_from([b"", b"{", b"[", b"<", b"\xef\xbb\xbf<", b"<?xml ?>"]))
def test_arbitrary_bytes(data: bytes, head: bytes) -> None:
    parse(head + data)


@fuzz
@given(
    fixture=st.sampled_from(FIXTURE_BYTES),
    cuts=st.lists(
        st.tuples(
            st.floats(0, 1),
            st.integers(0, 40),
            st.sampled_from([h.encode("utf-8", "surrogatepass") for h in HOSTILE]) | st.binary(max_size=8),
        ),
        min_size=1,
        max_size=4,
    ),
)
def test_damaged_fixtures(fixture: bytes, cuts: list[tuple[float, int, bytes]]) -> None:
    data = fixture
    for where, drop, insert in cuts:
        at = int(where * len(data))
        data = data[:at] + insert + data[at + drop :]
    parse(data)


@pytest.mark.parametrize("depth", [10_000, 100_000])
def test_deep_nesting_in_every_format_is_a_reason_not_a_crash(depth: int) -> None:
    documents = [
        b"[" * depth + b"]" * depth,
        b'{"a":' * depth + b"1" + b"}" * depth,
        b"<newsMessage><newsItem guid='x'>" + b"<p>" * depth + b"</p>" * depth + b"</newsItem></newsMessage>",
        b"<rss><channel><item><title>" + b"<b>" * depth + b"</b>" * depth + b"</title></item></channel></rss>",
    ]
    for data in documents:
        parsed = parse(data)
        reasons = [parsed.error] + [e.reason for e in parsed.entries if isinstance(e, BadEntry)]
        assert any(reasons), "a deep document is refused with a reason"


@settings(max_examples=max(10, EXAMPLES // 4), deadline=None, suppress_health_check=list(HealthCheck))
@given(item=ninjs_items)
def test_whatever_a_ninjs_item_holds_ingest_records_it(item: dict[str, Any], desk: Desk) -> None:
    desk.drop("f.json", data=as_json(item, True), as_name=f"f{WireFile.objects.count()}.json")
    tally = desk.ingest()
    assert not tally.errors
    assert not WireFile.objects.filter(state=WireFile.State.PROCESSING).exists()
    assert WireItem.objects.count() >= sum(tally.items.values()) > 0 or tally.files.get("already ingested")
