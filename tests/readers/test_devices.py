"""Every device: each sign-in is a device; limits, sign-outs and password changes end sessions."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from broadsheet.readers.models import Device, User
from tests import factories as f

pytestmark = pytest.mark.django_db

CHROME_ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0.0.0 Mobile Safari/537.36"
)
SAFARI_IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
FIREFOX_WINDOWS = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


def sign_in(user: User, ua: str, ip: str = "203.0.113.7", password: str = f.PASSWORD) -> Client:
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content[:500]
    return client


def signed_in(client: Client) -> bool:
    """Is this browser's next request signed in? (The account page sends anonymous readers to log in.)"""
    response = client.get("/account/")
    assert response.status_code in (200, 302)
    return response.status_code == 200


def device_of(client: Client) -> Device:
    return Device.objects.get(pk=client.session["_bs_device"])


@pytest.fixture
def limit_two(settings: object) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = 2  # type: ignore[attr-defined]
    f.publication()


def test_a_sign_in_is_a_named_device_on_the_account_page() -> None:
    f.publication()
    user = f.reader()
    phone = sign_in(user, CHROME_ANDROID)
    device = device_of(phone)
    assert device.name == "Chrome on Android" and device.kind == "web" and device.last_network == "203.0.113.0/24"
    assert device.session_key == phone.session.session_key
    body = phone.get("/account/").content.decode()
    assert "Chrome on Android" in body and "this device" in body and "Log out of all other devices" not in body
    sign_in(user, SAFARI_IPHONE)
    body = phone.get("/account/").content.decode()
    assert "Safari on iPhone" in body and "Log out of all other devices" in body


def test_with_a_limit_of_two_a_third_sign_in_signs_out_the_least_recently_used(limit_two: None) -> None:
    user = f.reader()
    first, second = sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)
    # The first browser was used more recently than the second.
    Device.objects.filter(pk=device_of(second).pk).update(last_seen_at=device_of(first).last_seen_at.replace(year=2020))
    second_device = device_of(second)
    third = sign_in(user, FIREFOX_WINDOWS)
    assert not signed_in(second)  # the next request is anonymous
    assert signed_in(first) and signed_in(third)
    second_device.refresh_from_db()
    assert second_device.revoked_reason == "device limit" and second_device.revoked_by_id == user.pk
    assert Device.objects.filter(user=user, revoked_at__isnull=True).count() == 2


def test_a_plan_sets_the_limit(settings: object) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = 1  # type: ignore[attr-defined]
    f.publication()
    user = f.subscriber()
    plan = user.subscriptions.get().plan
    plan.max_devices = 2
    plan.save()
    first, second = sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)
    assert signed_in(first) and signed_in(second)
    sign_in(user, FIREFOX_WINDOWS)
    assert not signed_in(first)


@pytest.fixture
def ask(settings: object, limit_two: None) -> None:
    settings.BROADSHEET_DEVICE_LIMIT_POLICY = "ask"  # type: ignore[attr-defined]


def test_ask_policy_sends_the_third_sign_in_to_choose_and_drops_the_chosen_device(ask: None) -> None:
    user = f.reader()
    first, second = sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)
    third = sign_in(user, FIREFOX_WINDOWS)
    assert device_of(third).pending
    story = f.story()
    for path in ("/account/", story.url):
        response = third.get(path)
        assert response.status_code == 302 and response["Location"].startswith("/account/devices/choose/")
    page = third.get("/account/devices/choose/?next=/account/").content.decode()
    assert "Chrome on Android" in page and "Safari on iPhone" in page and "{{" not in page
    assert signed_in(first) and signed_in(second)  # nothing changes until the reader chooses
    response = third.post("/account/devices/choose/", {"drop": str(device_of(first).pk), "next": "/account/"})
    assert response.status_code == 302 and response["Location"] == "/account/"
    assert not signed_in(first)
    assert signed_in(second) and signed_in(third)
    assert not device_of(third).pending
    assert third.get(story.url).status_code == 200


