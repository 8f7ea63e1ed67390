"""The wire editor's desk: queued stories wait, get an access level and go out; quarantine is retried."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.test import Client

from broadsheet.newsroom.models import Article
from broadsheet.readers.models import User
from broadsheet.wire import desk as wire_desk
from broadsheet.wire.models import MappingRule, WireItem
from tests import factories as f
from tests.wire.conftest import Desk, outcomes
from tests.wire.test_ingest import article_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor() -> User:
    user = f.reader("wire@example.com", is_staff=True)
    user.groups.add(Group.objects.get(name="Wire desk"))
    return user


@pytest.fixture
def queue(desk: Desk) -> Desk:
    desk.source.auto_publish = False
    desk.source.save()
    return desk


def test_a_queue_source_holds_new_stories_off_the_site(queue: Desk, client: Client) -> None:
    queue.drop("ninjs1/pns-markets-v1.json")
    assert dict(queue.ingest().items) == {"queued": 1}
    article = article_of("urn:pns:2026:markets-001")
    assert article.status == Article.Status.DRAFT
    assert client.get(article.get_absolute_url()).status_code == 404
    assert "Copper futures" not in client.get("/feed/").content.decode()


def test_the_editor_publishes_a_queued_story_as_premium_from_the_admin(
    queue: Desk, client: Client, editor: User
) -> None:
    queue.drop("ninjs1/pns-markets-v1.json")
    queue.ingest()
    item = WireItem.objects.get()
    client.force_login(editor)
    listing = client.get("/admin/wire/wireitem/")
    assert listing.status_code == 200
    text = listing.content.decode()
    assert "Copper futures climb" in text and "PNS drop folder" in text and "Queued" in text
    response = client.post(
        "/admin/wire/wireitem/", {"action": "publish_premium", "_selected_action": [item.pk]}, follow=True
    )
    assert "Published 1 story" in response.content.decode()
    article = article_of("urn:pns:2026:markets-001")
    assert (article.status, article.access) == (Article.Status.PUBLISHED, Article.Access.PREMIUM)
    item.refresh_from_db()
    assert item.state == "published" and item.handled_by == editor
    client.logout()
    body = client.get(article.get_absolute_url()).content.decode()
    assert "This is a premium story" in body and "warehouse stocks" not in body


def test_publishing_before_the_embargo_schedules_for_the_embargo(queue: Desk, editor: User) -> None:
    queue.drop("ninjs1/pns-embargo.json")
    queue.ingest()
    article = wire_desk.item_publish(item_id=WireItem.objects.get().pk, actor=editor)
    assert article.status == Article.Status.SCHEDULED and article.published_at is not None
    assert article.published_at.year == 2099


def test_a_kill_withdraws_a_queued_story_too(queue: Desk) -> None:
    queue.drop("ninjs1/pns-markets-v1.json", "ninjs1/pns-markets-kill.json")
    queue.ingest()
    assert outcomes() == {"queued": 1, "killed": 1}
    assert article_of("urn:pns:2026:markets-001").status == Article.Status.WITHDRAWN
    with pytest.raises(wire_desk.DeskError):
        wire_desk.item_publish(item_id=WireItem.objects.get(state="queued").pk, actor=None)


def test_an_item_without_a_section_is_quarantined_and_retried_after_a_rule_is_added(desk: Desk, editor: User) -> None:
    desk.source.default_section = None
    desk.source.save()
    desk.drop("ninjs2/pns-batch.json")
    desk.ingest()
    item = WireItem.objects.get(position=0)
    assert item.state == "quarantined" and "no section" in item.reason and "medtop:17000000" in item.reason
    MappingRule.objects.create(match="medtop:17000000", section=desk.sections["news"])
    wire_desk.item_retry(item_id=item.pk, actor=editor)
    item.refresh_from_db()
    assert item.state == "published" and item.story is not None and item.raw  # the original is kept


def test_the_desk_corrects_a_truncated_file_in_the_admin_and_retries_it(
    desk: Desk, client: Client, editor: User
) -> None:
    desk.drop("hostile/truncated.json")
    desk.ingest()
    item = WireItem.objects.get()
    assert item.state == "quarantined" and "truncated" in item.reason
    client.force_login(editor)
    change = client.get(f"/admin/wire/wireitem/{item.pk}/change/")
    assert change.status_code == 200 and "The file stops in the mid" in change.content.decode()
    fixed = (
        '{"uri": "urn:pns:2026:truncated", "version": "1", "headline": "Half a story", '
        '"body_html": "<p>Now whole.</p>"}'
    )
    response = client.post(f"/admin/wire/wireitem/{item.pk}/change/", {"corrected": fixed})
    assert response.status_code == 302
    client.post("/admin/wire/wireitem/", {"action": "retry", "_selected_action": [item.pk]})
    item.refresh_from_db()
    assert item.state == "published" and bytes(item.raw).startswith(b'{"uri": "urn:pns:2026:truncated"')
    assert "Now whole." in article_of("urn:pns:2026:truncated").body


def test_retrying_a_still_broken_item_keeps_it_quarantined_with_the_new_reason(desk: Desk, editor: User) -> None:
    desk.drop("hostile/invalid-utf8.json")
    desk.ingest()
    item = WireItem.objects.get()
    wire_desk.item_retry(item_id=item.pk, actor=editor)
    item.refresh_from_db()
    assert item.state == "quarantined" and "retry by wire@example.com" in item.reason


def test_the_wire_desk_sees_sources_rules_files_and_runs(desk: Desk, client: Client, editor: User) -> None:
    desk.drop("rss/pns-feed.xml")
    desk.ingest()
    client.force_login(editor)
    for path in (
        "/admin/wire/mappingrule/",
        "/admin/wire/wiresource/",
        "/admin/wire/wirefile/",
        "/admin/wire/ingestrun/",
        "/admin/wire/wirestory/",
        "/admin/wire/mappingrule/add/",
    ):
        assert client.get(path).status_code == 200, path
    assert client.get("/admin/wire/wiresource/add/").status_code == 403  # sources are the editors' and engineers'
