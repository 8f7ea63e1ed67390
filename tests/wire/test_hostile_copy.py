"""Hostile copy from an agency: whatever one file or item holds, the rest of the pass goes on,
and nothing stored from the wire can take a page, the feed or a sitemap down."""

from __future__ import annotations

import html
import json
import logging
import os
import unicodedata
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from broadsheet.wire.models import IngestRun, WireFile, WireItem
from broadsheet.wire.services import Context
from tests import factories as f
from tests.wire.conftest import Desk, outcomes
from tests.wire.test_ingest import article_of

pytestmark = pytest.mark.django_db


def ninjs(uri: str, headline: str, body: str = "The body of the story.", **extra: object) -> bytes:
    return json.dumps({"uri": uri, "version": "1", "headline": headline, "body_text": body, **extra}).encode()


GOOD_A = ninjs("urn:pns:a", "Harbour dredging begins")
GOOD_C = ninjs("urn:pns:c", "Ferry timetable changes")
DEEP = 100_000

BAD_FILES = {
    "lone surrogate": b'{"uri":"x","version":"1","headline":"bad \\ud800","body_text":"b"}',
    "subject of the wrong type": ninjs("urn:pns:b", "Subject five", subject=5),
    "keywords of the wrong type": ninjs("urn:pns:b", "Keywords", keywords={"a": 1}),
    "JSON nested 100,000 deep": b'{"uri":"x","headline":' + b'{"a":' * DEEP + b"1" + b"}" * DEEP + b"}",
    "JSON array nested 100,000 deep": b"[" * DEEP + b"]" * DEEP,
    "JSON Lines with a deep line": GOOD_A + b"\n" + b'{"a":' * DEEP + b"1" + b"}" * DEEP,
    "XML nested 100,000 deep": b"<newsItem guid='x'>" + b"<a>" * DEEP + b"</a>" * DEEP + b"</newsItem>",
    "array item with a lone surrogate": b'[{"uri":"x","version":"1","headline":"bad \\ud800","body_text":"b"}]',
    "keyword with a lone surrogate": b'{"uri":"x","version":"1","headline":"h","body_text":"b","keywords":["\\ud800"]}',
    "year 10000 embargo": ninjs("urn:pns:b", "Far west", embargoed="9999-12-31T23:59:59-05:00"),
}


@pytest.mark.parametrize("bad", list(BAD_FILES))
def test_one_bad_file_never_stops_the_files_behind_it(desk: Desk, bad: str) -> None:
    desk.drop("a.json", data=GOOD_A, as_name="a.json")
    desk.drop("b.json", data=BAD_FILES[bad], as_name="b.json")
    desk.drop("c.json", data=GOOD_C, as_name="c.json")
    first, second = desk.ingest(), desk.ingest()

    assert article_of("urn:pns:a").status == "published"
    assert article_of("urn:pns:c").status == "published"
    assert not first.errors and not second.errors
    assert first.items["quarantined"] >= 1 and "quarantined" in first.summary()
    assert not second.items and not second.files  # nothing left behind to retry
    assert not WireFile.objects.filter(state=WireFile.State.PROCESSING).exists()
    bad_items = WireItem.objects.filter(file__name="b.json", state="quarantined")
    assert bad_items.exists() and all(i.reason and (i.raw or i.raw_path) for i in bad_items)
    assert IngestRun.objects.order_by("started_at", "id").first().counts["items"]["quarantined"] >= 1


def test_the_desk_sees_why_a_bad_file_was_quarantined(desk: Desk, client: Client) -> None:
    desk.drop("b.json", data=BAD_FILES["lone surrogate"], as_name="b.json")
    desk.drop("deep.json", data=BAD_FILES["JSON nested 100,000 deep"], as_name="deep.json")
    desk.drop("five.json", data=BAD_FILES["subject of the wrong type"], as_name="five.json")
    desk.drop("kw.json", data=BAD_FILES["keyword with a lone surrogate"], as_name="kw.json")
    desk.ingest()
    items = {i.file.name: i for i in WireItem.objects.select_related("file")}
    assert "not valid Unicode" in items["b.json"].reason and "U+D800" in items["b.json"].reason
    assert "nested too deeply" in items["deep.json"].reason
    # The reason names the broken keyword by its place, so the reason itself is valid text.
    assert "the subject 1 is not valid Unicode" in items["kw.json"].reason
    assert all(i.reason.encode("utf-8") for i in items.values())
    assert "'subject' should be a list" in items["five.json"].reason
    assert (items["b.json"].headline, items["five.json"].headline) == ("bad", "Subject five")

    editor = f.reader("wire@example.com", is_staff=True)
    editor.groups.add(Group.objects.get(name="Wire desk"))
    client.force_login(editor)
    listing = html.unescape(client.get("/admin/wire/wireitem/?state=quarantined").content.decode())
    for item in items.values():
        assert item.reason in listing
    runs = html.unescape(client.get("/admin/wire/ingestrun/").content.decode())
    assert '"quarantined": 4' in runs


