"""The editors' writes: upload an edition's PDF (replacing after confirmation), publish, unpublish.

An upload is checked in full before a byte is stored: a file that is not a PDF,
an encrypted or damaged PDF, one over the size limit or with no pages is refused
with the reason, and storage and database stay as they were. A good file is
stored, recorded as a queued Printing, and rendered by the worker after commit;
the edition's previous printing stays live until the new one has rendered.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import IO, Any

from django.core.files import File
from django.db import transaction
from django.utils.text import slugify

from broadsheet.epaper import conf, files, pdf
from broadsheet.epaper.models import Clipping, Edition, Page, Printing
from broadsheet.epaper.rules import Limits, refusal, size_refusal
from broadsheet.epaper.tasks import printing_render_task

MAX_DAYS_AHEAD = 7


class UploadRefused(ValueError):
    """The upload cannot become an edition; the message says why, in the editor's words."""


class EditionExists(Exception):
    """An edition for this date and name exists: replacing it needs the editor's confirmation."""

    def __init__(self, edition: Edition, printing: Printing | None) -> None:
        self.edition = edition
        self.printing = printing
        when = f"{edition.date:%d %B %Y}".lstrip("0")
        what = f" ({printing.page_count} pages, uploaded {printing.uploaded_at:%d %b %H:%M} UTC)" if printing else ""
        super().__init__(f"There is already a {edition.name} edition for {when}{what}. Confirm to replace it.")


@dataclass(frozen=True, slots=True)
class Upload:
    """What arrived: the bytes (seekable), their size and the file's own name."""

    stream: IO[bytes]
    size_bytes: int
    name: str


def limits() -> Limits:
    return Limits(max_bytes=conf.max_upload_bytes(), max_pages=conf.max_pages())


def edition_name_clean(name: str) -> tuple[str, str]:
    """The edition's display name and its slug for the address, or UploadRefused."""
    clean = " ".join("".join(c for c in name if c.isprintable()).split())
    if not clean:
        raise UploadRefused("Give the edition a name, e.g. “Mumbai”.")
    if len(clean) > 80:
        raise UploadRefused("The edition's name is too long (at most 80 characters).")
    slug = slugify(clean)[:80]
    if not slug:
        raise UploadRefused(f"The name {clean!r} gives no web address: use Latin letters or digits, e.g. “Mumbai”.")
    return clean, slug


def edition_date_check(day: date, *, today: date) -> None:
    if day > today + timedelta(days=MAX_DAYS_AHEAD):
        raise UploadRefused(f"{day:%d %B %Y} is more than {MAX_DAYS_AHEAD} days ahead: check the date.")
    if day.year < 1900:
        raise UploadRefused(f"{day.isoformat()} is not a date of this paper: check the date.")


def upload_check(upload: Upload) -> int:
    """Refuse a file that cannot be an edition; return its page count."""
    too_big = size_refusal(upload.size_bytes, limits())
    if too_big:
        raise UploadRefused(too_big)
    facts = pdf.inspect(upload.stream, upload.size_bytes)
    problem = refusal(facts, limits())
    if problem:
        raise UploadRefused(problem)
    return facts.page_count


def _sha256(stream: IO[bytes]) -> str:
    digest = hashlib.sha256()
    stream.seek(0)
    for chunk in iter(lambda: stream.read(1024 * 1024), b""):
        digest.update(chunk)
    stream.seek(0)
    return digest.hexdigest()


def _occupant(edition: Edition) -> Printing | None:
    """What a new upload would replace: the live printing, or one still waiting to render."""
    if edition.current_id:
        return edition.current
    return edition.printings.filter(state__in=[Printing.State.QUEUED, Printing.State.RENDERING]).first()


def edition_upload(
    *,
    upload: Upload,
    day: date,
    name: str,
    replace: bool,
    actor_id: int | None,
    at: datetime,
    today: date,
    enqueue: bool = True,
) -> Printing:
    """Check, store and queue one edition's PDF. Raises UploadRefused or EditionExists (nothing stored)."""
    display, slug = edition_name_clean(name)
    edition_date_check(day, today=today)
    page_count = upload_check(upload)
    existing = Edition.objects.filter(date=day, slug=slug).select_related("current").first()
    if existing is not None and not replace and _occupant(existing) is not None:
        raise EditionExists(existing, _occupant(existing))
    sha = _sha256(upload.stream)
    printing = Printing(
        pdf="", original_name=upload.name[:255], size_bytes=upload.size_bytes, sha256=sha, page_count=page_count
    )
    folder = files.printing_folder(day=day, slug=slug, key=printing.key)
    stored = conf.storage().save(files.pdf_name(folder), File(upload.stream, name="edition.pdf"))
    try:
        return _record(
            printing,
            stored=stored,
            day=day,
            display=display,
            slug=slug,
            replace=replace,
            actor_id=actor_id,
            at=at,
            enqueue=enqueue,
        )
    except BaseException:
        files.files_delete([stored])  # the database refused: the storage goes back as it was
        raise


def _record(
    printing: Printing,
    *,
    stored: str,
    day: date,
    display: str,
    slug: str,
    replace: bool,
    actor_id: int | None,
    at: datetime,
    enqueue: bool,
) -> Printing:
    with transaction.atomic():
        edition, _ = Edition.objects.select_for_update().get_or_create(date=day, slug=slug, defaults={"name": display})
        occupant = _occupant(edition)
        if occupant is not None and not replace:  # another upload got in between the check and now
            raise EditionExists(edition, occupant)
        if edition.name != display:
            edition.name = display
            edition.save(update_fields=["name", "updated_at"])
        printing.edition = edition
        printing.pdf = stored
        printing.uploaded_by_id = actor_id
        printing.uploaded_at = at
        printing.save()
        printing_id = printing.pk
        if enqueue:  # else the caller renders it itself (`epaper-upload --inline`, the demo)
            transaction.on_commit(lambda: printing_render_task.enqueue(printing_id=printing_id))
    return printing


def edition_publish(*, edition_id: int, published: bool) -> bool:
    """Show (or hide) an edition to readers; True if it changed."""
    return bool(Edition.objects.filter(pk=edition_id).exclude(is_published=published).update(is_published=published))


def upload_from_path(path: str, handle: Any) -> Upload:
    """An Upload for a file opened from disk (the command line)."""
    return Upload(stream=handle, size_bytes=os.fstat(handle.fileno()).st_size, name=os.path.basename(path))


def edition_delete(*, edition_id: int) -> int:
    """Remove an edition with every printing and clipping of it; their files go after commit."""
    with transaction.atomic():
        names = list(Printing.objects.filter(edition_id=edition_id).values_list("pdf", flat=True))
        for image, thumb in Page.objects.filter(printing__edition_id=edition_id).values_list("image", "thumb"):
            names += [image, thumb]
        names += list(Clipping.objects.filter(edition_id=edition_id).values_list("image", flat=True))
        deleted, _ = Edition.objects.filter(pk=edition_id).delete()
        transaction.on_commit(lambda: files.files_delete(names))
    return deleted
