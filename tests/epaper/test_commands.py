"""`broadsheet epaper-upload`, the worker rendering a 24-page edition, and `epaper-unpublish`."""

from __future__ import annotations

import io
import re
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from broadsheet.epaper import selectors
from broadsheet.epaper.models import Edition, Page, Printing
from tests.epaper import builders as b
from tests.epaper.conftest import stored_files

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=out)
    return out.getvalue()


def write(tmp_path: Path, data: bytes, name: str = "mumbai.pdf") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_24_page_edition_uploaded_from_the_command_line_is_rendered_by_the_worker(
    tmp_path: Path, settings: object
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]  # the worker's schedule claims, our own
    settings.BROADSHEET_GENERATION_PREFIX = f"epapertest-{uuid.uuid4().hex}:gen"  # type: ignore[attr-defined]
    day = selectors.today().isoformat()
    built = b.edition_bytes(24)
    out = run("epaper_upload", write(tmp_path, built.data), "--date", day, "--edition", "Mumbai")
    assert f"Stored: Mumbai, {day}, 24 pages" in out and "Queued for rendering" in out
    printing = Printing.objects.get()
    assert printing.state == Printing.State.QUEUED and selectors.edition_latest() is None

    worker = run("worker", "--once")
    assert "Running broadsheet.epaper.tasks.printing_render_task" in worker and "successful" in worker
    printing.refresh_from_db()
    assert printing.state == Printing.State.READY and printing.pages_done == 24 and printing.pages_broken == 0
    pages = Page.objects.filter(printing=printing).order_by("number")
    assert [p.number for p in pages] == list(range(1, 25))
    assert all(p.image and p.thumb and built.tokens[p.number - 1] in p.text for p in pages)
    assert selectors.edition_latest() == printing.edition


def test_inline_rendering_shows_progress_and_a_summary(tmp_path: Path) -> None:
    day = selectors.today().isoformat()
    out = run(
        "epaper_upload", write(tmp_path, b.edition_bytes(3).data), "--date", day, "--edition", "Delhi", "--inline"
    )
    assert "Checking mumbai.pdf (" in out and "Rendering 3 pages…" in out
    assert re.search(r"page 1/3: 1600 x \d+ px, \d+ words", out)
    assert re.search(r"page 3/3: 1600 x \d+ px", out)
    assert re.search(r"Done: 3 pages rendered in [\d.]+ s \([\d.]+ pages/s\), none broken; ready\.", out)
    assert f"Live at /epaper/{day}/delhi/1/" in out


def test_inline_rendering_names_a_broken_page(tmp_path: Path) -> None:
    data, _ = b.pdf_with_broken_page()
    day = selectors.today().isoformat()
    out = run("epaper_upload", write(tmp_path, data), "--date", day, "--edition", "Mumbai", "--inline")
    assert "page 2/3: BROKEN, pdfium could not load the page" in out
    assert "broken: page 2; ready" in out


def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_stored(tmp_path: Path, epaper_storage: Path) -> None:
    day = selectors.today().isoformat()
    with pytest.raises(CommandError, match="refused: The PDF is encrypted"):
        run("epaper_upload", write(tmp_path, b.encrypted_pdf()), "--date", day, "--edition", "Mumbai")
    with pytest.raises(CommandError, match="refused: This file is not a PDF: it is a PNG image"):
        run("epaper_upload", write(tmp_path, b.png_bytes(), "photo.pdf"), "--date", day, "--edition", "Mumbai")
    with pytest.raises(CommandError, match="--date must be a date like 2026-12-01"):
        run("epaper_upload", write(tmp_path, b.edition_bytes(1).data), "--date", "1/12/2026", "--edition", "Mumbai")
    with pytest.raises(CommandError, match="cannot read"):
        run("epaper_upload", str(tmp_path / "missing.pdf"), "--date", day, "--edition", "Mumbai")
    assert stored_files(epaper_storage) == [] and not Edition.objects.exists()


def test_replacing_needs_replace_when_nobody_is_at_the_keyboard(tmp_path: Path) -> None:
    day = selectors.today().isoformat()
    path = write(tmp_path, b.edition_bytes(2).data)
    run("epaper_upload", path, "--date", day, "--edition", "Mumbai", "--inline")
    with pytest.raises(CommandError, match=r"There is already a Mumbai edition .* pass --replace"):
        run("epaper_upload", path, "--date", day, "--edition", "Mumbai")
    assert Printing.objects.count() == 1
    out = run("epaper_upload", path, "--date", day, "--edition", "Mumbai", "--replace", "--inline")
    assert "ready" in out and Printing.objects.filter(state=Printing.State.READY).count() == 1


def test_unpublish_and_publish_again(tmp_path: Path) -> None:
    edition, _ = b.published(2)
    day = edition.date.isoformat()
    assert "unpublished" in run("epaper_unpublish", "--date", day, "--edition", "Mumbai")
    assert selectors.edition_latest() is None
    assert "published" in run("epaper_unpublish", "--date", day, "--edition", "Mumbai", "--publish")
    assert selectors.edition_latest() == edition
    with pytest.raises(CommandError, match="no Delhi edition"):
        run("epaper_unpublish", "--date", day, "--edition", "Delhi")
