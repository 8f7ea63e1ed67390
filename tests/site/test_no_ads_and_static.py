"""No advertising where readers sign in, pay or manage their account; static files hashed, compressed, cached."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client
from whitenoise.middleware import WhiteNoiseMiddleware

from tests.site_world import World, build_world

pytestmark = pytest.mark.django_db
AD_MARKS = ('class="ad ', "house-ad", "Advertisement")


@pytest.fixture
def world() -> World:
    return build_world()


def test_no_ad_markup_on_log_in_sign_up_checkout_payment_or_account_pages(world: World) -> None:
    anonymous, reader, subscriber = Client(), Client(), Client()
    reader.force_login(world.reader)
    subscriber.force_login(world.subscriber)
    started = reader.post(
        "/billing/checkout/smart-essential/", {"buyer_state": "Maharashtra", "action": "pay", "buyer_name": "A"}
    )
    assert started.status_code == 302
    pages = [
        (anonymous, "/accounts/login/"),
        (anonymous, "/accounts/signup/"),
        (anonymous, "/accounts/password/reset/"),
        (anonymous, "/subscribe/"),
        (reader, "/billing/checkout/smart-essential/"),
        (reader, started["Location"]),  # the payment page
        (reader, "/billing/gifts/buy/smart-essential/"),
        (reader, "/billing/groups/join/"),
        (subscriber, "/account/"),
    ]
    for client, path in pages:
        body = client.get(path).content.decode()
        assert not [m for m in AD_MARKS if m in body], path
    # …while a story for the same anonymous reader still carries every slot.
    story = anonymous.get(world.pictured.url).content.decode()
    assert story.count('class="ad ') == 3


def test_static_files_are_content_hashed_gzipped_and_cached_for_a_year(tmp_path: Path, settings: object) -> None:
    settings.STATIC_ROOT = str(tmp_path)  # type: ignore[attr-defined]
    settings.WHITENOISE_USE_FINDERS = False  # type: ignore[attr-defined]
    storages = dict(settings.STORAGES)  # type: ignore[attr-defined]
    storages["staticfiles"] = {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}
    settings.STORAGES = storages  # type: ignore[attr-defined]
    call_command("collectstatic", interactive=False, verbosity=0)
    hashed = [p for p in (tmp_path / "css").iterdir() if re.fullmatch(r"site\.[0-9a-f]{12}\.css", p.name)]
    assert len(hashed) == 1 and hashed[0].name != "site.css"
    assert hashed[0].with_name(hashed[0].name + ".gz").is_file()
    app = WhiteNoiseMiddleware(lambda request: None)  # type: ignore[arg-type, return-value]
    static = app.files.get(f"/static/css/{hashed[0].name}")
    assert static is not None
    response = static.get_response("GET", {"HTTP_ACCEPT_ENCODING": "gzip, br"})
    headers = dict(response.headers)
    assert headers.get("Content-Encoding") == "gzip"
    assert "immutable" in headers["Cache-Control"] and "max-age=315360000" in headers["Cache-Control"]
    assert settings.STORAGES["staticfiles"]["BACKEND"].endswith("CompressedManifestStaticFilesStorage")  # type: ignore[attr-defined]


def test_production_settings_choose_the_hashed_compressed_storage(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    env = {k: v for k, v in os.environ.items() if k not in ("BROADSHEET_TESTING", "DEBUG", "BROADSHEET_DEMO")}
    env |= {"SECRET_KEY": "x" * 50, "BROADSHEET_DATA_DIR": str(tmp_path), "PYTHONPATH": str(root)}
    code = "from broadsheet import settings as s; print(s.STORAGES['staticfiles']['BACKEND'], s.WHITENOISE_USE_FINDERS)"
    argv = [sys.executable, "-c", code]
    out = subprocess.run(argv, env=env, cwd=root, capture_output=True, text=True, check=True).stdout  # noqa: S603
    assert out.split() == ["whitenoise.storage.CompressedManifestStaticFilesStorage", "False"]
