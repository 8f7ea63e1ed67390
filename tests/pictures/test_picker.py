"""The story editor's picture picker: searching and uploading as the desk's JSON, the alt text the desk
insists on, and the credit a body figure gets on the reader's page."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from broadsheet.newsroom.admin import ArticleDeskForm
from broadsheet.newsroom.groups import groups_ensure
from broadsheet.newsroom.models import Article
from broadsheet.pictures.models import Picture
from broadsheet.readers.models import User
from tests import factories as f
from tests.pictures.builders import picture, png_bytes

pytestmark = pytest.mark.django_db

SEARCH = "/admin/pictures/picture/picker/"
UPLOAD = "/admin/pictures/picture/picker/upload/"


def _staff(group: str) -> User:
    groups_ensure()
    user = f.reader(is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def test_the_picker_finds_pictures_by_caption_and_gives_the_figure_s_parts(client: Client) -> None:
    sensex = picture("sensex", chart=True, alt="Sensex line")
    Picture.objects.filter(pk=sensex.pk).update(caption="Sensex at the close", credit="Chart Desk")
    picture("other")
    client.force_login(_staff("Editors"))
    found = client.get(SEARCH, {"q": "SENSEX close"}).json()["pictures"]
    assert [p["key"] for p in found] == [sensex.key]
    item = found[0]
    assert item["src"] == f"/media/pictures/{sensex.key}-800.jpg"
    assert (item["width"], item["height"]) == (800, 450)
    assert (item["alt"], item["caption"], item["credit"]) == ("Sensex line", "Sensex at the close", "Chart Desk")
    assert len(client.get(SEARCH).json()["pictures"]) == 2


def test_the_picker_is_for_staff_with_the_picture_permissions(client: Client) -> None:
    picture("p")
    assert client.get(SEARCH).status_code == 302  # to the desk's log-in
    client.force_login(f.reader(is_staff=True))  # staff, but no picture rights
    assert client.get(SEARCH).status_code == 403
    data = {"upload": SimpleUploadedFile("a.png", png_bytes(400, 300)), "alt": "A white field"}
    assert client.post(UPLOAD, data).status_code == 403
    assert Picture.objects.count() == 1


def test_an_upload_from_the_editor_is_checked_like_the_library_s_own(client: Client) -> None:
    client.force_login(_staff("Wire desk"))  # may add pictures
    refused = client.post(UPLOAD, {"upload": SimpleUploadedFile("a.png", b"<svg onload=alert(1)>"), "alt": "x"})
    assert refused.status_code == 400
    assert refused.json()["errors"]["upload"]
    no_alt = client.post(UPLOAD, {"upload": SimpleUploadedFile("a.png", png_bytes(400, 300)), "alt": "  "})
    assert no_alt.status_code == 400 and no_alt.json()["errors"]["alt"]
    assert Picture.objects.count() == 0
    made = client.post(
        UPLOAD,
        {"upload": SimpleUploadedFile("a.png", png_bytes(1600, 900)), "alt": "A white field", "credit": "Asha Rao"},
    )
    assert made.status_code == 201
    pic = Picture.objects.get()
    assert made.json()["picture"]["src"] == f"/media/pictures/{pic.key}-800.jpg"
    assert pic.credit == "Asha Rao" and pic.widths == [480, 800, 1200]


def test_the_desk_refuses_a_body_picture_without_alt_text() -> None:
    body = ArticleDeskForm.base_fields["body"]
    with pytest.raises(ValidationError, match="alt text"):
        body.clean('<p>Text</p><figure><img src="/media/x.jpg"></figure>')
    with pytest.raises(ValidationError, match="alt text"):
        body.clean('<p>Text</p><figure><img src="/media/x.jpg" alt="  "></figure>')
    assert "A chart" in body.clean('<p>Text</p><figure><img src="/media/x.jpg" alt="A chart"></figure>')


def test_a_body_figure_of_a_library_picture_carries_its_credit(client: Client) -> None:
    f.publication()
    f.demo_plans()
    pic = picture("body")  # caption "A caption", credit "Test Desk"
    src = f"/media/pictures/{pic.key}-800.jpg"
    story = f.story(access=Article.Access.FREE)
    Article.objects.filter(pk=story.article.pk).update(
        body=(
            f'<p>First.</p><figure><img src="{src}" alt="Desk alt" width="800" height="450">'
            f"<figcaption>Our caption</figcaption></figure>"
            f'<p>Then.</p><figure><img src="{src}" alt="No caption here"></figure>'
        )
    )
    body = client.get(story.url).content.decode()
    assert '<figcaption>Our caption <span class="credit">Test Desk</span></figcaption>' in body
    assert '<figcaption><span class="credit">Test Desk</span></figcaption>' in body
    assert 'alt="Desk alt"' in body and 'alt="No caption here"' in body
    assert f"/media/pictures/{pic.key}-1200.webp 1200w" in body
