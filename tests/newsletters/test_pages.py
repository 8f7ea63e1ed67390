"""The reader's side: the box at the end of stories, /newsletters/, the account page, past issues."""

from __future__ import annotations

import pytest
from django.test import Client

from broadsheet.core import clock
from broadsheet.newsletters.models import Membership, NewsletterList
from broadsheet.newsletters.rules import IssueStatus
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


@pytest.fixture
def lists() -> dict[str, NewsletterList]:
    f.publication()
    return {
        "brief": b.newsletter(name="Morning Brief"),
        "markets": b.newsletter("registered", name="Morning Markets"),
        "insider": b.newsletter("benefit", benefit="newsletters", name="Analyst's Note"),
    }


def test_the_story_ends_with_a_sign_up_box_for_an_address(client: Client, lists: dict) -> None:
    body = client.get(f.story(access="free").url).content.decode()
    assert 'action="/newsletters/signup/"' in body and "Morning Brief" in body
    assert "Registered readers also get" in body and "Morning Markets" in body


def test_a_registered_reader_gets_one_click_and_no_box_once_on_every_list_they_may_join(
    client: Client, lists: dict
) -> None:
    user = f.reader()
    client.force_login(user)
    story = f.story(access="free")
    body = client.get(story.url).content.decode()
    assert 'action="/newsletters/join/"' in body and "Sign up in one click" in body
    for key in ("brief", "markets"):
        b.member(lists[key], user=user)
    body = client.get(story.url).content.decode()
    assert "newsletter-box" not in body  # nothing left to offer (the subscriber-only list is not theirs)


def test_the_newsletters_page_lists_every_list_with_what_it_is_and_how_often(client: Client, lists: dict) -> None:
    body = client.get("/newsletters/").content.decode()
    for n in lists.values():
        assert n.name in body.replace("&#x27;", "'")
    assert "Free for registered readers" in body and "For subscribers" in body
    assert "Every morning" in body


def test_the_account_page_is_the_preference_centre(client: Client, lists: dict) -> None:
    user = f.reader()
    client.force_login(user)
    body = client.get("/account/").content.decode()
    assert 'id="newsletters"' in body and "Morning Markets" in body
    client.post("/newsletters/account/", {"list": [lists["brief"].pk, lists["markets"].pk, lists["insider"].pk]})
    statuses = dict(Membership.objects.values_list("newsletter__name", "status"))
    assert statuses == {"Morning Brief": "active", "Morning Markets": "active"}  # not the subscriber-only one
    client.post("/newsletters/account/", {"list": [lists["markets"].pk]})
    statuses = dict(Membership.objects.values_list("newsletter__name", "status"))
    assert statuses == {"Morning Brief": "unsubscribed", "Morning Markets": "active"}


def test_past_issues_list_only_what_was_sent_and_drafts_stay_private(client: Client, lists: dict) -> None:
    story = f.story()
    sent = b.issue(lists["brief"], story.article, subject="The one that went out")
    sent.status, sent.started_at = IssueStatus.SENT, clock.now()
    sent.save()
    draft = b.issue(lists["brief"], story.article, subject="Still a draft")
    body = client.get(lists["brief"].get_absolute_url()).content.decode()
    assert "The one that went out" in body and "Still a draft" not in body
    assert client.get(sent.get_absolute_url()).status_code == 200
    assert client.get(draft.get_absolute_url()).status_code == 404
    client.force_login(f.reader(is_staff=True))
    assert b"Preview: not sent yet" in client.get(draft.get_absolute_url()).content
