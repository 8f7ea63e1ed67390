"""Lay out a print edition as a PDF with fpdf2: masthead, folios, stories in columns.

Used for the demo editions (`broadsheet epaper-demo`) and by the tests and the
benchmark to make editions of any length. No Django here: stories come in as
plain data. Each page prints a reference code in its footer (`PagePlan.code`):
the demo gives every page a unique one, which the leak tests look for.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import MethodReturnValue

SERIF = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf")
SERIF_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf")
SERIF_CONDENSED = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed.ttf")
SERIF_CONDENSED_ITALIC = Path("/usr/share/fonts/truetype/dejavu/DejaVuSerifCondensed-Italic.ttf")
SANS_BOLD = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")

PAGE_W, PAGE_H = 300.0, 470.0  # mm, about a broadsheet's proportions
MARGIN = 12.0
COLUMNS = 6
GUTTER = 4.0
BODY_PT, BODY_LEADING = 8.6, 3.9  # points, mm
# The typographic characters the PDF core fonts lack, for a system without DejaVu.
_LATIN1 = str.maketrans(
    {
        "\u201c": '"',
        "\u201d": '"',
        "\u2018": "'",
        "\u2019": "'",
        "\u2014": "-",
        "\u2013": "-",
        "\u20b9": "Rs ",
        "\u2026": "...",
    }
)


@dataclass(frozen=True, slots=True)
class PrintStory:
    headline: str
    standfirst: str
    byline: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PagePlan:
    section: str  # the folio's section name ("Front page", "Economy", …)
    stories: tuple[PrintStory, ...]
    code: str  # printed in the footer: a reference unique to this page


@dataclass(frozen=True, slots=True)
class EditionPlan:
    publication: str
    tagline: str
    edition: str
    day: date
    pages: tuple[PagePlan, ...] = field(default_factory=tuple)


class _Fonts:
    """DejaVu where the system has it (every character of our copy), else the PDF core fonts in Latin-1."""

    def __init__(self, doc: FPDF) -> None:
        self.unicode = all(p.exists() for p in (SERIF, SERIF_BOLD, SERIF_CONDENSED, SERIF_CONDENSED_ITALIC, SANS_BOLD))
        if self.unicode:
            doc.add_font("body", "", str(SERIF_CONDENSED))
            doc.add_font("body", "I", str(SERIF_CONDENSED_ITALIC))
            doc.add_font("head", "", str(SERIF_BOLD))
            doc.add_font("serif", "", str(SERIF))
            doc.add_font("label", "", str(SANS_BOLD))
        self.names = {"body": "body", "head": "head", "serif": "serif", "label": "label"}
        if not self.unicode:
            self.names = {"body": "Times", "head": "Times", "serif": "Times", "label": "Helvetica"}

    def text(self, value: str) -> str:
        return value if self.unicode else value.translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


class _Page:
    """One page's columns, filled top-down: each story takes the columns whose tops are lowest."""

    def __init__(self, doc: FPDF, fonts: _Fonts, top: float) -> None:
        self.doc, self.fonts = doc, fonts
        self.col_w = (PAGE_W - 2 * MARGIN - (COLUMNS - 1) * GUTTER) / COLUMNS
        self.tops = [top] * COLUMNS
        self.bottom = PAGE_H - MARGIN - 10

    def x_of(self, col: int) -> float:
        return MARGIN + col * (self.col_w + GUTTER)

    def place(self, story: PrintStory, span: int, headline_pt: float) -> bool:
        start = min(range(COLUMNS - span + 1), key=lambda c: (max(self.tops[c : c + span]), c))
        y = max(self.tops[start : start + span])
        width = span * self.col_w + (span - 1) * GUTTER
        head_h = self._headline(story, self.x_of(start), y, width, headline_pt, dry=True)
        lines = self._lines(story)
        per_col = -(-len(lines) // span)
        needed = head_h + per_col * BODY_LEADING + 6
        room = self.bottom - y
        if room < head_h + 12 * BODY_LEADING:
            return False
        if needed > room:  # cut the story to the room left, as a sub-editor would
            per_col = int((room - head_h - 6) // BODY_LEADING)
            lines = [*lines[: per_col * span - 1], ("…", False)]
        self._headline(story, self.x_of(start), y, width, headline_pt, dry=False)
        body_top = y + head_h
        for n, col_lines in enumerate(itertools.batched(lines, per_col)):
            self._column(col_lines, self.x_of(start + n), body_top)
        end = body_top + per_col * BODY_LEADING + 3
        self.doc.set_draw_color(160)
        self.doc.line(self.x_of(start), end, self.x_of(start) + width, end)
        for c in range(start, start + span):
            self.tops[c] = end + 3
        return True

    def _headline(self, story: PrintStory, x: float, y: float, width: float, size: float, *, dry: bool) -> float:
        doc, fonts = self.doc, self.fonts
        top = y
        doc.set_font(fonts.names["head"], size=size)
        line_h = size * 0.42
        y += _block(doc, x, y, width, line_h, fonts.text(story.headline), dry=dry)
        if story.standfirst:
            doc.set_font(fonts.names["serif"], size=max(9.5, size * 0.42))
            y += 1.2 + _block(
                doc, x, y + 1.2, width, max(9.5, size * 0.42) * 0.45, fonts.text(story.standfirst), dry=dry
            )
        if story.byline:
            doc.set_font(fonts.names["label"], size=7)
            y += 1.5 + _block(doc, x, y + 1.5, width, 3.2, fonts.text(story.byline.upper()), dry=dry)
        return y - top + 2.5

    def _lines(self, story: PrintStory) -> list[tuple[str, bool]]:
        """The body as (line, starts a paragraph) at this column width."""
        doc, fonts = self.doc, self.fonts
        doc.set_font(fonts.names["body"], size=BODY_PT)
        lines: list[tuple[str, bool]] = []
        for para in story.paragraphs:
            wrapped: list[str] = doc.multi_cell(  # type: ignore[assignment]  # output=LINES gives the lines
                self.col_w - 2.5, BODY_LEADING, fonts.text(para), dry_run=True, output=MethodReturnValue.LINES
            )
            lines += [(line, i == 0) for i, line in enumerate(wrapped)]
        return lines

    def _column(self, lines: tuple[tuple[str, bool], ...], x: float, y: float) -> None:
        doc = self.doc
        doc.set_font(self.fonts.names["body"], size=BODY_PT)
        for n, (line, first) in enumerate(lines):
            indent = 2.5 if first and n else 0.0
            doc.set_xy(x + indent, y + n * BODY_LEADING)
            doc.cell(self.col_w - indent, BODY_LEADING, line)


def _block(doc: FPDF, x: float, y: float, width: float, line_h: float, text: str, *, dry: bool) -> float:
    doc.set_xy(x, y)
    if dry:
        lines = doc.multi_cell(width, line_h, text, dry_run=True, output=MethodReturnValue.LINES, align="L")
        return len(lines) * line_h  # type: ignore[arg-type]
    doc.multi_cell(width, line_h, text, align="L")
    return doc.get_y() - y


def _long_date(day: date) -> str:
    return f"{day:%A}, {day.day} {day:%B %Y}"


def _masthead(doc: FPDF, fonts: _Fonts, plan: EditionPlan, pages: int) -> float:
    doc.set_font(fonts.names["head"], size=46)
    doc.set_xy(MARGIN, MARGIN + 2)
    doc.cell(PAGE_W - 2 * MARGIN, 20, fonts.text(plan.publication), align="C")
    doc.set_font(fonts.names["serif"], size=10)
    doc.set_xy(MARGIN, MARGIN + 23)
    doc.cell(PAGE_W - 2 * MARGIN, 5, fonts.text(plan.tagline), align="C")
    y = MARGIN + 31
    doc.set_line_width(0.8)
    doc.line(MARGIN, y, PAGE_W - MARGIN, y)
    doc.set_font(fonts.names["label"], size=8)
    doc.set_xy(MARGIN, y + 1.5)
    doc.cell(90, 5, fonts.text(_long_date(plan.day)))
    doc.set_xy(PAGE_W / 2 - 45, y + 1.5)
    doc.cell(90, 5, fonts.text(f"{plan.edition} edition"), align="C")
    doc.set_xy(PAGE_W - MARGIN - 90, y + 1.5)
    doc.cell(90, 5, f"{pages} pages", align="R")
    doc.set_line_width(0.3)
    doc.line(MARGIN, y + 8, PAGE_W - MARGIN, y + 8)
    doc.set_line_width(0.2)
    return y + 12


def _folio(doc: FPDF, fonts: _Fonts, plan: EditionPlan, number: int, section: str) -> float:
    doc.set_font(fonts.names["label"], size=8)
    doc.set_xy(MARGIN, MARGIN)
    doc.cell(100, 5, fonts.text(plan.publication.upper()))
    doc.set_xy(PAGE_W / 2 - 50, MARGIN)
    doc.cell(100, 5, fonts.text(section.upper()), align="C")
    doc.set_xy(PAGE_W - MARGIN - 100, MARGIN)
    doc.cell(100, 5, fonts.text(f"{_long_date(plan.day)} · {number}"), align="R")
    doc.set_line_width(0.5)
    doc.line(MARGIN, MARGIN + 6.5, PAGE_W - MARGIN, MARGIN + 6.5)
    doc.set_line_width(0.2)
    return MARGIN + 10


def _footer(doc: FPDF, fonts: _Fonts, plan: EditionPlan, number: int, code: str) -> None:
    doc.set_font(fonts.names["body"], size=6.5)
    doc.set_xy(MARGIN, PAGE_H - MARGIN - 4)
    doc.cell(PAGE_W / 2, 4, fonts.text(f"{plan.publication} · {plan.edition} · page {number}"))
    doc.set_xy(PAGE_W / 2, PAGE_H - MARGIN - 4)
    doc.cell(PAGE_W / 2 - MARGIN, 4, f"Page ref. {code}", align="R")


def edition_pdf(plan: EditionPlan) -> bytes:
    """The whole edition as PDF bytes: page 1 with the masthead, the rest with folios."""
    doc = FPDF(unit="mm", format=(PAGE_W, PAGE_H))
    doc.set_auto_page_break(False)
    doc.set_title(f"{plan.publication}, {plan.edition}, {plan.day.isoformat()}")
    doc.set_creator("Broadsheet")
    fonts = _Fonts(doc)
    total = len(plan.pages)
    for number, page_plan in enumerate(plan.pages, start=1):
        doc.add_page()
        top = _masthead(doc, fonts, plan, total) if number == 1 else _folio(doc, fonts, plan, number, page_plan.section)
        page = _Page(doc, fonts, top)
        for n, story in enumerate(page_plan.stories):
            span, size = (4, 30.0) if n == 0 and number == 1 else ((3, 20.0) if n == 0 else (2, 14.0))
            if not page.place(story, span, size) and not page.place(story, 2, 12.0):
                break
        _footer(doc, fonts, plan, number, page_plan.code)
    return bytes(doc.output())
