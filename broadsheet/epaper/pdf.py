"""PDF in, page images and text out: the one module that talks to pdfium (pypdfium2) and Pillow.

pdfium is not thread-safe: pypdfium2 serialises calls itself within a process, and
the worker renders one printing at a time.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING

from PIL import Image

from broadsheet.core.lazy_modules import lazy_module
from broadsheet.epaper.rules import HEAD_BYTES, OpenProblem, PdfFacts, looks_like_pdf, page_shape_problem

NO_ERROR = 0  # FPDF_ERR_SUCCESS
PASSWORD_ERROR = 4  # FPDF_ERR_PASSWORD
_END_BYTES = 1024 * 1024
_EMPTY_TREE = re.compile(rb"/Count\s+0(?![0-9.])")
_SOME_PAGES = re.compile(rb"/Type\s*/Page(?![s\w])")
SCALE = 10_000  # word boxes are stored in ten-thousandths of the page
_WORD = re.compile(r"\S+")

if TYPE_CHECKING:
    import pypdfium2 as pdfium
else:
    # Loaded by the first PDF read (an upload's check, the rendering job), not by every web worker.
    pdfium = lazy_module("pypdfium2")


def inspect(stream: IO[bytes], size_bytes: int) -> PdfFacts:
    """What the upload checks need: the header, whether pdfium opens it, its pages.

    `stream` must be seekable; it is left at its start.
    """
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    if not looks_like_pdf(head):
        return PdfFacts(size_bytes=size_bytes, head=head)
    try:
        doc = pdfium.PdfDocument(stream)
    except pdfium.PdfiumError as exc:
        return _why_not(stream, size_bytes, head, exc)
    try:
        return PdfFacts(size_bytes=size_bytes, head=head, page_count=len(doc))
    finally:
        doc.close()
        stream.seek(0)


def _ends(stream: IO[bytes], size_bytes: int) -> bytes:
    """The first and last megabyte: where a PDF keeps its trailer, its encryption and its page tree root."""
    stream.seek(0)
    start = stream.read(_END_BYTES)
    stream.seek(max(0, size_bytes - _END_BYTES))
    end = stream.read(_END_BYTES)
    stream.seek(0)
    return start + end


def _why_not(stream: IO[bytes], size_bytes: int, head: bytes, exc: pdfium.PdfiumError) -> PdfFacts:
    """Why pdfium would not open the file. pdfium's error code is process-wide and not always set
    by the failing call, so each reason is confirmed in the file's own bytes before it is given."""
    ends = _ends(stream, size_bytes)
    code = getattr(exc, "err_code", None)
    if code == PASSWORD_ERROR and b"/Encrypt" in ends:
        return PdfFacts(size_bytes=size_bytes, head=head, problem=OpenProblem.PASSWORD)
    if _EMPTY_TREE.search(ends) and not _SOME_PAGES.search(ends):
        return PdfFacts(size_bytes=size_bytes, head=head, page_count=0)  # well formed, but no page in it
    detail = "" if code in (NO_ERROR, PASSWORD_ERROR) else _pdfium_words(exc)
    return PdfFacts(size_bytes=size_bytes, head=head, problem=OpenProblem.DAMAGED, detail=detail)


def _pdfium_words(exc: Exception) -> str:
    text = str(exc)
    found = re.search(r"\(PDFium: ([^)]*)\)", text)
    return (found.group(1) if found else text).rstrip(".").lower()


@dataclass(slots=True)
class RenderedPage:
    number: int
    image: bytes = b""
    width: int = 0
    height: int = 0
    thumb: bytes = b""
    thumb_width: int = 0
    thumb_height: int = 0
    text: str = ""
    words: list[list[int]] = field(default_factory=list)
    error: str = ""  # set when the page could not be rendered; the rest is then empty


@dataclass(frozen=True, slots=True)
class ImageSpec:
    reading_width: int
    thumb_width: int
    format: str  # "webp" or "jpeg"

    @property
    def extension(self) -> str:
        return "jpg" if self.format == "jpeg" else "webp"

    @property
    def content_type(self) -> str:
        return "image/jpeg" if self.format == "jpeg" else "image/webp"