def test_a_file_whose_name_is_not_utf8_is_read_like_any_other(desk: Desk) -> None:
    odd = os.fsencode(desk.inbox) + b"/caf\xe9-\x1b.json"
    with open(odd, "wb") as handle:
        handle.write(GOOD_A)
    desk.drop("c.json", data=GOOD_C, as_name="c.json")
    tally = desk.ingest()
    assert not tally.errors and outcomes() == {"published": 2}
    name = WireFile.objects.get(items__guid="urn:pns:a").name
    assert name.encode("utf-8") and "\x1b" not in name
    assert not desk.ingest().files  # known by its name: not read again


HOSTILE_HEADLINE = "Harbour \x1b news \x00 at \x0b dawn \u202eeulb\u202c \u2067isolated\u2069 \ufffe"


def feed_and_sitemaps_parse(client: Client) -> dict[str, ET.Element]:
    documents = {}
    for path in ("/feed/", "/news-sitemap.xml", "/sitemap.xml"):
        response = client.get(path)
        assert response.status_code == 200, path
        documents[path] = ET.fromstring(response.content)
    return documents


def test_control_characters_are_removed_on_the_way_in_and_the_feed_stays_up(desk: Desk, client: Client) -> None:
    body = "First \x1b paragraph \x07 here.\r\n\r\nSecond\u0085 paragraph \x7f here."
    desk.drop("x.json", data=ninjs("urn:pns:ctl", HOSTILE_HEADLINE, body, description_text="Sum\x1bmary"), as_name="x")
    desk.ingest()
    article = article_of("urn:pns:ctl")
    assert article.headline == "Harbour news at dawn eulb isolated"
    assert article.standfirst == "Summary"
    assert article.body == "<p>First paragraph here.</p>\n<p>Second paragraph here.</p>"
    documents = feed_and_sitemaps_parse(client)
    titles = [t.text for t in documents["/feed/"].iter("title")]
    assert "Harbour news at dawn eulb isolated" in titles
    item = WireItem.objects.get(guid="urn:pns:ctl")
    assert "control characters removed" in item.reason and "bidirectional controls removed" in item.reason


def test_text_is_nfc_and_joiners_that_indic_scripts_need_are_kept(desk: Desk) -> None:
    decomposed = unicodedata.normalize("NFD", "Café owners in Köln")
    hindi = "क्\u200dष and न\u200cहीं"  # ZWJ and ZWNJ shape the conjuncts
    desk.drop("n.json", data=ninjs("urn:pns:nfc", f"{decomposed} {hindi}", f"{decomposed}, {hindi}."), as_name="n")
    desk.ingest()
    article = article_of("urn:pns:nfc")
    assert article.headline == f"Café owners in Köln {hindi}"
    assert unicodedata.is_normalized("NFC", article.headline) and "\u200d" in article.headline
    assert "\u200c" in article.body and "Café" in article.body


