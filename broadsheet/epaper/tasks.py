"""Background work of the e-paper: rendering an uploaded printing (run by `broadsheet worker`)."""

from __future__ import annotations

from django.tasks import task

from broadsheet.epaper.rendering import printing_render


@task()
def printing_render_task(*, printing_id: int) -> str:
    """Render every page of one printing and put it live; safe to run twice."""
    return printing_render(printing_id=printing_id).line()
