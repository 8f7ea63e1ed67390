"""App tokens as devices, and the sharing defence (a flag for people, never a lock-out)."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import Client

from broadsheet.readers.models import Device, SharingFlag
from tests import factories as f

pytestmark = pytest.mark.django_db

APP_UA = "BroadsheetApp/2.1 (Linux; Android 13; SM-S911B)"


def issue(client: Client, email: str, password: str = f.PASSWORD, **extra: object) -> tuple[int, dict]:
    response = client.post(
        "/account/devices/app-token/",
        json.dumps({"email": email, "password": password, **extra}),
        content_type="application/json",
        HTTP_USER_AGENT=APP_UA,
    )
    return response.status_code, response.json()


def test_an_app_token_is_issued_once_used_as_a_bearer_and_dies_with_its_device() -> None:
    f.publication()
    user = f.reader()
    app = Client(enforce_csrf_checks=True)
    status, body = issue(app, user.email)
    assert status == 201 and body["token"].startswith("bst_")
    device = Device.objects.get(pk=body["device_id"])
    assert device.kind == "app" and device.token_hash and body["token"] not in device.token_hash
    bearer = {"HTTP_AUTHORIZATION": f"Bearer {body['token']}"}
    assert app.get("/account/", **bearer).status_code == 200
    assert app.get("/account/", HTTP_AUTHORIZATION="Bearer bst_not-a-token").status_code == 302
    # The reader signs the app out from the web; the token stops working at once.
    web = Client()
    web.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD})
    assert "BroadsheetApp" in device.user_agent and device.name in web.get("/account/").content.decode()
    web.post(f"/account/devices/{device.pk}/sign-out/")
    assert app.get("/account/", **bearer).status_code == 302


def test_app_sign_in_refuses_a_wrong_password_and_is_throttled() -> None:
    f.publication()
    user = f.reader()
    app = Client()
    assert issue(app, user.email, "wrong-password")[0] == 401
    for _ in range(10):
        issue(app, user.email, "wrong-password")
    status, body = issue(app, user.email)
    assert status == 429 and "token" not in body
    assert not Device.objects.filter(user=user).exists()


def test_app_sign_in_under_the_ask_policy_names_a_device_to_replace(settings: object) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = 1  # type: ignore[attr-defined]
    settings.BROADSHEET_DEVICE_LIMIT_POLICY = "ask"  # type: ignore[attr-defined]
    f.publication()
    user = f.reader()
    status, first = issue(Client(), user.email)
    assert status == 201
    status, refused = issue(Client(), user.email)
    assert status == 409 and [d["id"] for d in refused["devices"]] == [first["device_id"]]
    status, second = issue(Client(), user.email, replace=first["device_id"])
    assert status == 201
    assert Client().get("/account/", HTTP_AUTHORIZATION=f"Bearer {first['token']}").status_code == 302
    assert Client().get("/account/", HTTP_AUTHORIZATION=f"Bearer {second['token']}").status_code == 200


def test_an_account_seen_from_six_networks_in_a_day_is_flagged_but_never_locked_out() -> None:
    f.publication()
    user = f.subscriber()
    clients = []
    for i in range(6):
        client = Client(HTTP_USER_AGENT=f"Mozilla/5.0 (X11; Linux x86_64; rv:12{i}.0) Gecko/20100101 Firefox/12{i}.0")
        client.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD}, REMOTE_ADDR=f"10.{i}.0.9")
        clients.append(client)
        assert (SharingFlag.objects.filter(user=user).exists()) == (i == 5)
    flag = SharingFlag.objects.get(user=user)
    assert flag.networks == 6 and flag.reviewed_at is None
    assert clients[-1].get("/account/").status_code == 200  # the flag blocks nobody
    staff = Client()
    staff.force_login(f.reader(is_staff=True, is_superuser=True))
    listing = staff.get("/admin/readers/sharingflag/").content.decode()
    assert user.email in listing


def test_a_reader_on_few_networks_is_not_flagged() -> None:
    f.publication()
    user = f.reader()
    for i in range(8):
        Client().post("/accounts/login/", {"login": user.email, "password": f.PASSWORD}, REMOTE_ADDR=f"10.{i % 2}.0.9")
    assert not SharingFlag.objects.exists()


def test_the_sharing_report_lists_flagged_accounts(capsys: pytest.CaptureFixture[str]) -> None:
    f.publication()
    user = f.reader()
    for i in range(7):
        Client().post("/accounts/login/", {"login": user.email, "password": f.PASSWORD}, REMOTE_ADDR=f"10.{i}.0.9")
    SharingFlag.objects.all().delete()  # the report re-checks the sightings by itself
    call_command("sharing_report")
    out = capsys.readouterr().out
    assert user.email in out and "7 networks" in out and "nobody is signed out" in out
