"""Newsletters through the API: the lists, the reader's own, subscribe and unsubscribe under the
web's rules (a verified address joins at once, an unverified one confirms first, subscriber
lists need their benefit)."""

from __future__ import annotations

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client

from broadsheet.newsletters.models import Membership
from broadsheet.readers.models import User
from tests import factories as f
from tests.api.helpers import get, send, token_for
from tests.newsletters import builders as nb

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists() -> dict[str, Any]:
    f.publication()
    f.demo_plans()
    return {
        "anyone": nb.newsletter("anyone", name="Morning Briefing", cadence_note="at 7 am"),
        "registered": nb.newsletter("registered", name="Markets Close"),
        "subscribers": nb.newsletter("benefit", benefit="premium", name="The Insider"),
    }


def verified(user: User) -> User:
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def status_of(user: User, slug: str) -> str | None:
    row = Membership.objects.filter(subscriber__user=user, newsletter__slug=slug).first()
    return row.status if row else None


def test_anyone_sees_the_lists_and_what_each_needs(lists: dict[str, Any]) -> None:
    status, data = get(Client(), "/api/v1/newsletters")
    assert status == 200
    by_name = {n["name"]: n for n in data["items"]}
    assert list(by_name) == ["Markets Close", "Morning Briefing", "The Insider"]  # the desk's order, then by name
    assert by_name["Morning Briefing"]["may_join"] is True and by_name["Morning Briefing"]["status"] is None
    assert by_name["Morning Briefing"]["cadence_text"] == "Every morning at 7 am"
    assert (by_name["Markets Close"]["may_join"], by_name["Markets Close"]["needs"]) == (
        False,
        "Free for registered readers",
    )
    assert by_name["The Insider"]["benefit"] == "premium" and by_name["The Insider"]["needs"] == "For subscribers"


def test_a_verified_reader_subscribes_and_unsubscribes_idempotently(lists: dict[str, Any]) -> None:
    user = verified(f.reader())
    token = token_for(user)
    slug = lists["registered"].slug
    first = send(Client(), "PUT", f"/api/v1/me/newsletters/{slug}", token=token)
    assert first.status_code == 200 and first.json()["status"] == "active"
    assert status_of(user, slug) == "active" and not mail.outbox
    again = send(Client(), "PUT", f"/api/v1/me/newsletters/{slug}", token=token)
    assert again.status_code == 200 and again.json()["status"] == "active"

    _, mine = get(Client(), "/api/v1/me/newsletters", token)
    assert mine["email"] == user.email and mine["confirmed"] is True and mine["subscribed"] == [slug]
    _, listed = get(Client(), "/api/v1/newsletters", token)
    assert {n["slug"]: n["status"] for n in listed["items"]}[slug] == "active"

    for _ in range(2):  # a second unsubscribe changes nothing and says the same
        gone = send(Client(), "DELETE", f"/api/v1/me/newsletters/{slug}", token=token)
        assert gone.status_code == 204
    assert status_of(user, slug) == "unsubscribed"
    assert get(Client(), "/api/v1/me/newsletters", token)[1]["subscribed"] == []


def test_an_unverified_address_waits_for_its_confirmation_mail(
    lists: dict[str, Any], django_capture_on_commit_callbacks: Any
) -> None:
    user = f.reader()
    token = token_for(user)
    with django_capture_on_commit_callbacks(execute=True):
        answer = send(Client(), "PUT", f"/api/v1/me/newsletters/{lists['anyone'].slug}", token=token)
    assert answer.status_code == 200 and answer.json()["status"] == "pending"
    assert answer.json()["confirmed_at"] is None
    assert [m.to for m in mail.outbox] == [[user.email]] and "/newsletters/confirm/" in mail.outbox[0].body
    assert status_of(user, lists["anyone"].slug) == "pending"


def test_a_subscriber_list_needs_its_benefit(lists: dict[str, Any]) -> None:
    slug = lists["subscribers"].slug
    refused = send(Client(), "PUT", f"/api/v1/me/newsletters/{slug}", token=token_for(verified(f.reader())))
    assert refused.status_code == 403 and refused.json()["code"] == "not_entitled"
    assert Membership.objects.filter(newsletter__slug=slug).count() == 0
    subscriber = verified(f.subscriber())
    joined = send(Client(), "PUT", f"/api/v1/me/newsletters/{slug}", token=token_for(subscriber))
    assert joined.status_code == 200 and joined.json()["status"] == "active"


def test_changes_need_a_token_and_a_real_list(lists: dict[str, Any]) -> None:
    slug = lists["anyone"].slug
    for method, path in (("PUT", f"/api/v1/me/newsletters/{slug}"), ("DELETE", f"/api/v1/me/newsletters/{slug}")):
        answer = send(Client(), method, path)
        assert answer.status_code == 401 and answer.json()["code"] == "not_signed_in"
    assert get(Client(), "/api/v1/me/newsletters")[0] == 401
    token = token_for(verified(f.reader()))
    for method in ("PUT", "DELETE"):
        answer = send(Client(), method, "/api/v1/me/newsletters/no-such-list", token=token)
        assert answer.status_code == 404 and answer.json()["code"] == "not_found"
    assert Membership.objects.count() == 0


def test_a_retried_subscribe_with_the_same_key_is_replayed(lists: dict[str, Any]) -> None:
    user = verified(f.reader())
    token = token_for(user)
    path = f"/api/v1/me/newsletters/{lists['anyone'].slug}"
    first = send(Client(), "PUT", path, token=token, HTTP_IDEMPOTENCY_KEY="k-1")
    second = send(Client(), "PUT", path, token=token, HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == second.status_code == 200
    assert second["Idempotent-Replayed"] == "true" and second.json() == first.json()
