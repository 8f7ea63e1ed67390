"""The editors' desk: groups, the admin, sanitised bodies."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from broadsheet.newsroom.html import sanitise_body, split_blocks
from broadsheet.newsroom.models import Article
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_body_is_sanitised_on_save_and_lead_is_the_first_paragraph() -> None:
    f.publication()
    art = Article.objects.create(
        headline="Hostile copy",
        section=f.section(),
        body='<p onclick="steal()">First <script>alert(1)</script>para</p><p><a href="javascript:x()">Two</a></p>'
        '<img src="x" onerror="boom()">',
        status=Article.Status.PUBLISHED,
        published_at=timezone.now(),
    )
    assert "script" not in art.body and "onclick" not in art.body and "javascript:" not in art.body
    assert "onerror" not in art.body
    assert art.lead == "<p>First para</p>"
    assert art.slug == "hostile-copy"


def test_split_blocks_keeps_nested_blocks_whole() -> None:
    html = sanitise_body("<p>One</p><blockquote><p>Quoted</p><p>Still quoted</p></blockquote><ul><li>a</li></ul>")
    assert split_blocks(html) == [
        "<p>One</p>",
        "<blockquote><p>Quoted</p><p>Still quoted</p></blockquote>",
        "<ul><li>a</li></ul>",
    ]


def test_editor_and_wire_desk_groups_exist_with_article_rights() -> None:
    editors = Group.objects.get(name="Editors")
    wire = Group.objects.get(name="Wire desk")
    assert editors.permissions.filter(codename="change_publication").exists()
    assert wire.permissions.filter(codename="add_article").exists()
    assert not wire.permissions.filter(codename="change_publication").exists()


def test_an_editor_publishes_a_story_in_the_admin(client: Client) -> None:
    f.publication()
    editor = f.reader(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    sec = f.section()
    writer = f.author()
    response = client.post(
        "/admin/newsroom/article/add/",
        {
            "headline": "Monsoon arrives early in Kerala",
            "slug": "monsoon-arrives-early",
            "standfirst": "Forecasters had expected it a week later.",
            "body": "<p>The rains reached the coast on Friday.</p><p>Farmers welcomed them.</p>",
            "section": sec.pk,
            "authors": [writer.pk],
            "access": "metered",
            "status": "published",
            "published_at_0": timezone.now().strftime("%Y-%m-%d"),
            "published_at_1": "00:00:00",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    story = Article.objects.get(slug="monsoon-arrives-early")
    assert client.get(story.get_absolute_url()).status_code == 200
    for page in ("/admin/", "/admin/newsroom/article/", f"/admin/newsroom/article/{story.pk}/change/"):
        assert client.get(page).status_code == 200, page


def test_wire_desk_keeps_its_wire_rights_after_the_demo_seed() -> None:
    from django.core.management import call_command

    call_command("seed_demo", verbosity=0)
    wire = Group.objects.get(name="Wire desk")
    for codename in ("change_wireitem", "publish_wireitem", "retry_wireitem", "change_mappingrule"):
        assert wire.permissions.filter(codename=codename).exists(), codename
