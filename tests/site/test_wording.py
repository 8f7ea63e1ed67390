"""One wording for getting into an account, on the site and in the reading app: "Log in", never "Sign in"."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.test import Client

from tests import factories as f
from tests.mailserver import Inbox
from tests.readers.test_accounts import first_link

pytestmark = pytest.mark.django_db

SIGN_IN = re.compile(r"sign[ -]?in\b", re.IGNORECASE)
STATIC = Path(__file__).resolve().parents[2] / "broadsheet" / "static"


def test_account_pages_and_the_app_say_log_in(client: Client) -> None:
    f.publication()
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/", "/app/"):
        body = client.get(path).content.decode()
        assert "Log in" in body, path
        assert not SIGN_IN.search(body), (path, SIGN_IN.search(body))
    reset = client.get("/accounts/password/reset/").content.decode()
    assert "<h1>Reset your password</h1>" in reset and "Reset My Password" not in reset
    shown = re.findall(r'"([^"\n]*)"', (STATIC / "pwa" / "app.js").read_text())  # the app's words to readers
    assert [s for s in shown if SIGN_IN.search(s) and s != "sign-in"] == []  # "sign-in" is a class name


def test_account_pages_describe_themselves_and_stay_out_of_search_engines(client: Client) -> None:
    f.publication()
    for path in ("/accounts/login/", "/accounts/signup/", "/accounts/password/reset/"):
        body = client.get(path).content.decode()
        assert '<meta name="description" content="' in body, path
        assert '<meta name="robots" content="noindex">' in body, path


def test_the_account_page_says_logged_in_and_log_out(client: Client) -> None:
    f.publication()
    client.force_login(f.subscriber())
    body = client.get("/account/").content.decode()
    assert "Logged in as" in body and "Log out" in body
    assert not re.search(r"sign(ed)?[ -]?(in|out)\b", body, re.IGNORECASE)


def test_the_confirmation_pages_speak_the_paper_s_language(client: Client, smtp: Inbox) -> None:
    f.publication()
    sent = client.get("/accounts/confirm-email/").content.decode()  # "verification sent"
    assert "<h1>Check your e-mail</h1>" in sent and "Verify Your Email Address" not in sent
    client.post(
        "/accounts/signup/",
        {"email": "new.reader@example.com", "password1": "tea-and-newsprint-42", "password2": "tea-and-newsprint-42"},
    )
    link = first_link(smtp.body())
    confirm = client.get(link).content.decode()
    assert "<h1>Confirm your e-mail address</h1>" in confirm and "new.reader@example.com" in confirm
    assert "for user" not in confirm
    stale = client.get("/accounts/confirm-email/not-a-key/").content.decode()
    assert "expired or was already used" in stale
