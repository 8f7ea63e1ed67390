"""The meter on a real database: months in the publication's time zone, re-reads,
carrying the anonymous count into an account, cleared cookies, exempt wire copy."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client

from broadsheet.core.periods import meter_period
from tests import factories as f

pytestmark = pytest.mark.django_db
IST = ZoneInfo("Asia/Kolkata")


def is_open(client: Client, story: f.Story, **extra: str) -> bool:
    return story.tokens[-1] in client.get(story.url, **extra).content.decode()


def test_period_is_the_calendar_month_in_the_publication_time_zone() -> None:
    # 18:29 UTC on 31 January is 23:59 in India; 18:31 UTC is 00:01 on 1 February.
    assert meter_period(datetime(2027, 1, 31, 18, 29, tzinfo=UTC), "Asia/Kolkata") == "2027-01"
    assert meter_period(datetime(2027, 1, 31, 18, 31, tzinfo=UTC), "Asia/Kolkata") == "2027-02"
    assert meter_period(datetime(2027, 1, 31, 18, 31, tzinfo=UTC), "UTC") == "2027-01"


def test_views_either_side_of_midnight_ist_count_in_different_months(client: Client) -> None:
    f.publication(anonymous_free_limit=1, registered_free_limit=1)
    f.demo_plans()
    with time_machine.travel(datetime(2027, 1, 31, 23, 0, tzinfo=IST), tick=False):
        a, b, c = f.story(), f.story(), f.story()
    with time_machine.travel(datetime(2027, 1, 31, 23, 59, tzinfo=IST), tick=False):
        assert is_open(client, a)
        assert not is_open(client, b)  # January's one free article is used
    with time_machine.travel(datetime(2027, 2, 1, 0, 1, tzinfo=IST), tick=False):
        assert is_open(client, b)  # a new month in India, though still 31 January in UTC
        assert not is_open(client, c)


def test_re_reading_is_free_and_the_countdown_tells_the_truth(client: Client) -> None:
    f.publication(anonymous_free_limit=3)
    f.demo_plans()
    a, b = f.story(), f.story()
    first = client.get(a.url).content.decode()
    assert "2 of 3 free articles left this month" in first
    for _ in range(5):
        assert "2 of 3 free articles left this month" in client.get(a.url).content.decode()
    assert "1 of 3 free articles left this month" in client.get(b.url).content.decode()


def test_anonymous_count_carries_into_the_account_at_log_in(client: Client) -> None:
    f.publication(anonymous_free_limit=2, registered_free_limit=3)
    f.demo_plans()
    stories = [f.story() for _ in range(4)]
    assert is_open(client, stories[0]) and is_open(client, stories[1])
    assert not is_open(client, stories[2])
    user = f.reader()
    response = client.post("/accounts/login/", {"login": user.email, "password": f.PASSWORD})
    assert response.status_code == 302
    # Registered limit is 3, two already read while anonymous: one more, not three.
    assert is_open(client, stories[2])
    assert not is_open(client, stories[3])
    assert is_open(client, stories[0])  # read before logging in: still free to re-read


def test_clearing_cookies_buys_at_most_the_network_ceiling(settings: object) -> None:
    settings.BROADSHEET_NETWORK_FREE_MULTIPLE = 2  # type: ignore[attr-defined]
    f.publication(anonymous_free_limit=2)
    f.demo_plans()
    stories = [f.story() for _ in range(6)]
    browser = {"HTTP_USER_AGENT": "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0", "REMOTE_ADDR": "198.51.100.23"}
    first = Client()
    assert is_open(first, stories[0], **browser) and is_open(first, stories[1], **browser)
    assert settings.BROADSHEET_READER_COOKIE in first.cookies  # type: ignore[attr-defined]
    assert not is_open(first, stories[2], **browser)  # the reader's own limit
    # Cookies cleared: a fresh allowance, but the network (same /24, browser, language) has a ceiling of 2 x 2.
    second = Client()
    assert is_open(second, stories[2], **browser) and is_open(second, stories[3], **browser)
    third = Client()
    body = third.get(stories[4].url, **browser).content.decode()
    assert stories[4].tokens[-1] not in body
    assert "Register free to read on" in body
    # A different browser elsewhere is a different network key.
    elsewhere = Client()
    assert is_open(elsewhere, stories[4], HTTP_USER_AGENT="Other/1.0", REMOTE_ADDR="192.0.2.44")


def test_a_first_time_reader_on_a_shared_network_does_not_inherit_a_spent_meter() -> None:
    """Behind a carrier's shared addresses many readers have the same network, browser build and language."""
    f.publication(anonymous_free_limit=3)
    f.demo_plans()
    stories = [f.story() for _ in range(5)]
    carrier = {"HTTP_USER_AGENT": "Mozilla/5.0 (Linux; Android 15) Chrome/141.0 Mobile", "REMOTE_ADDR": "100.64.7.9"}
    commuter = Client()
    for story in stories[:3]:
        assert is_open(commuter, story, **carrier)
    assert not is_open(commuter, stories[3], **carrier)
    newcomer = Client(HTTP_ACCEPT_LANGUAGE="")
    body = newcomer.get(stories[4].url, **{**carrier, "REMOTE_ADDR": "100.64.7.200"}).content.decode()
    assert stories[4].tokens[-1] in body
    assert "2 of 3 free articles left this month" in body


def test_forged_reader_cookie_is_ignored() -> None:
    f.publication(anonymous_free_limit=1)
    f.demo_plans()
    a, b = f.story(), f.story()
    c = Client()
    assert is_open(c, a)
    c.cookies[settings.BROADSHEET_READER_COOKIE] = "made-up-value"
    c.get(b.url)
    assert c.cookies[settings.BROADSHEET_READER_COOKIE].value != "made-up-value"  # treated as no cookie: a new id
    assert not is_open(c, a)  # and the forged value never named the reader who read `a`


def test_wire_copy_can_be_exempted_from_the_meter(client: Client) -> None:
    f.publication(anonymous_free_limit=1)
    f.demo_plans()
    exempt = f.agency("FREEWIRE", meter_exempt=True)
    counted = f.agency("PNS")
    first, second = f.story(), f.story(wire=counted)
    wire = [f.story(wire=exempt) for _ in range(3)]
    assert is_open(client, first)
    assert all(is_open(client, s) for s in wire)
    assert not is_open(client, second)


def test_free_limit_setting_overrides_both_stored_limits(client: Client, settings: object) -> None:
    settings.BROADSHEET_FREE_LIMIT = 1  # type: ignore[attr-defined]
    f.publication(anonymous_free_limit=5, registered_free_limit=5)
    f.demo_plans()
    a, b = f.story(), f.story()
    assert is_open(client, a)
    assert not is_open(client, b)
    client.force_login(f.reader())
    assert is_open(client, b)
    assert not is_open(client, f.story())


def test_registration_wall_asks_anonymous_readers_to_register(client: Client) -> None:
    f.publication(anonymous_free_limit=1, registration_wall=True)
    f.demo_plans()
    a, b = f.story(), f.story()
    assert is_open(client, a)
    body = client.get(b.url).content.decode()
    assert "Register free to keep reading" in body
    assert "/accounts/signup/?next=" in body
    assert not any(tok in body for tok in b.locked_tokens)


def test_staff_preview_drafts_and_never_count(client: Client) -> None:
    f.publication(anonymous_free_limit=1, registered_free_limit=1)
    draft = f.story(status="draft")
    assert client.get(draft.url).status_code == 404
    client.force_login(f.reader(is_staff=True))
    assert is_open(client, draft)
    assert all(is_open(client, f.story()) for _ in range(3))
