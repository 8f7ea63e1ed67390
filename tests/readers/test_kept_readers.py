"""A signed-in reader is kept in each worker's memory; every change to their access is seen at once.

The session, the user and the reader's benefits are served from process-local caches on a hit
(no query for them at all). Each test first reads a premium story twice, so the second read comes
from the caches (asserted by counting queries), then changes the reader's access through the
code that really does it, and checks that the very next request sees the change.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from importlib import import_module

import pytest
import time_machine
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.billing.groups.services import seat_release, seat_take
from broadsheet.billing.models import Organisation, Subscription
from broadsheet.billing.payments.refunds import refund_issue
from broadsheet.billing.payments.settlement import payment_create, payment_settle
from broadsheet.billing.rules.lifecycle import Event
from broadsheet.billing.subscriptions.services import (
    subscription_apply,
    subscription_create_pending,
    subscription_grant,
)
from broadsheet.core import generations
from broadsheet.newsroom.models import Article
from broadsheet.readers import devices
from broadsheet.readers.models import Device, User
from broadsheet.readers.sessions import _kept
from tests import factories as f
from tests.api.helpers import bearer, token_for

pytestmark = pytest.mark.django_db

PHONE = "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile"
LAPTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0"


@pytest.fixture
def premium() -> f.Story:
    f.publication()
    f.demo_plans()
    return f.story(access=Article.Access.PREMIUM)


def sign_in(user: User, ua: str = PHONE, password: str = f.PASSWORD) -> Client:
    client = Client(HTTP_USER_AGENT=ua, REMOTE_ADDR="203.0.113.7")
    response = client.post("/accounts/login/", {"login": user.email, "password": password})
    assert response.status_code == 302, response.content[:300]
    return client


def reads_in_full(client: Client, story: f.Story) -> bool:
    body = client.get(story.url).content.decode()
    opened = all(tok in body for tok in story.tokens)
    assert opened or not [tok for tok in story.locked_tokens if tok in body], "locked text leaked"
    return opened


def reader_tables_read(client: Client, story: f.Story) -> list[str]:
    """The session, user and subscription queries one article view makes."""
    with CaptureQueriesContext(connection) as queries:
        assert reads_in_full(client, story)
    tables = ("django_session", "readers_user", "billing_subscription", "newsletters_membership")
    return [q["sql"] for q in queries.captured_queries if any(t in q["sql"] for t in tables)]


@contextmanager
def elsewhere() -> Iterator[None]:
    """The change is made by another worker: this one's kept sessions are as they were before it
    (the stamp is the only way the news can reach them)."""
    before = dict(_kept)
    yield
    _kept.clear()
    _kept.update(before)


def warm(client: Client, story: f.Story) -> None:
    """Read once to fill the caches; the second read must then make no query about the reader."""
    assert reads_in_full(client, story)
    assert reader_tables_read(client, story) == []


def test_a_kept_reader_costs_no_query_and_is_the_same_reader(premium: f.Story) -> None:
    user = f.subscriber()
    client = sign_in(user)
    warm(client, premium)
    page = client.get("/account/").content.decode()
    assert user.email in page  # the account page shows the kept reader's own address
    other = f.subscriber()
    other_client = sign_in(other, LAPTOP)
    warm(other_client, premium)
    assert other.email in other_client.get("/account/").content.decode()
    assert user.email not in other_client.get("/account/").content.decode()


def test_a_cancelled_then_ended_subscription_locks_the_next_request(premium: f.Story) -> None:
    user = f.subscriber()
    client = sign_in(user)
    warm(client, premium)
    sub = Subscription.objects.get(user=user)
    subscription_apply(subscription_id=sub.pk, event=Event.CANCEL, at=timezone.now(), actor="reader")
    assert reads_in_full(client, premium)  # cancelling stops renewal; the paid period goes on
    sub.refresh_from_db()
    subscription_apply(subscription_id=sub.pk, event=Event.REFUND_FULL, at=timezone.now(), actor="staff")
    assert not reads_in_full(client, premium)


def test_expiry_locks_the_next_request_with_nothing_written(premium: f.Story) -> None:
    user = f.reader()
    plan = f.premium_plan()
    sub = subscription_grant(user_id=user.pk, plan=plan, start=timezone.now() - timedelta(days=1), auto_renew=False)
    client = sign_in(user)
    warm(client, premium)
    assert sub.access_until is not None
    with time_machine.travel(sub.access_until + timedelta(seconds=1)):
        assert not reads_in_full(client, premium)


def test_a_refund_locks_the_next_request(premium: f.Story, settings: object) -> None:
    settings.BROADSHEET_GATEWAYS = {"test": "broadsheet.billing.gateways.offline.gateway.TestGateway"}  # type: ignore[attr-defined]
    settings.BROADSHEET_DEFAULT_GATEWAY = "test"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_STATE = "Maharashtra"  # type: ignore[attr-defined]
    user, plan, now = f.reader(), f.premium_plan(), timezone.now()
    sub = subscription_create_pending(user_id=user.pk, plan=plan, at=now, gateway="test", buyer_state="Maharashtra")
    payment = payment_create(
        user_id=user.pk,
        plan=plan,
        kind="first",
        amount_minor=plan.price_minor,
        at=now,
        gateway="test",
        subscription_id=sub.pk,
    )
    payment = payment_settle(
        payment_id=payment.pk, outcome="succeeded", at=now, actor="gateway:test", gateway_payment_id=f"pay_{sub.pk}"
    )
    client = sign_in(user)
    warm(client, premium)
    refund_issue(
        payment_id=payment.pk,
        amount_minor=payment.amount_minor,
        reason="reader asked",
        access_until=timezone.now(),
        by_user_id=None,
        at=timezone.now(),
    )
    assert not reads_in_full(client, premium)


def test_a_removed_seat_locks_the_next_request(premium: f.Story) -> None:
    now = timezone.now()
    org = Organisation.objects.create(
        name="Pune Institute of Journalism",
        plan=f.premium_plan(),
        seats=2,
        join_code="CAMPUS-2027",
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=30),
    )
    user = f.reader()
    seat_take(join_code=org.join_code, user_id=user.pk, at=now)
    client = sign_in(user)
    warm(client, premium)
    assert seat_release(organisation_id=org.pk, user_id=user.pk)
    assert not reads_in_full(client, premium)


def test_a_device_revoked_from_another_browser_is_signed_out_on_its_next_request(premium: f.Story) -> None:
    user = f.subscriber()
    phone, laptop = sign_in(user, PHONE), sign_in(user, LAPTOP)
    warm(phone, premium)
    warm(laptop, premium)
    device = Device.objects.get(pk=phone.session["_bs_device"])
    kept = dict(_kept)
    _kept.clear()  # the worker that revokes never read that session: it knows only the key
    with elsewhere():
        devices.device_revoke(device=device, reason=devices.Reason.SIGNED_OUT, actor_id=user.pk, at=timezone.now())
    _kept.update(kept)  # while the phone's worker still holds it
    assert not reads_in_full(phone, premium)
    assert phone.get("/account/").status_code == 302  # signed out, sent to log in
    assert reads_in_full(laptop, premium)


def test_a_new_password_signs_the_other_browsers_out_on_their_next_request(premium: f.Story) -> None:
    user = f.subscriber()
    phone, laptop = sign_in(user, PHONE), sign_in(user, LAPTOP)
    warm(phone, premium)
    warm(laptop, premium)
    with elsewhere():
        response = laptop.post(
            "/accounts/password/change/",
            {
                "oldpassword": f.PASSWORD,
                "password1": "a-new-long-passphrase-42",
                "password2": "a-new-long-passphrase-42",
            },
        )
    assert response.status_code == 302, response.content[:300]
    assert not reads_in_full(phone, premium)
    assert phone.get("/account/").status_code == 302
    assert reads_in_full(laptop, premium)  # the browser that changed it stays signed in


def test_a_deactivated_account_is_signed_out_on_its_next_request(premium: f.Story) -> None:
    user = f.subscriber()
    client = sign_in(user)
    warm(client, premium)
    with elsewhere():
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert not reads_in_full(client, premium)


def test_signing_out_ends_the_session_kept_by_every_worker(premium: f.Story) -> None:
    user = f.subscriber()
    client = sign_in(user)
    warm(client, premium)
    key = client.cookies["sessionid"].value
    stamp = generations.reader_current(user.pk)
    with elsewhere():
        assert client.post("/accounts/logout/").status_code == 302
        assert key not in _kept
    assert generations.reader_current(user.pk) != stamp  # what tells the other workers
    assert key in _kept  # another worker's copy, now stale
    # A browser still holding the old cookie (a copied cookie, another tab) is anonymous.
    stale = Client(HTTP_USER_AGENT=PHONE, REMOTE_ADDR="203.0.113.7")
    stale.cookies["sessionid"] = key
    assert not reads_in_full(stale, premium)
    assert stale.get("/account/").status_code == 302


def test_another_workers_change_is_seen_through_the_stamp_alone(premium: f.Story) -> None:
    """What a second worker does: change the rows, bump the stamp. Nothing in this process is told."""
    user = f.subscriber()
    client = sign_in(user)
    warm(client, premium)
    key = client.cookies["sessionid"].value
    # Django's own store of the same kind (database, or cache and database) deletes it without a word.
    plain = import_module(
        settings.SESSION_ENGINE.replace("broadsheet.readers.sessions", "django.contrib.sessions.backends")
    )
    plain.SessionStore().delete(key)
    assert not Session.objects.filter(session_key=key).exists()
    assert key in _kept
    assert reads_in_full(client, premium)  # still kept: nothing said the stamp moved
    generations.bump_now(generations.reader_stamp_name(user.pk))
    assert not reads_in_full(client, premium)


def test_an_app_token_reader_is_kept_too_and_a_deactivation_reaches_its_next_request(premium: f.Story) -> None:
    user = f.subscriber()
    token = token_for(user)
    path = f"/api/v1/articles/{premium.article.pk}"

    def api_reads_in_full() -> bool:
        body = Client().get(path, **bearer(token)).content.decode()
        opened = all(tok in body for tok in premium.tokens)
        assert opened or not [tok for tok in premium.locked_tokens if tok in body], "locked text leaked"
        return opened

    assert api_reads_in_full()
    with CaptureQueriesContext(connection) as queries:
        assert api_reads_in_full()
    assert not [q for q in queries.captured_queries if "readers_user" in q["sql"]]
    with elsewhere():
        user.is_active = False
        user.save(update_fields=["is_active"])
    assert not api_reads_in_full()
