"""A pass killed half-way and run again ends as one clean run would."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest

from broadsheet.newsroom.models import Article
from broadsheet.wire import services
from broadsheet.wire.models import IngestRun, WireFile, WireItem, WireStory
from tests.wire.conftest import Desk
from tests.wire.test_ingest import EXPECTED

FILES = ["newsml/pns-message.xml", "ninjs2/pns-batch.json", "rss/pns-feed.xml", "hostile/mixed-lines.jsonl"]


def state() -> tuple[Any, ...]:
    return (
        sorted(
            Article.objects.values_list(
                "slug", "headline", "body", "status", "section__slug", "access", "withdrawal_notice"
            )
        ),
        sorted(WireStory.objects.values_list("guid", "version", "content_hash", "killed", "article__slug")),
        sorted(WireItem.objects.values_list("file__name", "position", "guid", "version", "state", "reason")),
        sorted(WireFile.objects.values_list("name", "state")),
    )


def wipe() -> None:
    WireItem.objects.all().delete()
    WireStory.objects.all().delete()
    WireFile.objects.all().delete()
    IngestRun.objects.all().delete()
    Article.objects.all().delete()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("crash_after", [1, 4, 7, 12])
def test_ingest_killed_half_way_and_run_again_equals_one_clean_run(
    desk: Desk, settings: Any, monkeypatch: pytest.MonkeyPatch, crash_after: int
) -> None:
    settings.BROADSHEET_WIRE_CHUNK = 3
    desk.drop(*FILES)
    desk.ingest()
    clean = state()
    assert Counter(s for *_, s, _ in clean[2]) == Counter(s for f in FILES for s in EXPECTED[f])
    wipe()

    real = services._carry_out
    calls = {"n": 0}

    def crashing(*args: Any, **kwargs: Any) -> Any:
        calls["n"] += 1
        if calls["n"] > crash_after:
            raise KeyboardInterrupt("the operator pressed Ctrl-C")
        return real(*args, **kwargs)

    monkeypatch.setattr(services, "_carry_out", crashing)
    with pytest.raises(KeyboardInterrupt):
        desk.ingest()
    assert WireFile.objects.filter(state="processing").exists()
    monkeypatch.setattr(services, "_carry_out", real)
    desk.ingest()
    assert state() == clean