def test_ask_policy_lets_the_reader_decline_the_new_sign_in(ask: None) -> None:
    user = f.reader()
    first, second = sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)
    third = sign_in(user, FIREFOX_WINDOWS)
    pending = device_of(third)
    third.post("/account/devices/choose/", {"drop": "this"})
    assert not signed_in(third)
    assert signed_in(first) and signed_in(second)
    pending.refresh_from_db()
    assert pending.revoked_at is not None


def test_the_reader_signs_out_one_device(limit_two: None) -> None:
    user = f.reader()
    phone, laptop = sign_in(user, CHROME_ANDROID), sign_in(user, FIREFOX_WINDOWS)
    response = laptop.post(f"/account/devices/{device_of(phone).pk}/sign-out/")
    assert response.status_code == 302
    assert not signed_in(phone) and signed_in(laptop)


def test_a_reader_cannot_sign_out_someone_elses_device() -> None:
    f.publication()
    victim = sign_in(f.reader(), CHROME_ANDROID)
    attacker = sign_in(f.reader(), FIREFOX_WINDOWS)
    attacker.post(f"/account/devices/{device_of(victim).pk}/sign-out/")
    assert signed_in(victim) and device_of(victim).revoked_at is None


def test_signing_out_this_device_logs_out(limit_two: None) -> None:
    user = f.reader()
    phone = sign_in(user, CHROME_ANDROID)
    device = device_of(phone)
    phone.post(f"/account/devices/{device.pk}/sign-out/")
    assert not signed_in(phone)
    device.refresh_from_db()
    assert device.revoked_at is not None


def test_sign_out_all_other_devices() -> None:
    f.publication()
    user = f.reader()
    others = [sign_in(user, ua, ip=f"198.51.100.{i}") for i, ua in enumerate((CHROME_ANDROID, SAFARI_IPHONE))]
    mine = sign_in(user, FIREFOX_WINDOWS)
    mine.post("/account/devices/sign-out-others/")
    assert signed_in(mine)
    assert not any(signed_in(c) for c in others)
    assert list(Device.objects.filter(user=user, revoked_at__isnull=True)) == [device_of(mine)]


def test_logging_out_signs_the_device_out() -> None:
    f.publication()
    phone = sign_in(f.reader(), CHROME_ANDROID)
    device = device_of(phone)
    phone.post("/accounts/logout/")
    device.refresh_from_db()
    assert device.revoked_at is not None and device.revoked_reason == "signed out"


def test_a_password_change_leaves_only_the_changing_device_signed_in() -> None:
    f.publication()
    user = f.reader()
    others = [sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)]
    mine = sign_in(user, FIREFOX_WINDOWS)
    response = mine.post(
        "/accounts/password/change/",
        {"oldpassword": f.PASSWORD, "password1": "a-new-long-passphrase-9", "password2": "a-new-long-passphrase-9"},
    )
    assert response.status_code == 302
    assert signed_in(mine)
    assert not any(signed_in(c) for c in others)
    active = Device.objects.get(user=user, revoked_at__isnull=True)
    assert active == device_of(mine) and active.session_key == mine.session.session_key
    assert set(Device.objects.filter(user=user).exclude(pk=active.pk).values_list("revoked_reason", flat=True)) == {
        "password changed"
    }
    # The device that changed the password can still sign a device out by its (new) session key.
    fresh = sign_in(user, CHROME_ANDROID, password="a-new-long-passphrase-9")
    fresh.post(f"/account/devices/{active.pk}/sign-out/")
    assert not signed_in(mine)


def test_staff_see_a_readers_devices_and_sign_them_out() -> None:
    f.publication()
    user = f.reader()
    phone = sign_in(user, CHROME_ANDROID)
    device = device_of(phone)
    staff = Client()
    staff.force_login(f.reader(is_staff=True, is_superuser=True))
    listing = staff.get(f"/admin/readers/device/?q={user.email}").content.decode()
    assert "Chrome on Android" in listing
    assert "Chrome on Android" in staff.get(f"/admin/readers/user/{user.pk}/change/").content.decode()
    response = staff.post("/admin/readers/device/", {"action": "sign_out", "_selected_action": [str(device.pk)]})
    assert response.status_code == 302
    assert not signed_in(phone)
    device.refresh_from_db()
    assert device.revoked_reason == "signed out by staff" and device.revoked_by is not None


