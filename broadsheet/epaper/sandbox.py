"""Render a PDF's pages in a child process, with a memory cap and a time limit per page.

A hostile or broken PDF (an image that decompresses to gigabytes, a page that
sends pdfium into a loop or a crash) then costs one page, not the worker: the
page is marked broken with the reason, a fresh child takes up the next page,
and the rest of the edition renders. One child renders every page when nothing
goes wrong, so the cost is one interpreter start per edition.

The child is `python -m broadsheet.epaper.sandbox`; it imports `pdf` and no
Django. It answers in frames of a JSON header and the image bytes, never in
pickle: a child that a hostile file has taken over can send junk, not code.
"""

from __future__ import annotations

import json
import os
import resource
import select
import struct
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import asdict
from typing import IO, Any

from broadsheet.epaper import pdf

MB = 1024 * 1024
_HEADER = struct.Struct(">I")
_MAX_HEADER = 64 * MB


def _write_frame(out: IO[bytes], page: pdf.RenderedPage) -> None:
    meta = asdict(page)
    image, thumb = meta.pop("image"), meta.pop("thumb")
    meta["image_bytes"], meta["thumb_bytes"] = len(image), len(thumb)
    header = json.dumps(meta).encode()
    out.write(_HEADER.pack(len(header)) + header + image + thumb)
    out.flush()


def _read_exactly(stream: IO[bytes], n: int) -> bytes:
    data = stream.read(n)
    if data is None or len(data) != n:
        raise EOFError
    return data


def _read_frame(stream: IO[bytes]) -> pdf.RenderedPage:
    (size,) = _HEADER.unpack(_read_exactly(stream, _HEADER.size))
    if size > _MAX_HEADER:
        raise EOFError
    meta: dict[str, Any] = json.loads(_read_exactly(stream, size))
    image = _read_exactly(stream, int(meta.pop("image_bytes")))
    thumb = _read_exactly(stream, int(meta.pop("thumb_bytes")))
    return pdf.RenderedPage(image=image, thumb=thumb, **meta)


def _child_command(path: str, spec: pdf.ImageSpec, start: int, memory_mb: int) -> list[str]:
    args = [path, str(start), str(spec.reading_width), str(spec.thumb_width), spec.format, str(memory_mb)]
    return [sys.executable, "-m", "broadsheet.epaper.sandbox", *args]


def render_pages(
    path: str, spec: pdf.ImageSpec, page_count: int, *, memory_mb: int, page_seconds: float
) -> Iterator[pdf.RenderedPage]:
    """Every page in order, each from a child process; a page the child dies on comes back broken."""
    done = 0
    while done < page_count:
        child = subprocess.Popen(  # noqa: S603 - our own module, arguments we made
            _child_command(path, spec, done, memory_mb), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
        assert child.stdout is not None
        reason = ""
        try:
            while done < page_count:
                ready, _, _ = select.select([child.stdout], [], [], page_seconds)
                if not ready:
                    reason = f"rendering took longer than {page_seconds:g} s"
                    break
                try:
                    page = _read_frame(child.stdout)
                except (EOFError, ValueError, TypeError, KeyError):
                    reason = "the renderer stopped on this page (out of memory, or pdfium crashed)"
                    break
                done += 1
                yield page
        finally:
            child.kill()
            child.wait()
            child.stdout.close()
        if reason:
            done += 1
            yield pdf.RenderedPage(number=done, error=reason)


def main(argv: list[str]) -> int:
    path, start, reading_width, thumb_width, fmt, memory_mb = argv
    limit = int(memory_mb) * MB
    if limit:
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    spec = pdf.ImageSpec(reading_width=int(reading_width), thumb_width=int(thumb_width), format=fmt)
    out = os.fdopen(sys.stdout.fileno(), "wb", closefd=False)
    for page in pdf.render_path(path, spec, start=int(start)):
        _write_frame(out, page)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
