"""The E-paper desk in the admin, as an editor of the Editors group uses it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from broadsheet.epaper import selectors
from broadsheet.epaper.models import Edition, Printing
from broadsheet.newsroom.groups import groups_ensure
from tests import factories as f
from tests.epaper import builders as b
from tests.epaper.conftest import stored_files

pytestmark = pytest.mark.django_db
UPLOAD = "/admin/epaper/edition/upload/"


@pytest.fixture
def editor(client: Client) -> Client:
    groups_ensure()
    user = f.reader(is_staff=True)
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def post(client: Client, data: bytes, *, replace: bool = False, name: str = "edition.pdf"):  # type: ignore[no-untyped-def]
    form = {
        "date": selectors.today().isoformat(),
        "edition": "Mumbai",
        "file": SimpleUploadedFile(name, data, content_type="application/pdf"),
    }
    if replace:
        form["replace"] = "on"
    return client.post(UPLOAD, form)


def test_an_editor_uploads_an_edition_and_sees_it_queued(editor: Client) -> None:
    assert editor.get("/admin/epaper/edition/add/")["Location"] == UPLOAD
    assert "Upload an edition" in editor.get(UPLOAD).content.decode()
    response = post(editor, b.edition_bytes(3).data)
    assert response.status_code == 302
    printing = Printing.objects.get()
    assert printing.state == Printing.State.QUEUED and printing.page_count == 3
    page = editor.get(response["Location"]).content.decode()
    assert "3 pages uploaded" in page and "new upload waiting to render (0/3)" in page


def test_a_bad_file_gets_its_reason_on_the_form_and_nothing_is_stored(editor: Client, epaper_storage: Path) -> None:
    response = post(editor, b.encrypted_pdf())
    assert response.status_code == 200
    assert "The PDF is encrypted: it needs a password to open" in response.content.decode()
    assert stored_files(epaper_storage) == [] and not Edition.objects.exists()


def test_replacing_asks_for_confirmation_first(editor: Client, epaper_storage: Path) -> None:
    b.published(2, day=selectors.today())
    before = stored_files(epaper_storage)
    asked = post(editor, b.edition_bytes(3).data)
    body = asked.content.decode()
    assert asked.status_code == 200 and "There is already a Mumbai edition" in body
    assert "Tick “Replace the existing edition”" in body
    assert stored_files(epaper_storage) == before
    assert post(editor, b.edition_bytes(3).data, replace=True).status_code == 302
    assert Printing.objects.filter(state=Printing.State.QUEUED, page_count=3).exists()


def test_an_editor_unpublishes_an_edition(editor: Client) -> None:
    edition, _ = b.published(2)
    response = editor.post(
        "/admin/epaper/edition/", {"action": "unpublish", "_selected_action": [edition.pk]}, follow=True
    )
    assert "Unpublish: 1 edition changed." in response.content.decode()
    assert selectors.edition_latest() is None


def test_readers_cannot_reach_the_desk(client: Client) -> None:
    client.force_login(f.reader())
    assert client.get(UPLOAD).status_code == 302  # to the admin's login


def test_deleting_an_edition_removes_its_files(
    editor: Client, epaper_storage: Path, django_capture_on_commit_callbacks: Any
) -> None:
    edition, _ = b.published(2)
    assert stored_files(epaper_storage)
    with django_capture_on_commit_callbacks(execute=True):
        response = editor.post(f"/admin/epaper/edition/{edition.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not Edition.objects.exists()
    assert stored_files(epaper_storage) == []


def test_render_again_takes_up_an_upload_a_worker_left_half_done(editor: Client) -> None:
    edition, _ = b.published(2)
    printing = b.live_printing(edition)
    Printing.objects.filter(pk=printing.pk).update(state=Printing.State.RENDERING)  # as a killed worker leaves it
    response = editor.post(
        "/admin/epaper/edition/", {"action": "render_again", "_selected_action": [edition.pk]}, follow=True
    )
    assert "queued for rendering again" in response.content.decode()
    from django_tasks_db.models import DBTaskResult

    assert DBTaskResult.objects.filter(task_path="broadsheet.epaper.tasks.printing_render_task").count() == 1