def test_bidi_overrides_never_reach_the_title_h1_or_feed(desk: Desk, client: Client) -> None:
    data = ninjs("urn:pns:rlo", "Port \u202eedart\u202c opens", dateline="\u202eIAB\u202cMUM")
    desk.drop("r.json", data=data, as_name="r")
    desk.ingest()
    article = article_of("urn:pns:rlo")
    page = client.get(article.get_absolute_url()).content.decode()
    feed = client.get("/feed/").content.decode()
    for text in (page, feed):
        assert not any(ch in text for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
    assert "<title>Port edart opens · The Test Gazette</title>" in page and "IABMUM: The body" in page


def test_a_null_byte_anywhere_is_removed_and_the_item_stored(desk: Desk, client: Client) -> None:
    data = ninjs("urn:pns:\x00nul", "Null\x00 in the headline", "Null\x00 in the body.", ednote="x\x00")
    desk.drop("z.json", data=data, as_name="z\x01.json")
    tally = desk.ingest()
    assert not tally.errors and outcomes() == {"published": 1}
    assert article_of("urn:pns:nul").headline == "Null in the headline"
    feed_and_sitemaps_parse(client)


def test_an_item_sanitised_on_the_way_in_says_markup_was_removed(desk: Desk) -> None:
    desk.drop("hostile/script.json")
    desk.ingest()
    item = WireItem.objects.get()
    assert item.state == "published" and item.reason.startswith("new story")
    assert "markup removed" in item.reason
    for removed in ("<script>", "<iframe>", "onclick", "onerror", "style"):
        assert removed in item.reason


def test_an_item_with_clean_markup_has_no_markup_note(desk: Desk) -> None:
    desk.drop("ninjs1/pns-markets-v1.json")
    desk.ingest()
    assert WireItem.objects.get().reason == "new story, source publishes automatically"


def test_a_year_9999_embargo_is_quarantined_and_logs_its_reason_not_a_traceback(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    desk.drop("e.json", data=ninjs("urn:pns:far", "Far off", embargoed="9999-12-31T23:59:59Z"), as_name="e")
    desk.drop("w.json", data=ninjs("urn:pns:west", "Far west", embargoed="9999-12-31T23:59:59-05:00"), as_name="w")
    with caplog.at_level(logging.DEBUG, logger="broadsheet.wire"):
        desk.ingest()
    items = {i.guid: i for i in WireItem.objects.all()}
    for guid in ("urn:pns:far", "urn:pns:west"):
        assert items[guid].state == "quarantined"
        assert "embargoed" in items[guid].reason and "out of range" in items[guid].reason
    wire_records = [r for r in caplog.records if r.name.startswith("broadsheet.wire")]
    assert any("urn:pns:far" in r.getMessage() and "out of range" in r.getMessage() for r in wire_records)
    assert not [r for r in wire_records if r.exc_info], "a traceback was logged"


def test_a_file_that_cannot_be_read_is_skipped_and_the_rest_go_on(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    desk.drop("a.json", data=GOOD_A, as_name="a.json")
    desk.drop("c.json", data=GOOD_C, as_name="c.json")
    read_bytes = Path.read_bytes

    def refuse_a(path: Path) -> bytes:
        if path.name == "a.json":
            raise PermissionError(13, "Permission denied", str(path))
        return read_bytes(path)

    monkeypatch.setattr(Path, "read_bytes", refuse_a)
    tally = desk.ingest()
    assert outcomes() == {"published": 1} and "cannot read a.json" in tally.errors[0]
    monkeypatch.undo()
    assert dict(desk.ingest().items) == {"published": 1}  # read on the next pass


def test_a_file_that_fails_half_way_for_an_unforeseen_reason_is_quarantined_and_the_pass_goes_on(
    desk: Desk, settings: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings.BROADSHEET_WIRE_CHUNK = 1  # type: ignore[attr-defined]
    two = b"\n".join([GOOD_A, ninjs("urn:pns:b", "Second in the file")])
    desk.drop("two.json", data=two, as_name="two.json")
    desk.drop("c.json", data=GOOD_C, as_name="c.json")
    flush, calls = Context.flush, []

    def fail_second_chunk(ctx: Context) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("disk full")
        flush(ctx)

    monkeypatch.setattr(Context, "flush", fail_second_chunk)
    tally = desk.ingest()
    assert not tally.errors and article_of("urn:pns:c").status == "published"
    assert WireFile.objects.get(name="two.json").state == WireFile.State.QUARANTINED
    rows = {(i.position, i.state) for i in WireItem.objects.filter(file__name="two.json")}
    assert rows == {(0, "published"), (None, "quarantined")}
    reason = WireItem.objects.get(file__name="two.json", position=None).reason
    assert reason == "could not be ingested (RuntimeError: disk full)"
    assert tally.files["quarantined"] == 1 and tally.items["quarantined"] == 1
