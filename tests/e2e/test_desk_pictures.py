"""The story editor's picture picker in a browser: an editor of the Editors group chooses a library
picture by its caption, uploads another one from the editor, saves, and the preview shows both as sized,
responsive pictures with their alt text, caption and credit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Article
from broadsheet.pictures.demo_art import graphic, line_chart
from broadsheet.pictures.models import Picture
from broadsheet.pictures.services import picture_create
from tests import factories as f
from tests.e2e.test_pages_fit import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media_dirs(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")  # type: ignore[attr-defined]
    storages = dict(settings.STORAGES)  # type: ignore[attr-defined]
    storages["picture_originals"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(tmp_path / "originals"), "base_url": None},
    }
    settings.STORAGES = storages  # type: ignore[attr-defined]


def desk_editor_logged_in(page: Page, base: str) -> None:
    """The demo's editor: staff in the Editors group, no superuser rights."""
    groups_ensure()
    editor = f.reader("editor@example.com", is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    log_in(page, base, "editor@example.com")


def test_an_editor_inserts_library_and_uploaded_pictures_and_the_preview_serves_them(
    page: Page, live_server: LiveServer, screenshot_dir: Path, tmp_path: Path
) -> None:
    f.publication()
    f.section("markets", "Markets")
    chart = line_chart("picker", "Sensex")
    picture_create(data=chart.png, name="c.png", alt="Sensex line", caption="Sensex at the close", credit="Chart Desk")
    picture_create(data=graphic("other", "india", "x").png, name="o.png", alt="A horizon", caption="Monsoon clouds")
    upload = tmp_path / "harbour.png"
    upload.write_bytes(graphic("harbour", "india", "Harbour").png)
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    desk_editor_logged_in(page, live_server.url)

    page.goto(live_server.url + "/admin/newsroom/article/add/")
    page.locator("#id_headline").fill("Markets close higher")
    page.select_option("#id_section", label="Markets")
    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.click()
    page.keyboard.type("Shares rose across the board.")

    # From the library, found by its caption.
    page.locator("[title='Picture from the library']").click()
    dialog = page.locator("dialog.bs-picker")
    expect(dialog.locator(".bs-picker__results li")).to_have_count(2)
    dialog.get_by_label("Search the library").fill("sensex close")
    expect(dialog.locator(".bs-picker__results li")).to_have_count(1)
    dialog.locator(".bs-picker__results button").click()
    expect(dialog.locator(".bs-picker__chosen input[name=alt]")).to_have_value("Sensex line")
    expect(dialog.locator(".bs-picker__credit")).to_contain_text("Chart Desk")
    dialog.locator(".bs-picker__chosen input[name=alt]").fill("The Sensex rising through the afternoon")
    page.set_viewport_size({"width": 1366, "height": 900})
    dialog.screenshot(path=str(screenshot_dir / "desk-picture-picker-1366.png"))
    dialog.get_by_role("button", name="Insert picture").click()
    expect(dialog).to_have_count(0)
    expect(editor.locator("figure img")).to_have_count(1)

    # Uploaded from the editor: a refused file says why and keeps the dialog; a good one is inserted.
    page.locator("[title='Picture from the library']").click()
    dialog = page.locator("dialog.bs-picker")
    dialog.locator("summary").click()
    up = dialog.locator("form.bs-picker__upload")
    not_a_picture = tmp_path / "notes.png"
    not_a_picture.write_text("not a picture at all")
    up.locator("input[type=file]").set_input_files(str(not_a_picture))
    up.locator("input[name=alt]").fill("A harbour at dawn")
    up.get_by_role("button", name="Upload").click()
    expect(dialog.locator(".bs-picker__error")).not_to_be_empty()
    up.locator("input[type=file]").set_input_files(str(upload))
    up.locator("input[name=caption]").fill("The harbour at dawn")
    up.locator("input[name=credit]").fill("Asha Rao")
    up.get_by_role("button", name="Upload").click()
    expect(dialog.locator(".bs-picker__chosen input[name=alt]")).to_have_value("A harbour at dawn")
    page.set_viewport_size({"width": 390, "height": 844})
    dialog.screenshot(path=str(screenshot_dir / "desk-picture-picker-390.png"))
    dialog.get_by_role("button", name="Insert picture").click()
    expect(editor.locator("figure img")).to_have_count(2)
    page.set_viewport_size({"width": 1366, "height": 900})

    page.locator("input[name=_continue]").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    article = Article.objects.get(headline="Markets close higher")
    assert Picture.objects.filter(caption="The harbour at dawn", credit="Asha Rao").exists()

    page.goto(live_server.url + article.get_absolute_url())
    expect(page.locator(".preview-banner, [class*=preview]").first).to_contain_text("Preview")
    pictures = page.locator("article figure picture img")
    expect(pictures).to_have_count(2)
    for i, alt in enumerate(["The Sensex rising through the afternoon", "A harbour at dawn"]):
        img = pictures.nth(i)
        assert img.get_attribute("alt") == alt
        assert int(img.get_attribute("width") or 0) > 0 and int(img.get_attribute("height") or 0) > 0
        assert "/media/pictures/" in (img.get_attribute("srcset") or "")
    figcaptions = page.locator("article figure figcaption")
    expect(figcaptions.nth(0)).to_contain_text("Sensex at the close")
    expect(figcaptions.nth(0).locator(".credit")).to_have_text("Chart Desk")
    expect(figcaptions.nth(1).locator(".credit")).to_have_text("Asha Rao")
    page.screenshot(path=str(screenshot_dir / "desk-picture-preview-1366.png"), full_page=True)
    page.set_viewport_size({"width": 390, "height": 844})
    page.screenshot(path=str(screenshot_dir / "desk-picture-preview-390.png"), full_page=True)
    assert not [e for e in errors if "Content Security Policy" in e or "Refused" in e], errors