def encode(image: Image.Image, spec: ImageSpec, *, small: bool = False) -> bytes:
    out = io.BytesIO()
    if spec.format == "jpeg":
        image.save(out, "JPEG", quality=80 if small else 82, optimize=True, progressive=not small)
    else:
        # method 2: half the encoding time of the default 4 for about 2% more bytes (measured on demo pages)
        image.save(out, "WEBP", quality=75 if small else 78, method=2)
    return out.getvalue()


def render_document(stream: IO[bytes] | str, spec: ImageSpec, *, start: int = 0) -> Iterator[RenderedPage]:
    """Every page of the PDF (a seekable stream or a path) from index `start` on, in order; a page that
    fails comes back with `error` set, and the rest go on."""
    if not isinstance(stream, str):
        stream.seek(0)
    doc = pdfium.PdfDocument(stream)
    try:
        for index in range(start, len(doc)):
            yield _render_one(doc, index, spec)
    finally:
        doc.close()


def render_path(path: str, spec: ImageSpec, *, start: int = 0) -> Iterator[RenderedPage]:
    return render_document(path, spec, start=start)


def _render_one(doc: pdfium.PdfDocument, index: int, spec: ImageSpec) -> RenderedPage:
    number = index + 1
    try:
        page = doc[index]
    except pdfium.PdfiumError as exc:
        return RenderedPage(number=number, error=f"pdfium could not load the page ({_pdfium_words(exc)})")
    try:
        width_pt, height_pt = page.get_size()
        problem = page_shape_problem(width_pt, height_pt)
        if problem:
            return RenderedPage(number=number, error=problem)
        bitmap = page.render(scale=spec.reading_width / width_pt, may_draw_forms=False)
        image = bitmap.to_pil().convert("RGB")
        text, words = _text_and_words(page, bitmap, image.size)
        thumb = image.copy()
        thumb.thumbnail((spec.thumb_width, spec.thumb_width * 10), Image.Resampling.LANCZOS)
        return RenderedPage(
            number=number,
            image=encode(image, spec),
            width=image.width,
            height=image.height,
            thumb=encode(thumb, spec, small=True),
            thumb_width=thumb.width,
            thumb_height=thumb.height,
            text=text,
            words=words,
        )
    except MemoryError:
        return RenderedPage(number=number, error="the page needs more memory than the renderer may use")
    except (pdfium.PdfiumError, OSError, ValueError) as exc:
        return RenderedPage(number=number, error=f"the page could not be rendered ({exc})")
    finally:
        page.close()


def _text_and_words(
    page: pdfium.PdfPage, bitmap: pdfium.PdfBitmap, size: tuple[int, int]
) -> tuple[str, list[list[int]]]:
    """The page's text, and for each white-space separated word its box on the rendered image."""
    textpage = page.get_textpage()
    try:
        count = textpage.count_chars()
        raw = textpage.get_text_range() if count else ""
        text = raw.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
        if len(raw) != count:
            return text, []  # pdfium's text and char list disagree: keep the text, skip the boxes
        conv = bitmap.get_posconv(page)
        width, height = size
        words = []
        for match in _WORD.finditer(raw):
            boxes = [textpage.get_charbox(i) for i in range(match.start(), match.end())]
            left = min(b[0] for b in boxes)
            bottom = min(b[1] for b in boxes)
            right = max(b[2] for b in boxes)
            top = max(b[3] for b in boxes)
            x0, y0 = conv.to_bitmap(left, top)
            x1, y1 = conv.to_bitmap(right, bottom)
            words.append(
                [
                    _scaled(min(x0, x1), width),
                    _scaled(min(y0, y1), height),
                    _scaled(max(x0, x1), width),
                    _scaled(max(y0, y1), height),
                ]
            )
        return text, words  # "\r\n" became "\n": the words, and so their order, are unchanged
    finally:
        textpage.close()


def _scaled(value: float, whole: int) -> int:
    return max(0, min(SCALE, round(value * SCALE / whole))) if whole else 0
