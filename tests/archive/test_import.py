"""`broadsheet import-archive`: idempotent by source id, sanitised like any story, and a bad
line costs only itself (reported with its number and reason)."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from broadsheet.archive.importer import archive_import
from broadsheet.newsroom.models import Agency, Article, Author, Section
from broadsheet.paywall.access import ReaderFacts
from broadsheet.search.query import parse
from broadsheet.search.selectors import search_run
from tests import factories as f

pytestmark = pytest.mark.django_db


def story_line(n: int, **overrides: Any) -> dict[str, Any]:
    line = {
        "source_id": f"bd-{n:06d}",
        "headline": f"Port trust clears berth number {n}",
        "standfirst": f"The {n}th berth opens to container ships next month.",
        "body": f"<p>Lead of story {n} tokL{n}q.</p><p>Rest of story {n} tokR{n}q.</p>",
        "section": "news",
        "authors": ["Asha Rao", "Vikram Sen"],
        "agency": None,
        "published_at": f"{1997 + n % 25}-08-14T07:30:00+05:30",
        "access": "metered",
    }
    return {**line, **overrides}


def write(path: Path, lines: list[Any]) -> Path:
    path.write_text("".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines), encoding="utf-8")
    return path


@pytest.fixture
def newsroom() -> None:
    f.publication()
    f.section("news")
    f.agency("PTI")


def run(path: Path, *args: str) -> tuple[str, str, int]:
    out, err = StringIO(), StringIO()
    try:
        call_command("import_archive", str(path), *args, stdout=out, stderr=err)
        code = 0
    except CommandError as exc:
        err.write(str(exc))
        code = exc.returncode
    return out.getvalue(), err.getvalue(), code


def snapshot() -> list[tuple[Any, ...]]:
    return list(
        Article.objects.order_by("source_id").values_list(
            "source_id", "slug", "headline", "standfirst", "body", "lead", "modified_at", "updated_at"
        )
    )


# workers=2: lines parsed and cleaned in two other processes, with the same answers.
@pytest.mark.parametrize("workers", [0, 2])
def test_a_second_run_of_the_same_file_changes_nothing(newsroom: None, tmp_path: Path, workers: int) -> None:
    path = write(tmp_path / "a.jsonl", [story_line(n) for n in range(1, 31)])
    first = archive_import(path=path, batch_size=7, workers=workers)
    assert (first.created, first.updated, first.unchanged, first.errors) == (30, 0, 0, [])
    before = snapshot()
    bylines = sorted(Article.authors.through.objects.values_list("article_id", "author_id"))
    second = archive_import(path=path, batch_size=7, workers=workers)
    assert (second.created, second.updated, second.unchanged, second.ids) == (0, 0, 30, [])
    assert snapshot() == before
    assert sorted(Article.authors.through.objects.values_list("article_id", "author_id")) == bylines
    assert Author.objects.count() == 2


def test_a_changed_line_updates_its_story_and_keeps_its_address(newsroom: None, tmp_path: Path) -> None:
    lines = [story_line(n) for n in range(1, 6)]
    archive_import(path=write(tmp_path / "a.jsonl", lines))
    old = Article.objects.get(source_id="bd-000003")
    lines[2] = story_line(3, headline="Port trust delays berth three", authors=["Meera Iyer"], access="premium")
    report = archive_import(path=write(tmp_path / "a.jsonl", lines))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    story = Article.objects.get(source_id="bd-000003")
    assert report.ids == [story.pk] and story.pk == old.pk
    assert (story.headline, story.access, story.slug) == ("Port trust delays berth three", "premium", old.slug)
    assert [a.name for a in story.authors.all()] == ["Meera Iyer"]
    assert story.updated_at is not None
    assert Article.objects.count() == 5


@pytest.mark.parametrize("workers", [0, 2])
def test_bad_lines_are_reported_by_number_and_the_good_ones_are_all_kept(
    newsroom: None, tmp_path: Path, workers: int
) -> None:
    lines: list[Any] = [
        story_line(1),
        "{not json",
        story_line(2, headline=""),
        story_line(3, published_at="last Tuesday"),
        story_line(4, access="secret"),
        "",  # a blank line is not an error
        story_line(5, section="obituaries"),
        story_line(6, authors=[], agency=None),
        story_line(7, published_at="2999-01-01T00:00:00+00:00"),
        story_line(1, headline="The same source id again"),
        story_line(8, agency="XYZ", authors=[]),
        "[1, 2]",
        story_line(9, body="<script>alert(1)</script>"),
        story_line(10),
    ]
    report = archive_import(path=write(tmp_path / "a.jsonl", lines), workers=workers)
    reasons = {e.line: e.reason for e in report.errors}
    assert sorted(reasons) == [2, 3, 4, 5, 7, 8, 9, 10, 11, 12, 13]
    assert reasons[2].startswith("not valid JSON")
    assert reasons[3] == "headline is missing"
    assert "not an ISO 8601 time" in reasons[4]
    assert "access must be one of free, metered, premium" in reasons[5]
    assert "no section 'obituaries'" in reasons[7]
    assert reasons[8] == "a story needs authors or an agency"
    assert "in the future" in reasons[9]
    assert reasons[10] == "source_id 'bd-000001' is already on line 1"
    assert "no agency coded 'XYZ'" in reasons[11]
    assert reasons[12] == "a line must be a JSON object, not list"
    assert reasons[13] == "body has no text once cleaned"
    kept = Article.objects.get(source_id="bd-000001")
    assert kept.headline == "Port trust clears berth number 1"  # the later duplicate did not win
    assert set(Article.objects.values_list("source_id", flat=True)) == {"bd-000001", "bd-000010"}
    assert report.summary() == "14 lines: 2 stories added, 0 updated, 0 unchanged, 11 refused"


def test_bodies_are_sanitised_as_any_story_is(newsroom: None, tmp_path: Path) -> None:
    hostile = (
        '<p onclick="steal()">Lead <a href="javascript:alert(1)">here</a>.</p>'
        "<script>document.cookie</script><p>Rest <img src=x onerror=alert(1)>.</p>"
    )
    plain = "First paragraph of plain text & more.\n\nSecond paragraph."
    archive_import(
        path=write(tmp_path / "a.jsonl", [story_line(1, body=hostile), story_line(2, body=plain, agency="pti")])
    )
    body = Article.objects.get(source_id="bd-000001").body
    for bad in ("onclick", "javascript:", "<script", "onerror", "document.cookie"):
        assert bad not in body
    story = Article.objects.get(source_id="bd-000002")
    assert story.body == "<p>First paragraph of plain text &amp; more.</p>\n<p>Second paragraph.</p>"
    assert story.lead == "<p>First paragraph of plain text &amp; more.</p>"
    assert story.agency is not None and story.agency.code == "PTI"


def test_a_time_without_an_offset_is_read_on_the_publications_clock(newsroom: None, tmp_path: Path) -> None:
    archive_import(path=write(tmp_path / "a.jsonl", [story_line(1, published_at="1997-08-14T07:30:00")]))
    published = Article.objects.get().published_at
    assert published is not None and published.isoformat() == "1997-08-14T02:00:00+00:00"  # 07:30 in Kolkata


def test_create_missing_makes_hidden_sections_and_agencies(newsroom: None, tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [story_line(1, section="Sci-Tech", agency="UNI", authors=[])])
    assert archive_import(path=path).errors
    report = archive_import(path=path, create_missing=True)
    assert report.created == 1 and not report.errors
    section = Section.objects.get(slug="sci-tech")
    assert (section.name, section.show_in_nav) == ("Sci-Tech", False)
    assert Agency.objects.filter(code="UNI").exists()


def test_the_command_shows_progress_a_summary_and_every_refused_line(newsroom: None, tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", [story_line(n) for n in range(1, 26)] + ["oops"])
    out, err, code = run(path, "--batch", "10")
    assert code == 1
    assert out.count("[##############################] 100%") == 1
    assert "26 lines: 25 stories added, 0 updated, 0 unchanged, 1 refused." in out
    assert "line 26: not valid JSON" in err
    assert (tmp_path / "a.jsonl.errors.txt").read_text().startswith("line 26: not valid JSON")
    out, err, code = run(write(path, [story_line(n) for n in range(1, 26)]))
    assert code == 0 and "0 stories added, 0 updated, 25 unchanged, 0 refused." in out and not err
    assert run(tmp_path / "missing.jsonl")[2] == 1


@pytest.mark.django_db(transaction=True)
def test_batches_written_on_two_connections_at_once_give_the_same_result(newsroom: None, tmp_path: Path) -> None:
    # Outside a transaction PostgreSQL writes two batches at once, on connections of their own.
    lines: list[Any] = [story_line(n) for n in range(1, 41)]
    lines[9] = "{not json"
    lines[20] = story_line(5, headline="The same source id again")
    path = write(tmp_path / "a.jsonl", lines)
    first = archive_import(path=path, batch_size=3, workers=2, writers=2)
    assert (first.created, first.updated, first.unchanged) == (38, 0, 0)
    assert [e.line for e in first.errors] == [10, 21]
    assert sorted(first.ids) == sorted(Article.objects.values_list("pk", flat=True))
    assert Article.authors.through.objects.count() == 2 * 38
    lines[30] = story_line(31, headline="Port trust renames berth 31")
    second = archive_import(path=write(tmp_path / "a.jsonl", lines), batch_size=3, workers=2, writers=2)
    assert (second.created, second.updated, second.unchanged) == (0, 1, 37)
    assert Article.objects.get(source_id="bd-000031").headline == "Port trust renames berth 31"


def test_imported_stories_are_found_by_search_with_their_bylines_at_once(newsroom: None, tmp_path: Path) -> None:
    # On PostgreSQL the new stories go in by COPY: its insert trigger must index them as an INSERT does.
    archive_import(path=write(tmp_path / "a.jsonl", [story_line(n) for n in range(1, 6)]), batch_size=2)
    editor = ReaderFacts(is_staff=True, is_registered=True, benefits=frozenset())
    page = search_run(query=parse("tokR3q"), reader=editor, now=timezone.now())
    assert [r.article.source_id for r in page.results] == ["bd-000003"]
    story = Article.objects.get(source_id="bd-000003")
    assert sorted(story.authors.values_list("name", flat=True)) == ["Asha Rao", "Vikram Sen"]
    assert story.created_at is not None and story.lead.startswith("<p>Lead of story 3")
