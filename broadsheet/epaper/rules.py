"""The e-paper's rules on plain data: which uploads are refused, what a clipping may cover,
whether a rendered edition may go live, and how find-in-edition matches text.

No Django, no ORM, no clock: services gather the facts, call these, and act.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

PDF_MAGIC = b"%PDF-"
HEAD_BYTES = 1024  # PDF allows junk before the header; readers look this far for it
_KNOWN_KINDS = (
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (a Word or InDesign package?)"),
    (b"II*\x00", "a TIFF image"),
    (b"MM\x00*", "a TIFF image"),
    (b"%!PS", "a PostScript file"),
)


class OpenProblem(StrEnum):
    NONE = "none"
    PASSWORD = "password"  # noqa: S105 - pdfium needs a password to open it
    DAMAGED = "damaged"  # pdfium cannot parse it


@dataclass(frozen=True, slots=True)
class PdfFacts:
    size_bytes: int
    head: bytes  # the first HEAD_BYTES bytes
    problem: OpenProblem = OpenProblem.NONE
    page_count: int = 0
    detail: str = ""  # pdfium's own words, for a damaged file


@dataclass(frozen=True, slots=True)
class Limits:
    max_bytes: int
    max_pages: int


def _megabytes(n: int) -> str:
    return f"{n / (1024 * 1024):,.1f} MB"


def looks_like_pdf(head: bytes) -> bool:
    return PDF_MAGIC in head[:HEAD_BYTES]


def what_it_is(head: bytes) -> str:
    """A reader's words for a file that is not a PDF."""
    if not head:
        return "an empty file"
    for magic, name in _KNOWN_KINDS:
        if head.startswith(magic):
            return name
    sniff = head[:200].lstrip().lower()
    if sniff.startswith((b"<!doctype html", b"<html")):
        return "a web page (HTML)"
    return "not a PDF"


def size_refusal(size_bytes: int, limits: Limits) -> str | None:
    """Checked first, before a byte is read: an oversized upload is refused on its size alone."""
    if size_bytes > limits.max_bytes:
        return (
            f"The file is too large: {_megabytes(size_bytes)}, and the limit is {_megabytes(limits.max_bytes)} "
            "(BROADSHEET_EPAPER_MAX_UPLOAD_MB)."
        )
    return None


def refusal(facts: PdfFacts, limits: Limits) -> str | None:
    """Why this upload cannot become an edition, in the editor's words; None when it can."""
    too_big = size_refusal(facts.size_bytes, limits)
    if too_big:
        return too_big
    if not looks_like_pdf(facts.head):
        kind = what_it_is(facts.head)
        noun = "" if kind == "not a PDF" else f": it is {kind}"
        return f"This file is not a PDF{noun}. Export the edition from the layout system as PDF and upload that."
    if facts.problem is OpenProblem.PASSWORD:
        return "The PDF is encrypted: it needs a password to open. Export it again without a password."
    if facts.problem is OpenProblem.DAMAGED:
        why = f" ({facts.detail})" if facts.detail else ""
        return f"The PDF is damaged and cannot be read{why}. Export it again and re-upload."
    if facts.page_count < 1:
        return "The PDF has no pages."
    if facts.page_count > limits.max_pages:
        return (
            f"The PDF has {facts.page_count:,} pages; an edition may have at most {limits.max_pages:,} "
            "(BROADSHEET_EPAPER_MAX_PAGES)."
        )
    return None


class RenderOutcome(StrEnum):
    READY = "ready"  # goes live, replacing the edition's previous file if any
    FAILED = "failed"  # nothing rendered: the previous file (if any) stays live


def render_outcome(*, pages_ok: int, pages_broken: int) -> RenderOutcome:
    """A file with at least one good page goes live (broken pages are marked for the editor)."""
    del pages_broken  # stated for the reader of the call: broken pages never block the others
    return RenderOutcome.READY if pages_ok > 0 else RenderOutcome.FAILED


# Rendering guards: a page is rendered at a fixed width, so its height follows its shape.
MAX_ASPECT = 8.0  # height / width; a broadsheet page is about 1.6, a panorama strip could be 1/4


def page_shape_problem(width_pt: float, height_pt: float) -> str | None:
    """Why a page's box cannot be rendered (a zero or absurd size), or None."""
    if not (width_pt > 1 and height_pt > 1):
        return f"the page has no size ({width_pt:.0f} x {height_pt:.0f} pt)"
    ratio = height_pt / width_pt
    if ratio > MAX_ASPECT or ratio < 1 / MAX_ASPECT:
        return f"the page's shape is out of bounds ({width_pt:.0f} x {height_pt:.0f} pt)"
    return None


class ClipRefused(ValueError):
    """The rectangle cannot be a clipping; the message says why."""


@dataclass(frozen=True, slots=True)
class Rect:
    """A region of a page as fractions of its width and height, from the top left."""

    left: float
    top: float
    width: float
    height: float

    def pixels(self, image_width: int, image_height: int) -> tuple[int, int, int, int]:
        """The crop box (left, upper, right, lower) in an image of the given size."""
        x0 = round(self.left * image_width)
        y0 = round(self.top * image_height)
        x1 = max(x0 + 1, min(image_width, round((self.left + self.width) * image_width)))
        y1 = max(y0 + 1, min(image_height, round((self.top + self.height) * image_height)))
        return x0, y0, x1, y1


