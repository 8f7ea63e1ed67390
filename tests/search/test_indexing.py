"""The index follows every write to a story, in the same transaction, by the database's own triggers."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from broadsheet.newsroom.models import Article
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.engines import engine_for_database
from broadsheet.search.query import parse
from broadsheet.search.selectors import search_run
from tests import factories as f

pytestmark = pytest.mark.django_db

EDITOR = ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())


def found(text: str) -> list[int]:
    return [r.article.pk for r in search_run(query=parse(text), reader=EDITOR, now=timezone.now()).results]


def test_a_saved_story_is_found_and_an_edit_replaces_its_words() -> None:
    story = f.story(headline="Harbour cranes idle")
    assert found("harbour") == [story.article.pk]
    story.article.headline = "Dockyard cranes idle"
    story.article.save()
    assert found("harbour") == [] and found("dockyard") == [story.article.pk]


def test_a_withdrawn_draft_or_deleted_story_leaves_the_index_at_once() -> None:
    gone = [f.story(headline=f"Ferry timetable {i}") for i in range(3)]
    gone[0].article.status = Article.Status.WITHDRAWN
    gone[0].article.save()
    Article.objects.filter(pk=gone[1].article.pk).update(status=Article.Status.DRAFT)  # a bulk update, no signals
    gone[2].article.delete()
    assert found("ferry") == []
    assert engine_for_database().indexed_count() == 0


def test_a_draft_is_not_found_until_published_and_a_future_story_not_until_due() -> None:
    draft = f.story(headline="Lighthouse keeper retires", status=Article.Status.DRAFT)
    later = f.story(headline="Lighthouse reopens", published_at=timezone.now() + timedelta(days=1))
    assert found("lighthouse") == []
    draft.article.status = Article.Status.PUBLISHED
    draft.article.save()
    assert found("lighthouse") == [draft.article.pk]
    page = search_run(query=parse("lighthouse"), reader=EDITOR, now=timezone.now() + timedelta(days=2))
    assert [r.article.pk for r in page.results] == [later.article.pk, draft.article.pk]


def test_stories_inserted_in_bulk_are_indexed_by_the_database() -> None:
    section = f.section()
    now = timezone.now()
    Article.objects.bulk_create(
        Article(
            headline=f"Tidal report {i}",
            slug=f"tidal-{i}",
            body=f"<p>High water at {i} o&#39;clock &amp; low at noon</p>",
            section=section,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=i),
        )
        for i in range(50)
    )
    assert search_run(query=parse("tidal"), reader=EDITOR, now=now).total == 50
    assert search_run(query=parse("noon"), reader=EDITOR, now=now).total == 50
    assert search_run(query=parse("amp"), reader=EDITOR, now=now).total == 0  # markup and entities are not words


def test_an_index_write_rolls_back_with_the_story() -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        f.story(headline="Orchard frost warning")
        assert found("orchard") != []  # in the transaction, the story is already searchable
        raise RuntimeError("the save failed after the insert")
    assert found("orchard") == []


def test_the_rebuild_command_refills_the_index_with_progress_and_a_summary(capsys: pytest.CaptureFixture[str]) -> None:
    stories = [f.story(headline=f"Glacier survey {i}") for i in range(7)]
    f.story(headline="Glacier draft", status=Article.Status.DRAFT)
    engine_for_database().clear()
    assert found("glacier") == []
    call_command("search_rebuild", "--batch", "3")
    out = capsys.readouterr().out
    assert "(100%)" in out and "7 live stories indexed of 8 stories" in out, out
    assert sorted(found("glacier")) == sorted(s.article.pk for s in stories)
    assert connection.vendor in out


def test_a_change_of_access_or_section_moves_what_a_reader_may_search() -> None:
    """The index row carries access and section (PostgreSQL filters on them): a story made free
    is searched by its body for everyone at once, and one locked again is not."""
    anonymous = ReaderFacts(is_staff=False, is_registered=False, benefits=frozenset())
    story = f.story(access=Article.Access.PREMIUM)

    def anonymous_finds() -> list[int]:
        page = search_run(query=parse(story.tokens[3]), reader=anonymous, now=timezone.now())
        return [r.article.pk for r in page.results]

    assert anonymous_finds() == []
    story.article.access = Article.Access.FREE
    story.article.save()
    assert anonymous_finds() == [story.article.pk]
    markets = f.section("markets")
    Article.objects.filter(pk=story.article.pk).update(section=markets)
    page = search_run(query=parse(story.tokens[3]), reader=EDITOR, now=timezone.now())
    assert [r.article.section.slug for r in page.results] == ["markets"]
    Article.objects.filter(pk=story.article.pk).update(access=Article.Access.PREMIUM)
    assert anonymous_finds() == []
