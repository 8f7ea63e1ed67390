"""The automatic digest: the day's top stories in a list's sections."""

from __future__ import annotations

from datetime import datetime, timedelta

from broadsheet.newsletters.models import NewsletterList
from broadsheet.newsroom.models import Article

WINDOW = timedelta(hours=24)


def digest_candidates(*, newsletter: NewsletterList, at: datetime, limit: int | None = None) -> list[Article]:
    """Live stories of the last 24 hours in the list's sections (every section when it names none).

    Editors' top stories come first, then the newest; a quiet day reaches back
    another day rather than send a thin digest.
    """
    size = limit or newsletter.digest_size
    sections = list(newsletter.sections.values_list("pk", flat=True))
    stories = Article.objects.live(at).defer("body").select_related("section")
    if sections:
        stories = stories.filter(section_id__in=sections)
    for window in (WINDOW, WINDOW * 2, WINDOW * 7):
        picked = list(stories.filter(published_at__gte=at - window).order_by("-is_top_story", "-published_at")[:size])
        if len(picked) >= size:
            return picked
    return picked
