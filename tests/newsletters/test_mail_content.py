"""What recipients get: no locked paragraph for a reader who may not read it, in the HTML part, the
text part or the web view; the whole story, as the list's format gives it, for one who may; and no
template marker anywhere."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from broadsheet.core import clock
from broadsheet.newsletters.sending import control
from broadsheet.newsletters.sending.sender import issue_send_run
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db
MARKERS = re.compile(r"\{\{|\{%|%\}|\}\}|bsm[0-9a-f]{12}[eup]")


@pytest.fixture
def world(relay: b.Relay) -> dict[str, Any]:
    f.publication()
    stories = {
        "premium": f.story(access=Article.Access.PREMIUM),
        "metered": f.story(),
        "free": f.story(access=Article.Access.FREE),
    }
    people = {"address": None, "registered": f.reader(), "subscriber": b.subscriber_with("premium")}
    return {"stories": stories, "people": people}


def send(world: dict[str, Any], relay: b.Relay, fmt: str) -> dict[str, tuple[str, str]]:
    newsletter = b.newsletter(fmt=fmt)
    addresses = {}
    for name, user in world["people"].items():
        sub = b.member(newsletter, user=user) if user else b.member(newsletter)
        addresses[name] = sub.email
    issue = b.issue(newsletter, *(s.article for s in world["stories"].values()))
    control.issue_send_now(issue_id=issue.pk, at=clock.now())
    assert issue_send_run(issue_id=issue.pk).sent == 3
    world["issue"] = issue
    return {name: relay.parts(relay.for_address(address)) for name, address in addresses.items()}


def locked(world: dict[str, Any], *names: str) -> list[str]:
    return [tok for n in names for tok in world["stories"][n].locked_tokens]


@pytest.mark.parametrize("fmt", ["full", "summaries"])
def test_no_locked_paragraph_reaches_a_recipient_who_may_not_read_it(world: dict, relay: b.Relay, fmt: str) -> None:
    mails = send(world, relay, fmt)
    for who in ("address", "registered"):
        html, text = mails[who]
        for part in (html, text):
            leaked = [tok for tok in locked(world, "premium", "metered") if tok in part]
            assert not leaked, f"{who} ({fmt}) received locked paragraphs: {leaked}"
            assert world["stories"]["premium"].tokens[0] in part  # the teaser: first paragraph only
        assert "This is a premium story" in html and "This is a premium story" in text
        assert "See the plans" in html


def test_an_entitled_recipient_gets_the_whole_story_in_a_full_list(world: dict, relay: b.Relay) -> None:
    html, text = send(world, relay, "full")["subscriber"]
    for tok in world["stories"]["premium"].tokens:
        assert tok in html and tok in text
    assert "This is a premium story" not in html
    # Open to everyone without the meter: the free story comes whole to every recipient of a full list.
    html_a, _ = send(world, relay, "full")["address"]
    assert all(tok in html_a for tok in world["stories"]["free"].tokens)


def test_a_summaries_list_gives_even_subscribers_the_lead_and_a_link(world: dict, relay: b.Relay) -> None:
    html, _ = send(world, relay, "summaries")["subscriber"]
    story = world["stories"]["premium"]
    assert story.tokens[0] in html and not any(tok in html for tok in story.locked_tokens)
    assert "Read the full story" in html and "This is a premium story" not in html


def test_the_web_view_obeys_the_paywall_like_any_page(world: dict, relay: b.Relay, client: Client) -> None:
    send(world, relay, "full")
    url = world["issue"].get_absolute_url()
    body = client.get(url).content.decode()
    assert not [tok for tok in locked(world, "premium", "metered") if tok in body]
    assert world["stories"]["premium"].tokens[0] in body
    client.force_login(world["people"]["registered"])
    body = client.get(url).content.decode()
    assert not [tok for tok in locked(world, "premium", "metered") if tok in body]
    client.force_login(world["people"]["subscriber"])
    body = client.get(url).content.decode()
    assert all(tok in body for tok in world["stories"]["premium"].tokens)


def test_every_mail_carries_one_click_unsubscribe_and_no_template_marker(world: dict, relay: b.Relay) -> None:
    send(world, relay, "full")
    assert len(relay.messages) == 3
    for n, msg in enumerate(relay.messages):
        raw = msg.as_string()
        html, text = relay.parts(n)
        for part in (raw, html, text):
            assert not MARKERS.search(part), MARKERS.search(part)
        assert re.fullmatch(r"<https?://\S+/newsletters/unsubscribe/\S+/>", msg["List-Unsubscribe"])
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "/newsletters/preferences/" in html and "/newsletters/preferences/" in text
        assert world["issue"].get_absolute_url() in html  # view in browser
        assert msg["To"] in html and msg["To"] in text


def test_the_confirmation_mail_and_pages_carry_no_template_marker(
    client: Client, smtp: Any, django_capture_on_commit_callbacks: Any
) -> None:
    f.publication()
    newsletter = b.newsletter()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/newsletters/signup/", {"email": "new@example.org", "list": newsletter.pk})
    assert response.status_code == 200
    assert not MARKERS.search(response.content.decode())
    assert len(smtp.messages) == 1
    msg = smtp.messages[0]
    for part in msg.walk():
        payload = part.get_payload(decode=True)
        if isinstance(payload, bytes):
            assert not MARKERS.search(payload.decode())
    for path in ["/newsletters/", f"/newsletters/{newsletter.slug}/"]:
        assert not MARKERS.search(client.get(path).content.decode())


def test_drafts_and_withdrawn_stories_never_go_out(relay: b.Relay, client: Client) -> None:
    f.publication()
    newsletter = b.newsletter(fmt="full")
    member = b.member(newsletter)
    live = f.story(access=Article.Access.FREE)
    draft = f.story(access=Article.Access.FREE, status=Article.Status.DRAFT)
    killed = f.story(access=Article.Access.FREE)
    only_draft = b.issue(newsletter, draft.article)
    with pytest.raises(control.IssueNotReady, match="published"):
        control.issue_send_now(issue_id=only_draft.pk, at=clock.now())
    issue = b.issue(newsletter, live.article, draft.article, killed.article, subject="Mixed")
    Article.objects.filter(pk=killed.article.pk).update(status=Article.Status.WITHDRAWN)
    control.issue_send_now(issue_id=issue.pk, at=clock.now())
    issue_send_run(issue_id=issue.pk)
    html, text = relay.parts(relay.for_address(member.email))
    web = client.get(issue.get_absolute_url()).content.decode()
    for part in (html, text, web):
        assert live.tokens[0] in part
        assert not [tok for tok in draft.tokens + killed.tokens if tok in part]
        assert draft.article.headline not in part and killed.article.headline not in part
