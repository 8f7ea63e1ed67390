"""Signing up: double opt-in for a bare address, one click for a registered reader, and an address
that becomes an account."""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client

from broadsheet.core import clock
from broadsheet.newsletters.models import Membership, Subscriber
from broadsheet.newsletters.sending import control
from broadsheet.newsletters.sending.sender import issue_send_run
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


def confirm_link(inbox: Any) -> str:
    found = re.search(r"http://\S+/newsletters/confirm/(\S+)/", inbox.body())
    assert found, inbox.body()
    return f"/newsletters/confirm/{found.group(1)}/"


def test_an_unconfirmed_address_gets_nothing_but_the_confirmation(
    client: Client, smtp: Any, relay: b.Relay, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    newsletter = b.newsletter()
    confirmed = b.member(newsletter)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/signup/", {"email": "Someone@Example.org", "list": newsletter.pk})
    assert [m["To"] for m in smtp.messages] == ["someone@example.org"]
    assert "Confirm" in smtp.messages[0]["Subject"]
    membership = Membership.objects.get(subscriber__email="someone@example.org")
    assert membership.status == Membership.Status.PENDING
    issue = b.issue(newsletter, f.story().article)
    control.issue_send_now(issue_id=issue.pk, at=clock.now())
    issue_send_run(issue_id=issue.pk)
    assert relay.recipients() == Counter({confirmed.email: 1})


def test_a_confirmation_link_works_once(client: Client, smtp: Any, django_capture_on_commit_callbacks: Any) -> None:
    f.publication()
    newsletter = b.newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/signup/", {"email": "once@example.org", "list": newsletter.pk})
    link = confirm_link(smtp)
    page = client.get(link)  # a link scanner's GET changes nothing
    assert page.status_code == 200 and b"Confirm my sign-up" in page.content
    assert Membership.objects.get().status == Membership.Status.PENDING
    done = client.post(link)
    assert done.status_code == 200 and b"signed up" in done.content
    assert Membership.objects.get().status == Membership.Status.ACTIVE
    Membership.objects.update(status=Membership.Status.UNSUBSCRIBED)  # they leave later...
    again = client.post(link)  # ...and an old confirmation link does not sign them up again
    assert again.status_code == 400 and b"already been used" in again.content
    assert Membership.objects.get().status == Membership.Status.UNSUBSCRIBED


def test_a_tampered_confirmation_link_is_refused(
    client: Client, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    newsletter = b.newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/signup/", {"email": "t@example.org", "list": newsletter.pk})
    link = confirm_link(smtp)
    sid = str(Subscriber.objects.get().pk)
    forged = link.replace(f"/confirm/{sid}.", f"/confirm/{int(sid) + 1}.")
    assert client.post(forged).status_code == 400
    assert Subscriber.objects.get().confirmed_at is None


def test_the_form_says_the_same_for_any_address_and_mails_at_most_once_in_a_while(
    client: Client, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    newsletter = b.newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        first = client.post("/newsletters/signup/", {"email": "r@example.org", "list": newsletter.pk})
        second = client.post("/newsletters/signup/", {"email": "r@example.org", "list": newsletter.pk})
        unknown = client.post("/newsletters/signup/", {"email": "x@example.org", "list": newsletter.pk})
    assert first.content.replace(b"r@example.org", b"") == unknown.content.replace(b"x@example.org", b"")
    assert second.status_code == 200
    assert Counter(m["To"] for m in smtp.messages) == Counter({"r@example.org": 1, "x@example.org": 1})


def test_bad_sign_ups_are_refused_with_a_reason(client: Client) -> None:
    f.publication()
    newsletter = b.newsletter()
    registered_only = b.newsletter("registered")
    assert client.post("/newsletters/signup/", {"email": "not-an-address", "list": newsletter.pk}).status_code == 400
    assert client.post("/newsletters/signup/", {"email": "a@example.org"}).status_code == 400
    client.post("/newsletters/signup/", {"email": "a@example.org", "list": registered_only.pk})
    assert not Membership.objects.exists()  # a list for registered readers needs an account


def test_a_registered_reader_signs_up_in_one_click(client: Client, smtp: Any) -> None:
    f.publication()
    newsletter = b.newsletter("registered")
    user = f.reader()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client.force_login(user)
    response = client.post("/newsletters/join/", {"list": newsletter.pk, "next": "/somewhere/"})
    assert response.status_code == 302 and response["Location"] == "/somewhere/"
    membership = Membership.objects.get(subscriber__user=user)
    assert membership.status == Membership.Status.ACTIVE
    assert not smtp.messages  # no confirmation needed


def test_a_subscriber_only_list_refuses_a_reader_without_the_benefit(client: Client) -> None:
    f.publication()
    newsletter = b.newsletter("benefit", benefit="newsletters")
    client.force_login(f.reader())
    client.post("/newsletters/join/", {"list": newsletter.pk})
    assert not Membership.objects.exists()
    client.force_login(b.subscriber_with("newsletters"))
    client.post("/newsletters/join/", {"list": newsletter.pk})
    assert Membership.objects.count() == 1


def test_a_confirmed_address_becomes_an_account(
    client: Client, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    newsletter = b.newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/newsletters/signup/", {"email": "later@example.org", "list": newsletter.pk})
    client.post(confirm_link(smtp))
    signup = client.post(
        "/accounts/signup/", {"email": "later@example.org", "password1": f.PASSWORD, "password2": f.PASSWORD}
    )
    assert signup.status_code == 302
    sub = Subscriber.objects.get(email="later@example.org")
    assert sub.user is not None and sub.user.email == "later@example.org"
    assert sub.memberships.get().status == Membership.Status.ACTIVE
    page = client.get("/account/")
    assert b"Newsletters" in page.content and newsletter.name.encode() in page.content