MIN_CLIP_SIDE = 0.03  # 3% of the page: smaller is a slip of the finger, not an article


def clip_rect(*, left: float, top: float, width: float, height: float, max_fraction: float) -> Rect:
    """Check a requested clipping region; raise ClipRefused with the reason."""
    values = (left, top, width, height)
    if any(v != v or v in (float("inf"), float("-inf")) for v in values):  # NaN or infinite
        raise ClipRefused("The selection is not a rectangle on the page.")
    if left < 0 or top < 0 or left + width > 1.0001 or top + height > 1.0001:
        raise ClipRefused("The selection goes beyond the page.")
    if width < MIN_CLIP_SIDE or height < MIN_CLIP_SIDE:
        raise ClipRefused("The selection is too small: drag across the story you want to share.")
    if width * height > max_fraction + 1e-9:
        share = round(max_fraction * 100)
        raise ClipRefused(f"A clipping may cover at most {share}% of the page: select the story, not the page.")
    return Rect(left=left, top=top, width=min(width, 1 - left), height=min(height, 1 - top))


# Find in this edition ---------------------------------------------------------------------

MAX_QUERY_CHARS = 100
MAX_HITS_PER_PAGE = 50


class QueryRefused(ValueError):
    pass


def _fold_char(ch: str) -> str:
    decomposed = unicodedata.normalize("NFKD", ch)
    base = "".join(c for c in decomposed if not unicodedata.combining(c))
    return base.casefold()


def fold(text: str) -> tuple[str, list[int]]:
    """Text folded for matching (case and accents ignored, spaces collapsed) and, for each
    folded character, the index of the original character it came from."""
    out: list[str] = []
    origin: list[int] = []
    last_space = True
    for i, ch in enumerate(text):
        if ch.isspace() or ch in "\u00ad":
            if ch == "\u00ad" or last_space:
                continue
            out.append(" ")
            origin.append(i)
            last_space = True
            continue
        for c in _fold_char(ch):
            out.append(c)
            origin.append(i)
        last_space = False
    return "".join(out), origin


def clean_query(raw: str) -> str:
    query = " ".join(raw.split())
    if not query:
        raise QueryRefused("Type a word to find in this edition.")
    if len(query) > MAX_QUERY_CHARS:
        raise QueryRefused(f"Search for at most {MAX_QUERY_CHARS} characters at a time.")
    if not any(c.isalnum() for c in query):
        raise QueryRefused("Type a word or a number to find.")
    return query


def find_spans(text: str, query: str, limit: int = MAX_HITS_PER_PAGE) -> list[tuple[int, int]]:
    """Where `query` occurs in `text`: (start, end) indices into `text`, at most `limit` of them."""
    folded, origin = fold(text)
    needle, _ = fold(query)
    needle = needle.strip()
    if not needle:
        return []
    spans = []
    for match in re.finditer(re.escape(needle), folded):
        start = origin[match.start()]
        end = origin[match.end() - 1] + 1
        spans.append((start, end))
        if len(spans) >= limit:
            break
    return spans


def snippet(text: str, span: tuple[int, int], around: int = 60) -> tuple[str, str, str]:
    """The words before, the match, and the words after, for a results list."""
    start, end = span
    lo = max(0, start - around)
    hi = min(len(text), end + around)
    before = " ".join(text[lo:start].split())
    after = " ".join(text[end:hi].split())
    if lo > 0:
        before = "…" + before.split(" ", 1)[-1] if " " in before else "…" + before
    if hi < len(text):
        after = after.rsplit(" ", 1)[0] + "…" if " " in after else after + "…"
    return before, " ".join(text[start:end].split()), after


def words_in(text: str) -> list[tuple[int, int]]:
    """The (start, end) of each word of `text`, in order: the i-th word owns the i-th stored box."""
    return [(m.start(), m.end()) for m in re.finditer(r"\S+", text)]


def boxes_for(span: tuple[int, int], words: list[tuple[int, int]], boxes: list[list[int]]) -> list[list[int]]:
    """The boxes of the words a match touches."""
    start, end = span
    first = max(0, bisect.bisect_right(words, (start, 1 << 62)) - 1)
    found = []
    for i in range(first, min(len(words), len(boxes))):
        ws, we = words[i]
        if ws >= end:
            break
        if we > start:
            found.append(boxes[i])
    return found


_ENDS_SENTENCE = re.compile(r"[.!?\u201d\":]$")


def text_paragraphs(text: str) -> list[str]:
    """A page's text (the PDF's lines) as paragraphs, for reading it as text.

    A line much shorter than the page's usual line, or a shortish one that ends a
    sentence, ends its paragraph; a line ending in a hyphen joins the next without a space
    (the hyphen stays: it may be a real one). The web viewer joins lines the same way.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    if not lines:
        return []
    lengths = sorted(len(line) for line in lines)
    usual = lengths[len(lengths) // 2]
    out: list[str] = []
    current = ""
    for line in lines:
        current = line if not current else (current + line if current.endswith("-") else f"{current} {line}")
        if len(line) < usual * 0.5 or (_ENDS_SENTENCE.search(line) and len(line) < usual * 0.85):
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
