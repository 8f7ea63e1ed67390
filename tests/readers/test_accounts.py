"""Reader accounts end to end: sign-up with a verification e-mail over real SMTP,
log in and out, password reset, throttled log-in, the account page."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from broadsheet.readers.models import User
from tests import factories as f
from tests.mailserver import Inbox

pytestmark = pytest.mark.django_db


def first_link(text: str) -> str:
    match = re.search(r"https?://[^/\s]+(/\S+)", text)
    assert match, text
    return match.group(1)


def test_sign_up_sends_a_verification_mail_whose_link_verifies(client: Client, smtp: Inbox) -> None:
    f.publication()
    response = client.post(
        "/accounts/signup/",
        {"email": "new.reader@example.com", "password1": "tea-and-newsprint-42", "password2": "tea-and-newsprint-42"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="new.reader@example.com")
    assert len(smtp.messages) == 1
    assert smtp.messages[0]["To"] == "new.reader@example.com"
    body = smtp.body()
    assert "{{" not in body and "{%" not in body
    link = first_link(body)
    client.get(link)
    client.post(link)
    assert user.emailaddress_set.get().verified


def test_log_in_lands_on_next_and_log_out_ends_the_session(client: Client) -> None:
    f.publication()
    user = f.reader()
    response = client.post("/accounts/login/?next=/markets/some-story/", {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/markets/some-story/"
    assert client.get("/account/").status_code == 200
    client.post("/accounts/logout/")
    assert client.get("/account/").status_code == 302  # back to the log-in page


def test_log_in_never_redirects_off_site(client: Client) -> None:
    f.publication()
    user = f.reader()
    response = client.post("/accounts/login/?next=https://evil.example/", {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302 and "evil.example" not in response["Location"]


def test_password_reset_by_mail(client: Client, smtp: Inbox) -> None:
    f.publication()
    user = f.reader()
    client.post("/accounts/password/reset/", {"email": user.email})
    assert len(smtp.messages) == 1
    link = first_link(smtp.body())
    page = client.get(link, follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link
    client.post(form_url, {"password1": "a-fresh-passphrase-77", "password2": "a-fresh-passphrase-77"})
    user.refresh_from_db()
    assert user.check_password("a-fresh-passphrase-77")


def test_failed_logins_are_throttled(client: Client) -> None:
    f.publication()
    user = f.reader()
    for _ in range(5):
        client.post("/accounts/login/", {"login": user.email, "password": "wrong-password"})
    # Now even the right password is refused for a while.
    response = client.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD})
    assert response.status_code in (200, 429)
    assert "_auth_user_id" not in client.session


def test_demo_mail_goes_to_readable_files(client: Client, settings: object, tmp_path: Path) -> None:
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "OPTIONS": {"file_path": str(tmp_path)},
        }
    }
    f.publication()
    client.post("/accounts/password/reset/", {"email": f.reader().email})
    files = list(tmp_path.iterdir())
    assert len(files) == 1 and "password" in files[0].read_text().lower()


def test_account_page_shows_plan_and_benefits(client: Client) -> None:
    f.publication()
    client.force_login(f.subscriber())
    body = client.get("/account/").content.decode()
    assert "Smart Essential" in body and "paid until" in body
