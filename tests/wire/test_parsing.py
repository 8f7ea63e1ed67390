"""The parsers on the project's fixtures, without a database."""

from __future__ import annotations

import pytest

from broadsheet.wire import text
from broadsheet.wire.items import BadEntry, Format, WireEntry
from broadsheet.wire.parsing import parse_bytes
from tests.wire.conftest import FIXTURES

LIMIT = 2 * 1024 * 1024


def parse(name: str):  # type: ignore[no-untyped-def]
    return parse_bytes((FIXTURES / name).read_bytes(), max_item_bytes=LIMIT)


def good(name: str) -> list[WireEntry]:
    return [e for e in parse(name).entries if isinstance(e, WireEntry)]


def test_ninjs_1_fields_are_read_and_the_typed_signoff_is_dropped() -> None:
    (entry,) = good("ninjs1/pns-markets-v1.json")
    assert (entry.guid, entry.version, entry.dateline) == ("urn:pns:2026:markets-001", 1, "MUMBAI")
    assert entry.headline == "Copper futures climb as smelters trim output"
    assert entry.standfirst.startswith("Traders priced in")
    assert entry.subjects[0].code == "medtop:04000000"
    assert "--PNS" not in entry.body_html and entry.body_html.count("<p>") == 2


def test_ninjs_2_lists_are_read() -> None:
    parsed = parse("ninjs2/pns-batch.json")
    assert parsed.format is Format.NINJS
    first = parsed.entries[0]
    assert isinstance(first, WireEntry)
    assert first.headline == "Early monsoon showers reach the Konkan coast"
    assert first.subjects[0].code == "medtop:17000000"  # from the media topic URI
    assert first.dateline == "RATNAGIRI"
    assert isinstance(parsed.entries[-1], BadEntry) and "no headline" in parsed.entries[-1].reason


def test_ninjs_kill_and_embargo() -> None:
    (kill,) = good("ninjs1/pns-markets-kill.json")
    assert kill.kill and "smelter output figures were wrong" in kill.notice
    (embargoed,) = good("ninjs1/pns-embargo.json")
    assert embargoed.embargo is not None and embargoed.embargo.year == 2099
    assert embargoed.body_html.count("<p>") == 2  # plain text became paragraphs


def test_newsml_items_versions_and_a_bad_one() -> None:
    parsed = parse("newsml/pns-message.xml")
    assert parsed.format is Format.NEWSML
    versions = [(e.guid[-9:], e.version) for e in parsed.entries if isinstance(e, WireEntry)]
    assert versions == [("court-020", 1), ("court-020", 2), ("court-020", 1), ("chess-021", 1)]
    bad = parsed.entries[-1]
    assert isinstance(bad, BadEntry) and "'two' is not a whole number" in bad.reason and b"bad-version" in bad.raw
    first = parsed.entries[0]
    assert isinstance(first, WireEntry) and first.dateline == "NEW DELHI, March 2" and "<p>" in first.body_html


def test_rss_and_atom() -> None:
    rss = parse("rss/pns-feed.xml")
    assert rss.format is Format.RSS and len(rss.entries) == 4
    later = good("rss/pns-feed-later.xml")
    assert later[1].kill and "revised the figures" in later[1].notice
    atom = parse("atom/pns-feed.xml")
    entries = [e for e in atom.entries if isinstance(e, WireEntry)]
    assert atom.format is Format.ATOM and len(entries) == 4
    assert entries[1].version is not None and entries[0].version is not None and entries[1].version > entries[0].version
    assert entries[3].kill and entries[3].guid == "tag:pns.example,2026:lib-041"  # the RFC 6721 tombstone


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("hostile/bomb.xml", "EntitiesForbidden"),
        ("hostile/xxe.xml", "EntitiesForbidden"),
        ("hostile/truncated.json", "truncated or malformed JSON"),
        ("hostile/invalid-utf8.json", "not valid UTF-8"),
        ("hostile/invalid-utf8.xml", "malformed XML"),
    ],
)
def test_hostile_files_are_refused_whole_with_a_reason(name: str, reason: str) -> None:
    parsed = parse(name)
    assert not parsed.ok and reason in parsed.error and not parsed.entries


def test_json_lines_quarantine_only_the_bad_lines() -> None:
    entries = parse("hostile/mixed-lines.jsonl").entries
    kinds = [type(e).__name__ for e in entries]
    assert kinds == ["WireEntry", "BadEntry", "WireEntry", "BadEntry"]
    assert "not valid UTF-8" in entries[1].reason and "truncated" in entries[3].reason  # type: ignore[union-attr]


def test_script_and_event_handlers_are_stripped() -> None:
    (entry,) = good("hostile/script.json")
    body = entry.body_html.lower()
    for bad in ("<script", "onclick", "onerror", "onmouseover", "javascript:", "<iframe", "style="):
        assert bad not in body
    assert "script-token-safe" in body and "<script" not in entry.headline


def test_an_item_over_the_item_limit_is_bad() -> None:
    parsed = parse_bytes((FIXTURES / "ninjs1/pns-markets-v1.json").read_bytes(), max_item_bytes=100)
    assert isinstance(parsed.entries[0], BadEntry) and "over the limit" in parsed.entries[0].reason


def test_same_words_are_the_same_content_whatever_the_markup() -> None:
    assert text.content_hash("A", "", "<p>x  y</p>\n<p>z</p>") == text.content_hash("A", "", "<p>x y</p><p>z</p>")
    assert text.content_hash("A", "", "<p>x</p>") != text.content_hash("A", "", "<p>y</p>")
