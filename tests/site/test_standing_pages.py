"""About, contact, privacy, terms and the grievance officer: written in the desk, linked from every page."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.newsroom.models import Publication
from broadsheet.pages.demo import GRIEVANCE_OFFICER, pages_seed
from broadsheet.pages.models import StandingPage
from tests import factories as f
from tests.pictures.builders import picture
from tests.pictures.conftest import media_dirs  # noqa: F401 - the fixture, for the picture below

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages() -> None:
    f.publication(**GRIEVANCE_OFFICER)
    pages_seed()


def test_every_page_links_the_standing_pages_in_its_footer(client: Client, pages: None) -> None:
    story = f.story()
    for path in ("/", "/news/", story.url, "/accounts/login/", "/subscribe/"):
        footer = client.get(path).content.decode().split('<footer class="site-footer"')[1]
        for kind in StandingPage.Kind.values:
            assert f'href="/{kind}/"' in footer, (path, kind)


def test_the_grievance_page_names_the_officer_and_how_to_reach_them(client: Client, pages: None) -> None:
    body = client.get("/grievance-redressal/").content.decode()
    for value in GRIEVANCE_OFFICER.values():
        assert value in body
    assert "Information Technology (Intermediary Guidelines and Digital Media Ethics Code) Rules" in body


def test_pages_are_edited_in_the_desk_and_sanitised(client: Client, pages: None) -> None:
    admin = Client()
    admin.force_login(f.reader(is_staff=True, is_superuser=True))
    page = StandingPage.objects.get(kind="terms")
    response = admin.post(
        f"/admin/pages/standingpage/{page.pk}/change/",
        {"kind": "terms", "title": "Terms of use", "body": "<p>New terms.</p><script>alert(1)</script>"},
    )
    assert response.status_code == 302
    body = client.get("/terms/").content.decode()
    assert "New terms." in body and "alert(1)" not in body
    pub = Publication.objects.get()
    assert admin.get(f"/admin/newsroom/publication/{pub.pk}/change/").status_code == 200


def test_a_missing_page_is_a_404_not_a_section(client: Client, pages: None) -> None:
    StandingPage.objects.filter(kind="about").delete()
    assert client.get("/about/").status_code == 404


def test_a_library_picture_on_a_standing_page_is_served_like_a_story_s(
    client: Client,
    pages: None,
    media_dirs: object,  # noqa: F811
) -> None:
    pic = picture("office")  # caption "A caption", credit "Test Desk"
    figure = (
        f'<figure><img src="/media/pictures/{pic.key}-800.jpg" alt="Our office"><figcaption>Pune</figcaption></figure>'
    )
    StandingPage.objects.filter(kind="contact").update(body=f"<p>Write to us.</p>{figure}")
    body = client.get("/contact/").content.decode()
    assert f"/media/pictures/{pic.key}-480.webp 480w" in body and 'alt="Our office"' in body
    assert '<figcaption>Pune <span class="credit">Test Desk</span></figcaption>' in body
