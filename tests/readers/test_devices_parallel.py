"""Parallel sign-ins never pass the device limit, and an evicted device's session is really gone.

Issue 9, defect 4: with 5 devices signed in, 6 more sign-ins at the same
moment could leave 6 sessions reading: one sign-in took another's brand-new
device (its session not yet stored with the reader) for an ended one and
marked it "session ended", while the session itself lived on, uncounted and
out of reach of "sign out all other devices". Real sign-ins through the log-in
form, in threads, on the configured database; repeated to catch the race.
"""

from __future__ import annotations

import threading
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from broadsheet.readers.models import Device, User
from tests import factories as f

LIMIT, AT_ONCE = 5, 6
UA = "Mozilla/5.0 (X11; Linux x86_64; rv:127.0) Gecko/20100101 Firefox/127.0"


def sign_in(user: User, n: int) -> Client:
    browser = Client(HTTP_USER_AGENT=UA, REMOTE_ADDR=f"198.51.100.{n}")
    answer = browser.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD})
    assert answer.status_code in (302, 400), answer.status_code  # 400: evicted before its answer was stored
    return browser


def reads(browser: Client) -> bool:
    """Is this browser signed in on its next request? (The account page sends others to log in.)"""
    return browser.get("/account/").status_code == 200


def session_exists(key: str) -> bool:
    return bool(key) and import_module(settings.SESSION_ENGINE).SessionStore().exists(key)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(8))
def test_parallel_sign_ins_never_leave_more_sessions_reading_than_the_limit(settings: object, round_: int) -> None:
    settings.BROADSHEET_DEFAULT_MAX_DEVICES = LIMIT  # type: ignore[attr-defined]
    # Eleven sign-ins to one account in seconds: allauth's failed-attempt limit (counted per attempt
    # while it is under way) would refuse some before they reach the device limit under test.
    settings.ACCOUNT_RATE_LIMITS = False  # type: ignore[attr-defined]
    f.publication()
    user = f.reader()
    browsers = [sign_in(user, n) for n in range(LIMIT)]
    barrier = threading.Barrier(AT_ONCE)
    errors: list[BaseException] = []

    def at_once(n: int) -> None:
        try:
            barrier.wait()
            browsers.append(sign_in(user, 100 + n))
        except BaseException as error:  # reported by the test thread
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=at_once, args=(n,)) for n in range(AT_ONCE)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    reading = [b for b in browsers if reads(b)]
    assert len(reading) <= LIMIT, f"{len(reading)} sessions read with a limit of {LIMIT}"
    assert Device.objects.filter(user=user, revoked_at__isnull=True).count() <= LIMIT
    for device in Device.objects.filter(user=user, revoked_at__isnull=False):
        assert not session_exists(device.session_key), (
            f"device {device.pk} ({device.revoked_reason}) still has a session"
        )
    # Every browser still reading is a device the reader sees, and can sign out.
    keep = reading[0]
    keep.post("/account/devices/sign-out-others/")
    assert [b for b in browsers if reads(b)] == [keep]
