"""Render a printing: every page to two images and its text, then put it live.

Run by the worker (`tasks.printing_render_task`) or inline by `broadsheet
epaper-upload --inline`. Safe to run twice: a printing already rendered is left
alone, and one left half-done by a crash starts again from its first page.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F

from broadsheet.core import clock
from broadsheet.epaper import conf, files, pdf, sandbox
from broadsheet.epaper.models import Edition, Page, Printing
from broadsheet.epaper.rules import RenderOutcome, render_outcome

Progress = Callable[[int, int, pdf.RenderedPage], None]


@dataclass
class RenderSummary:
    printing_id: int
    state: str
    pages: int = 0
    broken: list[int] = field(default_factory=list)
    seconds: float = 0.0
    skipped: bool = False  # another run had already rendered it

    @property
    def pages_per_second(self) -> float:
        return self.pages / self.seconds if self.seconds > 0 else 0.0

    def line(self) -> str:
        if self.skipped:
            return f"printing {self.printing_id} is already {self.state}: nothing to do"
        broken = f", broken: page {', '.join(map(str, self.broken))}" if self.broken else ", none broken"
        return (
            f"{self.pages} pages rendered in {self.seconds:.1f} s ({self.pages_per_second:.1f} pages/s){broken}; "
            f"{self.state}"
        )


def spec() -> pdf.ImageSpec:
    return pdf.ImageSpec(reading_width=conf.reading_width(), thumb_width=conf.thumb_width(), format=conf.image_format())


def _claim(printing_id: int) -> bool:
    """Take the printing for this run (queued, or left rendering by a run that died)."""
    return bool(
        Printing.objects.filter(pk=printing_id, state__in=[Printing.State.QUEUED, Printing.State.RENDERING]).update(
            state=Printing.State.RENDERING, started_at=clock.now(), pages_done=0, pages_broken=0, error=""
        )
    )


def _page_files(printing_id: int) -> list[str]:
    names: list[str] = []
    for image, thumb in Page.objects.filter(printing_id=printing_id).values_list("image", "thumb"):
        names += [image, thumb]
    return names


@contextmanager
def _local_path(name: str) -> Iterator[str]:
    """The PDF as a file on this machine: in place on file-system storage, else a temporary copy."""
    storage = conf.storage()
    try:
        yield storage.path(name)
        return
    except NotImplementedError:
        pass
    with tempfile.NamedTemporaryFile(suffix=".pdf") as copy, storage.open(name, "rb") as source:
        shutil.copyfileobj(source, copy, 1024 * 1024)
        copy.flush()
        yield copy.name


def _store(page: pdf.RenderedPage, *, printing_id: int, folder: str, image_spec: pdf.ImageSpec) -> None:
    storage = conf.storage()
    row = Page(printing_id=printing_id, number=page.number, error=page.error)
    if not page.error:
        ext = image_spec.extension
        row.image = storage.save(files.page_image_name(folder, page.number, ext), ContentFile(page.image))
        row.thumb = storage.save(files.page_thumb_name(folder, page.number, ext), ContentFile(page.thumb))
        row.width, row.height = page.width, page.height
        row.thumb_width, row.thumb_height = page.thumb_width, page.thumb_height
        row.text, row.words = page.text, page.words
    row.save()
    Printing.objects.filter(pk=printing_id).update(
        pages_done=F("pages_done") + 1, pages_broken=F("pages_broken") + int(bool(page.error))
    )


def printing_render(*, printing_id: int, progress: Progress | None = None) -> RenderSummary:
    printing = Printing.objects.select_related("edition").get(pk=printing_id)
    if not _claim(printing_id):
        return RenderSummary(printing_id, printing.state, pages=printing.pages_done, skipped=True)
    started = time.perf_counter()
    stale = _page_files(printing_id)  # a crashed run's pages: start again
    Page.objects.filter(printing_id=printing_id).delete()
    files.files_delete(stale)
    summary = RenderSummary(printing_id, Printing.State.RENDERING)
    folder = printing.pdf.rsplit("/", 1)[0]
    image_spec = spec()
    errors: list[str] = []
    with _local_path(printing.pdf) as path:
        pages = sandbox.render_pages(
            path, image_spec, printing.page_count, memory_mb=conf.render_memory_mb(), page_seconds=conf.page_seconds()
        )
        for page in pages:
            _store(page, printing_id=printing_id, folder=folder, image_spec=image_spec)
            if page.error:
                summary.broken.append(page.number)
                errors.append(f"page {page.number}: {page.error}")
            summary.pages += 1
            if progress:
                progress(page.number, printing.page_count, page)
    summary.seconds = time.perf_counter() - started
    outcome = render_outcome(pages_ok=summary.pages - len(summary.broken), pages_broken=len(summary.broken))
    summary.state = _finish(printing_id, outcome, errors=errors[:3])
    return summary


def _finish(printing_id: int, outcome: RenderOutcome, *, errors: list[str]) -> str:
    """Put a rendered printing live (the one it replaces is removed after commit), or record the failure."""
    now = clock.now()
    doomed: list[str] = []
    old: Printing | None = None
    with transaction.atomic():
        printing = Printing.objects.select_for_update().get(pk=printing_id)
        edition = Edition.objects.select_for_update(of=("self",)).select_related("current").get(pk=printing.edition_id)
        printing.finished_at = now
        if outcome is RenderOutcome.FAILED:
            printing.state = Printing.State.FAILED
            printing.error = "No page could be rendered; the edition was left as it was. " + "; ".join(errors)
            doomed = [printing.pdf, *_page_files(printing.pk)]
        elif edition.current is not None and edition.current.uploaded_at > printing.uploaded_at:
            printing.state = Printing.State.SUPERSEDED  # a later upload rendered first: it stays live
            doomed = [printing.pdf, *_page_files(printing.pk)]
        else:
            old = edition.current
            printing.state = Printing.State.READY
            printing.error = "; ".join(errors)
            edition.current = printing
            edition.save(update_fields=["current", "updated_at"])
            if old is not None and old.pk != printing.pk:
                Printing.objects.filter(pk=old.pk).update(state=Printing.State.SUPERSEDED)
                doomed = [old.pdf, *_page_files(old.pk)]
        printing.save(update_fields=["state", "error", "finished_at"])
        gone = printing.pk if printing.state != Printing.State.READY else (old.pk if old is not None else None)
        if gone is not None and gone != edition.current_id:
            Page.objects.filter(printing_id=gone).delete()  # their files go after commit
        transaction.on_commit(lambda: files.files_delete(doomed))
    return printing.state
