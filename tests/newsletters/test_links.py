"""The signed links in every mail: one-click unsubscribe (RFC 8058) and preferences, refused when forged."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.newsletters import tokens
from broadsheet.newsletters.compose.mime import preferences_url, unsubscribe_url
from broadsheet.newsletters.models import Membership, NewsletterList, Subscriber
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


def path(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


@pytest.fixture
def member() -> tuple[Subscriber, NewsletterList]:
    f.publication()
    newsletter = b.newsletter()
    return b.member(newsletter), newsletter


def test_one_click_unsubscribe_works_without_a_session_and_twice_changes_nothing(member: tuple) -> None:
    sub, newsletter = member
    issue = b.issue(newsletter, f.story().article)
    url = path(unsubscribe_url(subscriber_id=sub.pk, list_id=newsletter.pk, issue_id=issue.pk))
    client = Client(enforce_csrf_checks=True)  # as a mail provider posts: no cookie, no CSRF token
    first = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert first.status_code == 200
    membership = Membership.objects.get()
    assert (membership.status, membership.unsubscribed_via, membership.unsubscribed_issue_id) == (
        "unsubscribed",
        "one-click",
        issue.pk,
    )
    stamp = membership.unsubscribed_at
    second = client.post(url, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded")
    assert second.status_code == 200
    assert Membership.objects.get().unsubscribed_at == stamp
    assert not client.cookies.get("sessionid")


def test_opening_the_unsubscribe_link_asks_first(member: tuple, client: Client) -> None:
    sub, newsletter = member
    url = path(unsubscribe_url(subscriber_id=sub.pk, list_id=newsletter.pk, issue_id=None))
    page = client.get(url)
    assert page.status_code == 200 and b"Unsubscribe from" in page.content
    assert Membership.objects.get().status == "active"  # a link scanner's GET unsubscribes nobody


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: t.replace(t.split(".", 1)[0], str(int(t.split(".", 1)[0]) + 1), 1),  # another subscriber
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # a changed signature
        lambda t: "1.1.0:" + "x" * 43,  # made up
        lambda t: tokens.preferences_token(subscriber_id=int(t.split(".", 1)[0])),  # a token for another purpose
    ],
)
def test_a_forged_or_tampered_unsubscribe_link_is_refused(member: tuple, forge: object) -> None:
    sub, newsletter = member
    b.member(newsletter)  # someone else, who must not be unsubscribed either
    token = tokens.unsubscribe_token(subscriber_id=sub.pk, list_id=newsletter.pk, issue_id=None)
    bad = forge(token)  # type: ignore[operator]
    response = Client().post(
        f"/newsletters/unsubscribe/{bad}/",
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 400
    assert set(Membership.objects.values_list("status", flat=True)) == {"active"}


def test_the_preference_link_changes_lists_and_a_tampered_one_is_refused(member: tuple) -> None:
    sub, newsletter = member
    other = b.newsletter(name="Technology Weekly")
    client = Client()
    url = path(preferences_url(subscriber_id=sub.pk))
    page = client.get(url)
    assert page.status_code == 200 and b"Technology Weekly" in page.content
    client.post(url, {"list": [other.pk]})
    statuses = dict(Membership.objects.filter(subscriber=sub).values_list("newsletter_id", "status"))
    assert statuses == {newsletter.pk: "unsubscribed", other.pk: "active"}
    token = url.rstrip("/").rsplit("/", 1)[1]
    forged = f"/newsletters/preferences/{int(token.split(':')[0]) + 1}:{token.split(':', 1)[1]}/"
    assert client.get(forged).status_code == 400
    assert client.post(forged, {"list": []}).status_code == 400
    assert Membership.objects.get(subscriber=sub, newsletter=other).status == "active"