def test_a_signed_in_page_view_does_not_query_the_device_table() -> None:
    f.publication()
    story = f.story()
    phone = sign_in(f.reader(), CHROME_ANDROID)
    phone.get(story.url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        response = phone.get(story.url)
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "readers_device" in q["sql"]]


def test_last_seen_is_written_when_stale_with_a_sighting(settings: object) -> None:
    f.publication()
    phone = sign_in(f.reader(), CHROME_ANDROID)
    device = device_of(phone)
    before = device.last_seen_at
    settings.BROADSHEET_DEVICE_TOUCH_SECONDS = 0  # type: ignore[attr-defined]
    phone.get("/account/", REMOTE_ADDR="192.0.2.44")
    device.refresh_from_db()
    assert device.last_seen_at > before and device.last_network == "192.0.2.0/24"
    assert list(device.sightings.values_list("network", flat=True).order_by("seen_at")) == [
        "203.0.113.0/24",
        "192.0.2.0/24",
    ]


def test_sessions_ended_elsewhere_are_not_listed_as_signed_in() -> None:
    f.publication()
    user = f.reader()
    phone, tablet = sign_in(user, CHROME_ANDROID), sign_in(user, SAFARI_IPHONE)
    phone_device, tablet_device = device_of(phone), device_of(tablet)
    tablet.session.delete()  # expired or cleared by the session cleanup
    user.set_password("a-password-set-by-staff-1")  # e.g. in the admin: Django ends the old sessions
    user.save()
    laptop = sign_in(user, FIREFOX_WINDOWS, password="a-password-set-by-staff-1")
    assert "Chrome on Android" not in laptop.get("/account/").content.decode()
    for device in (phone_device, tablet_device):
        device.refresh_from_db()
        assert device.revoked_reason == "session ended"
    assert not signed_in(phone)


def test_public_documents_do_not_vary_on_cookie_because_of_devices() -> None:
    f.publication()
    phone = sign_in(f.reader(), CHROME_ANDROID)
    assert "Cookie" not in Client().get("/healthz").get("Vary", "")
    assert "Cookie" not in phone.get("/healthz").get("Vary", "")


def _password_given_minutes_ago(client: Client, minutes: int) -> None:
    session = client.session
    records = session["account_authentication_methods"]
    session["account_authentication_methods"] = [dict(r, at=r["at"] - minutes * 60) for r in records]
    session.save()


def test_signing_other_devices_out_asks_for_the_password_again_after_five_minutes() -> None:
    f.publication()
    user = f.reader()
    phone, laptop = sign_in(user, CHROME_ANDROID), sign_in(user, FIREFOX_WINDOWS)
    _password_given_minutes_ago(laptop, 10)
    one = laptop.post(f"/account/devices/{device_of(phone).pk}/sign-out/")
    assert one["Location"].startswith("/accounts/reauthenticate/") and signed_in(phone)
    asked = laptop.post("/account/devices/sign-out-others/")  # the request kept to finish after the password
    assert asked.status_code == 302 and asked["Location"].startswith("/accounts/reauthenticate/")
    page = laptop.get(asked["Location"]).content.decode()
    assert "Confirm it is you" in page and "{%" not in page and "{{" not in page
    assert signed_in(phone)  # nothing was signed out yet
    wrong = laptop.post(asked["Location"], {"password": "not-the-password"})
    assert wrong.status_code == 200 and signed_in(phone)
    confirmed = laptop.post(asked["Location"], {"password": f.PASSWORD})
    assert confirmed.status_code == 302
    assert not signed_in(phone) and signed_in(laptop)  # the asked-for sign-out, done once confirmed


def test_right_after_logging_in_no_second_password_is_asked() -> None:
    f.publication()
    user = f.reader()
    phone, laptop = sign_in(user, CHROME_ANDROID), sign_in(user, FIREFOX_WINDOWS)
    assert laptop.post("/account/devices/sign-out-others/")["Location"] == "/account/"
    assert not signed_in(phone)
    _password_given_minutes_ago(laptop, 10)
    assert laptop.post(f"/account/devices/{device_of(laptop).pk}/sign-out/")["Location"] == "/"  # this device: no
