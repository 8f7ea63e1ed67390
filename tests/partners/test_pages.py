"""The reader's side (account page, claim by POST) and the manager's side (admin upload, lists, audit)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from broadsheet.partners.models import PartnerAudit, PartnerCode
from tests import factories as f
from tests.partners import builders as b

pytestmark = pytest.mark.django_db


def messages_of(response: object) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]  # type: ignore[attr-defined]


def no_markers(html: str) -> None:
    assert "{{" not in html and "{%" not in html


def test_the_account_page_offers_a_claim_button_to_an_entitled_subscriber(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=2, partner_name="The Partner Review", description="A year of the digital edition.")
    client.force_login(b.partner_subscriber())
    html = client.get("/account/").content.decode()
    no_markers(html)
    assert "The Partner Review" in html and "A year of the digital edition." in html
    assert f'action="/account/partners/{pool.pk}/claim/"' in html
    assert "csrfmiddlewaretoken" in html


def test_claiming_shows_the_code_in_a_message_and_again_on_every_later_visit(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=2, partner_name="The Partner Review")
    reader = b.partner_subscriber()
    client.force_login(reader)
    response = client.post(f"/account/partners/{pool.pk}/claim/")
    assert response.status_code == 302 and response["Location"] == "/account/"
    code = PartnerCode.objects.get(claimed_by=reader).code
    assert messages_of(response) == [f"Your code for The Partner Review: {code}"]
    for _ in range(2):
        html = client.get("/account/").content.decode()
        assert code in html
        assert f'action="/account/partners/{pool.pk}/claim/"' not in html
    again = client.post(f"/account/partners/{pool.pk}/claim/")
    assert messages_of(again) == [f"Your code for The Partner Review: {code}"]
    assert PartnerCode.objects.filter(claimed_by=reader).count() == 1


def test_a_link_code_is_shown_as_a_link(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=0)
    PartnerCode.objects.create(pool=pool, code="https://partner.example/redeem/XYZ")
    client.force_login(b.partner_subscriber())
    client.post(f"/account/partners/{pool.pk}/claim/")
    html = client.get("/account/").content.decode()
    assert '<a href="https://partner.example/redeem/XYZ" rel="noopener noreferrer">' in html


def test_a_reader_without_the_benefit_sees_a_line_and_is_refused(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=2, partner_name="The Partner Review")
    client.force_login(b.user())
    html = client.get("/account/").content.decode()
    assert "Your plan does not include The Partner Review access" in html
    assert "/claim/" not in html
    response = client.post(f"/account/partners/{pool.pk}/claim/")
    assert messages_of(response) == ["Your plan does not include partner access."]
    assert not PartnerCode.objects.filter(claimed_at__isnull=False).exists()


def test_an_empty_pool_answers_clearly(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=0, partner_name="The Partner Review")
    client.force_login(b.partner_subscriber())
    response = client.post(f"/account/partners/{pool.pk}/claim/")
    assert messages_of(response)[0].startswith("The pool is empty: we have told our team.")


def test_a_claim_by_get_does_nothing(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=2)
    client.force_login(b.partner_subscriber())
    response = client.get(f"/account/partners/{pool.pk}/claim/")
    assert response.status_code == 405
    assert not PartnerCode.objects.filter(claimed_at__isnull=False).exists()
    assert not PartnerAudit.objects.exists()


def test_an_anonymous_post_goes_to_the_login_page(client: Client) -> None:
    f.publication()
    pool = b.pool(codes=2)
    response = client.post(f"/account/partners/{pool.pk}/claim/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert not PartnerCode.objects.filter(claimed_at__isnull=False).exists()


def test_a_claim_without_the_csrf_token_is_refused() -> None:
    f.publication()
    pool = b.pool(codes=2)
    client = Client(enforce_csrf_checks=True)
    client.force_login(b.partner_subscriber())
    assert client.post(f"/account/partners/{pool.pk}/claim/").status_code == 403
    assert not PartnerCode.objects.filter(claimed_at__isnull=False).exists()


def test_an_unknown_pool_is_not_found(client: Client) -> None:
    client.force_login(b.partner_subscriber())
    assert client.post("/account/partners/999999/claim/").status_code == 404


def test_expired_pools_are_hidden_unless_the_reader_holds_a_code_there(client: Client) -> None:
    f.publication()
    old = b.pool(codes=2, partner_name="Old Partner")
    reader = b.partner_subscriber()
    client.force_login(reader)
    client.post(f"/account/partners/{old.pk}/claim/")
    old.expires_at = timezone.now() - timedelta(days=1)
    old.save()
    b.pool(codes=2, partner_name="Closed Partner", expires_at=timezone.now() - timedelta(days=1))
    b.pool(codes=2, partner_name="Switched Off", active=False)
    html = client.get("/account/").content.decode()
    assert "Old Partner" in html and PartnerCode.objects.get(claimed_by=reader).code in html
    assert "Closed Partner" not in html and "Switched Off" not in html


def staff_client(client: Client) -> Client:
    manager = b.user("manager@example.com")
    manager.is_staff = True
    manager.save()
    for codename in ["view_partnerpool", "change_partnerpool", "view_partnercode", "view_partneraudit"]:
        manager.user_permissions.add(Permission.objects.get(codename=codename))
    client.force_login(manager)
    return client


def test_the_admin_uploads_a_csv_and_lists_stock(client: Client) -> None:
    pool = b.pool(codes=0, partner_name="The Partner Review")
    staff_client(client)
    change = client.get(f"/admin/partners/partnerpool/{pool.pk}/change/").content.decode()
    assert f"/admin/partners/partnerpool/{pool.pk}/upload/" in change
    form = client.get(f"/admin/partners/partnerpool/{pool.pk}/upload/")
    assert form.status_code == 200 and b'enctype="multipart/form-data"' in form.content
    response = client.post(
        f"/admin/partners/partnerpool/{pool.pk}/upload/",
        {"file": SimpleUploadedFile("codes.csv", b"code\nA-1\nA-2\nA-2\n\nA-3\n", "text/csv")},
    )
    assert response.status_code == 302
    assert messages_of(response) == ["The Partner Review: 3 codes added, 1 duplicates skipped, 1 blank lines skipped."]
    assert PartnerCode.objects.filter(pool=pool).count() == 3
    listing = client.get("/admin/partners/partnerpool/").content.decode()
    assert "The Partner Review" in listing and '<td class="field-remaining">3</td>' in listing


def test_the_admin_upload_reports_a_bad_file_and_imports_nothing(client: Client) -> None:
    pool = b.pool(codes=0)
    staff_client(client)
    response = client.post(
        f"/admin/partners/partnerpool/{pool.pk}/upload/",
        {"file": SimpleUploadedFile("codes.csv", b"A-1\nB \xff\n", "text/csv")},
    )
    assert response.status_code == 200
    assert "not UTF-8" in response.content.decode()
    assert not PartnerCode.objects.filter(pool=pool).exists()


def test_the_upload_needs_the_change_right(client: Client) -> None:
    pool = b.pool(codes=0)
    viewer = b.user("viewer@example.com")
    viewer.is_staff = True
    viewer.save()
    viewer.user_permissions.add(Permission.objects.get(codename="view_partnerpool"))
    client.force_login(viewer)
    response = client.post(
        f"/admin/partners/partnerpool/{pool.pk}/upload/",
        {"file": SimpleUploadedFile("codes.csv", b"A-1\n", "text/csv")},
    )
    assert response.status_code == 403
    assert not PartnerCode.objects.exists()


def test_codes_are_searchable_by_reader_email_and_the_audit_is_read_only(client: Client) -> None:
    pool = b.pool(codes=3)
    reader = b.partner_subscriber("findme@example.com")
    client.force_login(reader)
    client.post(f"/account/partners/{pool.pk}/claim/")
    code = PartnerCode.objects.get(claimed_by=reader)
    staff_client(client)
    found = client.get("/admin/partners/partnercode/", {"q": "findme@"}).content.decode()
    assert code.code in found and found.count("field-code") == 1
    detail = client.get(f"/admin/partners/partnercode/{code.pk}/change/").content.decode()
    assert 'name="claimed_by"' not in detail and "findme@example.com" in detail
    audit = client.get("/admin/partners/partneraudit/").content.decode()
    assert "findme@example.com" in audit and "Claimed" in audit
    row = PartnerAudit.objects.get(action=PartnerAudit.Action.CLAIMED)
    assert client.get("/admin/partners/partneraudit/add/").status_code == 403
    assert client.post(f"/admin/partners/partneraudit/{row.pk}/delete/").status_code == 403
