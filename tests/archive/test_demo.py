"""The demo archive: thousands of generated briefs from 1997 to three weeks ago, seeded in seconds,
through the same bulk writer as the import, and left alone by a second run."""

from __future__ import annotations

import time
from collections import Counter
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from broadsheet.archive.demo import SOURCE_PREFIX, demo_stories
from broadsheet.newsroom.models import Article

pytestmark = pytest.mark.django_db


def test_the_demo_archive_spans_the_years_reads_varied_and_seeds_once(client: Client) -> None:
    call_command("seed_demo", "--no-pictures", verbosity=0)
    began = time.monotonic()
    out = StringIO()
    call_command("archive_demo", stdout=out)
    seconds = time.monotonic() - began
    stories = Article.objects.filter(source_id__startswith=SOURCE_PREFIX)
    count = stories.count()
    assert count > 5000 and f"Demo archive: {count:,} stories from" in out.getvalue()
    assert seconds < 60, seconds  # a few seconds on an idle machine; generous for a loaded one
    years = {d.year for d in stories.values_list("published_at", flat=True)}
    assert years == set(range(1997, timezone.now().year + 1))
    newest = stories.order_by("-published_at").first()
    assert newest is not None and newest.published_at is not None
    assert newest.published_at < timezone.now() - timedelta(days=20)  # the last weeks are the desk's own
    assert len(set(stories.values_list("section__slug", flat=True))) >= 7
    assert set(stories.exclude(agency=None).values_list("agency__code", flat=True)) == {"CPS", "MWA"}
    assert Counter(stories.values_list("access", flat=True)).keys() == {"free", "metered", "premium"}
    headlines = list(stories.values_list("headline", flat=True))
    assert len(set(headlines)) > count * 2 // 5
    for text in (*headlines[:500], *stories.values_list("body", flat=True)[:500]):
        assert "{" not in text and "}" not in text  # every slot filled
    again = StringIO()
    call_command("archive_demo", stdout=again)
    assert (
        "already there" in again.getvalue()
        and Article.objects.filter(source_id__startswith=SOURCE_PREFIX).count() == count
    )
    assert client.get("/archive/1997/").status_code == 200


def test_the_generator_is_deterministic() -> None:
    now = timezone.now()
    first = [s.digest for s in demo_stories(now=now)][:300]
    assert first == [s.digest for s in demo_stories(now=now)][:300]
