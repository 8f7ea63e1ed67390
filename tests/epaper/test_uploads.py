"""Uploading editions: every bad file refused with its reason and nothing stored; replacing only
after confirmation; a bad file never replaces a good edition; broken pages marked, the rest kept."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone

from broadsheet.epaper import selectors
from broadsheet.epaper.models import Edition, Page, Printing
from broadsheet.epaper.rendering import printing_render
from broadsheet.epaper.uploads import EditionExists, UploadRefused, edition_publish, edition_upload
from tests.epaper import builders as b
from tests.epaper.conftest import stored_files

pytestmark = pytest.mark.django_db


def upload(data: bytes, *, name: str = "Mumbai", replace: bool = False, day: object = None) -> Printing:
    return edition_upload(
        upload=b.upload_of(data),
        day=day or selectors.today(),
        name=name,
        replace=replace,
        actor_id=None,
        at=timezone.now(),
        today=selectors.today(),
        enqueue=False,
    )


def rows() -> tuple[int, int, int]:
    return Edition.objects.count(), Printing.objects.count(), Page.objects.count()


BAD_FILES = {
    "not a PDF": (b.png_bytes, "This file is not a PDF: it is a PNG image"),
    "plain text": (lambda: b"Dear editor, here is the paper.", "This file is not a PDF"),
    "empty": (lambda: b"", "not a PDF: it is an empty file"),
    "encrypted": (b.encrypted_pdf, "The PDF is encrypted: it needs a password to open"),
    "damaged": (lambda: b"%PDF-1.7\n" + b"\x00garbage" * 200, "The PDF is damaged and cannot be read"),
    "no pages": (b.pdf_with_no_pages, "The PDF has no pages."),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_file_is_refused_with_its_reason_and_nothing_is_stored(case: str, epaper_storage: Path) -> None:
    good, _ = b.published(2, edition="Mumbai")
    before_files, before_rows = stored_files(epaper_storage), rows()
    make, message = BAD_FILES[case]
    with pytest.raises(UploadRefused, match=message):
        upload(make(), replace=True, day=good.date)
    assert stored_files(epaper_storage) == before_files
    assert rows() == before_rows
    good.refresh_from_db()
    assert good.current is not None and good.current.state == Printing.State.READY


def test_a_file_over_the_size_limit_is_refused_on_its_size(settings: object, epaper_storage: Path) -> None:
    settings.BROADSHEET_EPAPER_MAX_UPLOAD_MB = 1  # type: ignore[attr-defined]
    data = b.edition_bytes(1).data + b"%" * (1024 * 1024)
    with pytest.raises(UploadRefused, match=r"too large: 1\.\d MB, and the limit is 1\.0 MB"):
        upload(data)
    assert stored_files(epaper_storage) == [] and rows() == (0, 0, 0)


def test_too_many_pages_are_refused(settings: object, epaper_storage: Path) -> None:
    settings.BROADSHEET_EPAPER_MAX_PAGES = 2  # type: ignore[attr-defined]
    with pytest.raises(UploadRefused, match="3 pages; an edition may have at most 2"):
        upload(b.edition_bytes(3).data)
    assert stored_files(epaper_storage) == [] and rows() == (0, 0, 0)


def test_names_and_dates_that_cannot_be_an_edition_are_refused() -> None:
    data = b.edition_bytes(1).data
    for name, words in [("   ", "Give the edition a name"), ("\u0645\u0648\u0645\u0628\u0627\u06cc", "no web address")]:
        with pytest.raises(UploadRefused, match=words):
            upload(data, name=name)
    from datetime import timedelta

    with pytest.raises(UploadRefused, match="more than 7 days ahead"):
        upload(data, day=selectors.today() + timedelta(days=30))
    assert rows() == (0, 0, 0)


def test_uploading_the_same_date_and_edition_again_needs_confirmation(
    epaper_storage: Path, django_capture_on_commit_callbacks: Any
) -> None:
    first, _ = b.published(2, edition="Mumbai", day=selectors.today())
    before = stored_files(epaper_storage)
    second = b.edition_bytes(3, edition="Mumbai")
    with pytest.raises(EditionExists, match="There is already a Mumbai edition for"):
        upload(second.data, name="mumbai")  # the same edition, whatever the capitals
    assert stored_files(epaper_storage) == before and Printing.objects.count() == 1

    printing = upload(second.data, name="Mumbai", replace=True)
    first.refresh_from_db()
    assert first.current is not None and first.current.pk != printing.pk  # the old one is live until rendered
    with django_capture_on_commit_callbacks(execute=True):
        printing_render(printing_id=printing.pk)
    first.refresh_from_db()
    assert first.current_id == printing.pk and first.current.page_count == 3  # type: ignore[union-attr]
    old = Printing.objects.exclude(pk=printing.pk).get()
    assert old.state == Printing.State.SUPERSEDED and not Page.objects.filter(printing=old).exists()
    assert not [name for name in stored_files(epaper_storage) if old.key in name]  # its files are gone


def test_an_upload_whose_pages_all_fail_leaves_the_good_edition_live(
    epaper_storage: Path, django_capture_on_commit_callbacks: Any
) -> None:
    good, _ = b.published(2, edition="Mumbai", day=selectors.today())
    before = stored_files(epaper_storage)
    hopeless = b.raw_pdf(["90 0 R", "91 0 R"], {})  # two pages listed, neither exists
    printing = upload(hopeless, replace=True)
    with django_capture_on_commit_callbacks(execute=True):
        summary = printing_render(printing_id=printing.pk)
    printing.refresh_from_db()
    good.refresh_from_db()
    assert summary.state == Printing.State.FAILED and summary.broken == [1, 2]
    assert "No page could be rendered; the edition was left as it was" in printing.error
    assert good.current is not None and good.current.key in before[0]
    assert stored_files(epaper_storage) == before


def test_a_page_that_fails_is_marked_and_every_other_page_is_kept() -> None:
    data, tokens = b.pdf_with_broken_page()
    printing = upload(data)
    summary = printing_render(printing_id=printing.pk)
    printing.refresh_from_db()
    assert printing.state == Printing.State.READY and printing.pages_broken == 1 and summary.broken == [2]
    pages = {p.number: p for p in Page.objects.filter(printing=printing)}
    assert pages[2].is_broken and "could not load the page" in pages[2].error and not pages[2].image
    assert pages[1].image and tokens[0] in pages[1].text
    assert pages[3].image and tokens[1] in pages[3].text
    assert "page 2" in printing.error


def test_rendering_twice_does_nothing_the_second_time() -> None:
    printing = upload(b.edition_bytes(2).data)
    first = printing_render(printing_id=printing.pk)
    again = printing_render(printing_id=printing.pk)
    assert first.pages == 2 and not first.skipped
    assert again.skipped and Page.objects.filter(printing=printing).count() == 2


def test_a_run_that_died_half_way_starts_again_from_the_first_page() -> None:
    printing = upload(b.edition_bytes(2).data)
    printing_render(printing_id=printing.pk)
    Printing.objects.filter(pk=printing.pk).update(state=Printing.State.RENDERING)  # as a crash would leave it
    Edition.objects.update(current=None)
    summary = printing_render(printing_id=printing.pk)
    assert summary.pages == 2 and summary.state == Printing.State.READY
    assert Page.objects.filter(printing=printing).count() == 2


def test_an_unpublished_edition_is_hidden_from_readers_and_can_come_back() -> None:
    edition, _ = b.published(2)
    assert selectors.edition_get(edition.date, edition.slug) is not None
    assert edition_publish(edition_id=edition.pk, published=False)
    assert selectors.edition_get(edition.date, edition.slug) is None
    assert selectors.edition_latest() is None
    assert not edition_publish(edition_id=edition.pk, published=False)  # already hidden: no change
    assert edition_publish(edition_id=edition.pk, published=True)
    assert selectors.edition_latest() == edition


def test_each_page_has_two_images_and_its_text_with_word_boxes() -> None:
    edition, built = b.published(2, words="monsoon")
    from PIL import Image

    from broadsheet.epaper import conf

    for page in Page.objects.filter(printing__live_for=edition):
        with conf.storage().open(page.image) as big, Image.open(big) as image:
            assert image.size == (page.width, page.height) and image.width == conf.reading_width()
        with conf.storage().open(page.thumb) as small, Image.open(small) as thumb:
            assert thumb.width == conf.thumb_width() and thumb.format == "WEBP"
        assert built.tokens[page.number - 1] in page.text and "monsoon" in page.text
        assert len(page.words) == len(page.text.split())
        assert all(0 <= x0 < x1 <= 10000 and 0 <= y0 < y1 <= 10000 for x0, y0, x1, y1 in page.words)


def test_a_page_that_needs_too_much_memory_or_time_costs_that_page_not_the_worker(
    settings: object, epaper_storage: Path
) -> None:
    good, _ = b.published(2, day=selectors.today())
    before = stored_files(epaper_storage)
    settings.BROADSHEET_EPAPER_RENDER_MEMORY_MB = 64  # type: ignore[attr-defined]  # less than one page needs
    hungry = upload(b.edition_bytes(2).data, replace=True)
    summary = printing_render(printing_id=hungry.pk)
    assert summary.state == Printing.State.FAILED and summary.broken == [1, 2]
    assert "more memory than the renderer may use" in Printing.objects.get(pk=hungry.pk).error

    settings.BROADSHEET_EPAPER_RENDER_MEMORY_MB = 2048  # type: ignore[attr-defined]
    settings.BROADSHEET_EPAPER_PAGE_SECONDS = 0.001  # type: ignore[attr-defined]  # no page is that fast
    slow = upload(b.edition_bytes(2).data, replace=True)
    summary = printing_render(printing_id=slow.pk)
    assert summary.state == Printing.State.FAILED
    assert "rendering took longer than 0.001 s" in Printing.objects.get(pk=slow.pk).error
    good.refresh_from_db()
    assert good.current is not None and good.current.state == Printing.State.READY
    assert [n for n in stored_files(epaper_storage) if n in before] == before  # the live edition's files stay
