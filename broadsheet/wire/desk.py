"""The wire editor's writes: publish a queued story, correct and retry a quarantined item."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from broadsheet.core import clock
from broadsheet.newsroom.models import Article
from broadsheet.readers.models import User
from broadsheet.wire import conf
from broadsheet.wire.context import Context
from broadsheet.wire.decide import Outcome
from broadsheet.wire.models import WireFile, WireItem
from broadsheet.wire.parsing import parse_bytes
from broadsheet.wire.services import Tally, entry_apply


class DeskError(ValueError):
    """The desk asked for something the item's state does not allow; the message says why."""


def item_publish(*, item_id: int, actor: User | None, access: str | None = None) -> Article:
    """Publish a queued story (at its embargo time if that is still ahead), optionally setting its access."""
    if access is not None and access not in Article.Access.values:
        raise DeskError(f"{access!r} is not an access level")
    now = clock.now()
    with transaction.atomic():
        item = WireItem.objects.select_for_update(of=("self",)).select_related("story__article").get(pk=item_id)
        article = item.story.article if item.story else None
        if item.state != Outcome.QUEUED or article is None:
            raise DeskError(f"item {item_id} is {item.state}, not queued")
        if article.status == Article.Status.WITHDRAWN:
            raise DeskError("the agency has withdrawn this story")
        if access is not None:
            article.access = access
        if article.published_at is not None and article.published_at > now:
            article.status = Article.Status.SCHEDULED  # the embargo holds
        else:
            article.status, article.published_at = Article.Status.PUBLISHED, now
        article.save()
        who = actor.email if actor else "the desk"
        WireItem.objects.filter(story=item.story, state=Outcome.QUEUED).update(
            state=Outcome.PUBLISHED, handled_by=actor, handled_at=now, reason=f"published by {who}"
        )
    return article


def item_fix(*, item_id: int, raw: bytes, actor: User | None) -> None:
    """Store the desk's corrected copy of a quarantined item; the original bytes are kept as they came."""
    updated = WireItem.objects.filter(pk=item_id, state=Outcome.QUARANTINED).update(
        fixed_raw=raw, handled_by=actor, handled_at=clock.now()
    )
    if not updated:
        raise DeskError(f"item {item_id} is not quarantined")


def _bytes_for_retry(item: WireItem) -> bytes:
    if item.fixed_raw:
        return bytes(item.fixed_raw)
    if item.raw:
        return bytes(item.raw)
    if item.raw_path:
        path = Path(item.raw_path)
        if path.stat().st_size > conf.max_file_bytes():
            raise DeskError(f"still {path.stat().st_size:,} bytes, over the limit of {conf.max_file_bytes():,}")
        return path.read_bytes()
    raise DeskError("nothing kept to retry")


def item_retry(*, item_id: int, actor: User | None) -> Tally:
    """Run a quarantined item (or file) through ingest again, with today's rules and any correction.

    The item's row takes the new outcome; a retried file's further items get rows of their own.
    """
    tally = Tally()
    with transaction.atomic():
        item = WireItem.objects.select_for_update(of=("self",)).select_related("source__agency", "file").get(pk=item_id)
        if item.state != Outcome.QUARANTINED:
            raise DeskError(f"item {item_id} is {item.state}, not quarantined")
        who = actor.email if actor else "the desk"
        try:
            data = _bytes_for_retry(item)
        except (DeskError, OSError) as exc:
            item.reason = f"retry by {who} failed: {exc}"
            item.save(update_fields=["reason"])
            tally.items[Outcome.QUARANTINED] += 1
            return tally
        parsed = parse_bytes(data, max_item_bytes=conf.max_item_bytes())
        if not parsed.ok or not parsed.entries:
            item.reason = f"retry by {who}: {parsed.error or 'no items in it'}"
            item.save(update_fields=["reason"])
            tally.items[Outcome.QUARANTINED] += 1
            return tally
        ctx = Context.for_source(item.source)
        ctx.load(parsed.entries)
        for number, entry in enumerate(parsed.entries):
            target = item if number == 0 else None
            result = entry_apply(ctx, entry=entry, wire_file=item.file, position=None, item=target)
            tally.items[result.state] += 1
        ctx.flush()
        WireItem.objects.filter(pk=item.pk).update(handled_by=actor, handled_at=clock.now())
        if item.file_id:
            WireFile.objects.filter(pk=item.file_id, state=WireFile.State.QUARANTINED).update(
                state=WireFile.State.DONE, reason=f"retried by {who}"
            )
    return tally
