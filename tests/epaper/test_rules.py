"""The e-paper's rules on plain data: refusals, clippings, find."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from broadsheet.epaper import rules
from broadsheet.epaper.rules import ClipRefused, Limits, OpenProblem, PdfFacts

LIMITS = Limits(max_bytes=10 * 1024 * 1024, max_pages=200)
PDF_HEAD = b"%PDF-1.7\n"


def refusal(**facts: object) -> str | None:
    return rules.refusal(PdfFacts(**{"size_bytes": 1000, "head": PDF_HEAD, "page_count": 4, **facts}), LIMITS)


def test_a_good_pdf_is_accepted() -> None:
    assert refusal() is None


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        ({"size_bytes": 11 * 1024 * 1024}, "too large: 11.0 MB, and the limit is 10.0 MB"),
        ({"head": b"\x89PNG\r\n"}, "not a PDF: it is a PNG image"),
        ({"head": b"PK\x03\x04"}, "not a PDF: it is a ZIP archive"),
        ({"head": b"<!DOCTYPE html><html>"}, "not a PDF: it is a web page"),
        ({"head": b""}, "not a PDF: it is an empty file"),
        ({"problem": OpenProblem.PASSWORD}, "encrypted: it needs a password"),
        ({"problem": OpenProblem.DAMAGED, "detail": "data format error"}, "damaged and cannot be read (data format"),
        ({"page_count": 0}, "has no pages"),
        ({"page_count": 201}, "201 pages; an edition may have at most 200"),
    ],
)
def test_each_bad_upload_is_refused_with_its_own_reason(facts: dict, words: str) -> None:
    message = refusal(**facts)
    assert message is not None and words in message


def test_the_size_is_checked_before_anything_else() -> None:
    message = refusal(size_bytes=LIMITS.max_bytes + 1, head=b"junk", problem=OpenProblem.DAMAGED)
    assert message is not None and message.startswith("The file is too large")


def test_junk_before_the_pdf_header_is_tolerated_as_pdf_readers_do() -> None:
    assert rules.looks_like_pdf(b"\x00" * 100 + PDF_HEAD)


def test_a_page_with_an_absurd_shape_is_not_rendered() -> None:
    assert rules.page_shape_problem(850, 1330) is None
    assert "out of bounds" in (rules.page_shape_problem(10, 14400) or "")
    assert "no size" in (rules.page_shape_problem(0, 800) or "")


def test_a_file_with_one_good_page_goes_live_and_one_with_none_fails() -> None:
    assert rules.render_outcome(pages_ok=23, pages_broken=1) is rules.RenderOutcome.READY
    assert rules.render_outcome(pages_ok=0, pages_broken=3) is rules.RenderOutcome.FAILED


def test_a_clipping_keeps_to_the_page_and_to_a_share_of_it() -> None:
    rect = rules.clip_rect(left=0.1, top=0.2, width=0.3, height=0.4, max_fraction=0.5)
    assert rect.pixels(1600, 2500) == (160, 500, 640, 1500)
    with pytest.raises(ClipRefused, match="at most 50% of the page"):
        rules.clip_rect(left=0, top=0, width=1, height=0.8, max_fraction=0.5)
    with pytest.raises(ClipRefused, match="beyond the page"):
        rules.clip_rect(left=0.9, top=0, width=0.3, height=0.2, max_fraction=0.5)
    with pytest.raises(ClipRefused, match="too small"):
        rules.clip_rect(left=0.1, top=0.1, width=0.01, height=0.2, max_fraction=0.5)
    with pytest.raises(ClipRefused, match="not a rectangle"):
        rules.clip_rect(left=math.nan, top=0.1, width=0.2, height=0.2, max_fraction=0.5)


@settings(max_examples=150, deadline=None)
@given(
    left=st.floats(-1, 2) | st.just(math.nan),
    top=st.floats(-1, 2) | st.just(math.nan),
    width=st.floats(-1, 2) | st.just(math.nan),
    height=st.floats(-1, 2) | st.just(math.nan),
)
def test_an_accepted_clipping_never_shows_more_than_the_share_or_leaves_the_page(
    left: float, top: float, width: float, height: float
) -> None:
    try:
        rect = rules.clip_rect(left=left, top=top, width=width, height=height, max_fraction=0.5)
    except ClipRefused:
        return
    x0, y0, x1, y1 = rect.pixels(1000, 1600)
    assert 0 <= x0 < x1 <= 1000 and 0 <= y0 < y1 <= 1600
    assert (x1 - x0) * (y1 - y0) <= 0.5 * 1000 * 1600 * 1.01


def test_find_ignores_case_accents_and_line_breaks() -> None:
    text = "The Reserve Bank held the repo\nrate. Café owners and CAFE staff said so."
    assert [text[a:b] for a, b in rules.find_spans(text, "repo rate")] == ["repo\nrate"]
    assert [text[a:b] for a, b in rules.find_spans(text, "cafe")] == ["Café", "CAFE"]
    assert rules.find_spans(text, "monsoon") == []


def test_find_maps_a_match_to_the_boxes_of_its_words() -> None:
    text = "alpha beta gamma delta"
    words = rules.words_in(text)
    boxes = [[0, 0, 10, 10], [20, 0, 30, 10], [40, 0, 50, 10], [60, 0, 70, 10]]
    (span,) = rules.find_spans(text, "beta gam")
    assert rules.boxes_for(span, words, boxes) == [[20, 0, 30, 10], [40, 0, 50, 10]]


def test_find_refuses_empty_and_absurd_queries() -> None:
    for raw, words in [("   ", "Type a word"), ("x" * 101, "at most 100"), ("%%%", "a word or a number")]:
        with pytest.raises(rules.QueryRefused, match=words):
            rules.clean_query(raw)
    assert rules.clean_query("  repo   rate ") == "repo rate"


def test_a_snippet_shows_the_words_around_the_match() -> None:
    text = "one two three four five six seven eight nine ten " * 5
    before, match, after = rules.snippet(text, (14, 18), around=12)
    assert match == "four" and before.startswith("…") and after.endswith("…")


def test_the_paywall_opens_the_e_paper_to_holders_and_staff_only_and_never_to_crawlers() -> None:
    from broadsheet.paywall.access import Outcome, ReaderFacts, Reason, decide_benefit

    def outcome(**facts: object) -> tuple[Outcome, Reason]:
        reader = ReaderFacts(**{"is_staff": False, "is_registered": True, "benefits": frozenset(), **facts})
        decision = decide_benefit(benefit="epaper", reader=reader)
        return decision.outcome, decision.reason

    assert outcome(benefits=frozenset({"epaper"})) == (Outcome.OPEN, Reason.ENTITLED)
    assert outcome(is_staff=True) == (Outcome.OPEN, Reason.STAFF)
    assert outcome(benefits=frozenset({"premium", "archive"})) == (Outcome.PAYWALL, Reason.NEEDS_BENEFIT)
    assert outcome(is_registered=False, verified_crawler=True) == (Outcome.PAYWALL, Reason.NEEDS_BENEFIT)


def test_page_text_reads_as_paragraphs() -> None:
    """As the web viewer joins them: a hyphen at a line's end stays (it may be a real one)."""
    text = (
        "Rain arrives early\n"
        "The monsoon reached the Kerala coast three days ahead of the fore-\n"
        "cast on Tuesday, the weather office said, with rain at eleven sta-\n"
        "tions in the state.\n"
        "Farmers welcomed the early start, which lets sowing begin before\n"
        "the end of the month across the southern districts of the state.\n"
        "\n"
        "Page 2\n"
    )
    assert rules.text_paragraphs(text) == [
        "Rain arrives early",
        "The monsoon reached the Kerala coast three days ahead of the fore-cast on Tuesday, the weather office"
        " said, with rain at eleven sta-tions in the state.",
        "Farmers welcomed the early start, which lets sowing begin before the end of the month across the"
        " southern districts of the state. Page 2",
    ]
    assert rules.text_paragraphs("  \n\n") == []
