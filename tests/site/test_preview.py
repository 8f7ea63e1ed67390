"""Staff preview a story that is not live yet, clearly marked; readers never see it, and nothing keeps it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor_client() -> Client:
    c = Client()
    c.force_login(f.reader(is_staff=True))
    return c


def test_a_scheduled_story_is_a_marked_preview_for_staff_and_a_404_for_readers(
    editor_client: Client, client: Client
) -> None:
    f.publication()
    story = f.story(status=Article.Status.SCHEDULED, published_at=timezone.now() + timedelta(days=1))
    response = editor_client.get(story.url)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Preview: not published." in body and "Scheduled to appear on" in body
    assert story.tokens[-1] in body  # exactly as a reader will see it, in full
    assert "no-store" in response["Cache-Control"]
    assert '<meta name="robots" content="noindex, nofollow">' in body
    assert client.get(story.url).status_code == 404  # not cached for readers after the preview
    assert "Preview" not in client.get("/").content.decode()


def test_a_draft_is_marked_as_a_draft_and_a_live_story_is_not_marked(editor_client: Client) -> None:
    f.publication()
    draft = f.story(status=Article.Status.DRAFT)
    assert "Preview: not published.</strong> This is a draft." in editor_client.get(draft.url).content.decode()
    live = f.story()
    assert "Preview: not published" not in editor_client.get(live.url).content.decode()


def test_the_preview_shows_the_latest_edit_not_a_cached_body(editor_client: Client) -> None:
    f.publication()
    story = f.story(status=Article.Status.DRAFT)
    editor_client.get(story.url)
    Article.objects.filter(pk=story.article.pk).update(body="<p>Rewritten lead with zebra-token.</p>")
    assert "zebra-token" in editor_client.get(story.url).content.decode()


def test_the_desk_lists_stories_not_yet_live_with_a_preview_link(editor_client: Client) -> None:
    f.publication()
    f.story(status=Article.Status.DRAFT)
    admin = Client()
    admin.force_login(f.reader(is_staff=True, is_superuser=True))
    listing = admin.get("/admin/newsroom/article/").content.decode()
    assert ">preview</a>" in listing
    assert "The Test Gazette: the desk" in listing and "Django administration" not in listing


def test_the_demo_editor_can_upload_pictures_and_edit_the_standing_pages(client: Client) -> None:
    f.publication()
    groups_ensure()
    editor = f.reader(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for path in ("/admin/pictures/picture/add/", "/admin/pages/standingpage/", "/admin/newsroom/article/add/"):
        assert client.get(path).status_code == 200, path
