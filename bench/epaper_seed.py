"""E-paper bench data: run as `python -m bench.epaper_seed PAGES` with the server's environment.

Migrates, creates the publication, the demo plans (with the e-paper) and a signed-in
subscriber, lays out a PAGES-page edition from the demo stories, uploads it and
renders it through the same code the worker runs, timing each stage. Prints one
JSON object on the last line.
"""

from __future__ import annotations

import io
import json
import os
import resource
import sys
import time
from datetime import datetime


def edition_pdf(pages: int, day: object) -> bytes:
    from broadsheet.demo import publication, stories
    from broadsheet.epaper import layout

    now = datetime.now(publication.IST)
    published = [s for s in stories.STORIES if s.status == stories.PUBLISHED]
    printed = [
        layout.PrintStory(s.headline, s.standfirst, "By Our Reporter", tuple(stories.paragraphs_for(s, now)))
        for s in published
    ]
    plans = tuple(
        layout.PagePlan(
            section="Front page" if n == 0 else "News",
            stories=tuple(printed[(n * 5 + i) % len(printed)] for i in range(5)),
            code=f"benchpage{n + 1}qz",
        )
        for n in range(pages)
    )
    return layout.edition_pdf(
        layout.EditionPlan("The Bench Gazette", "Read closely.", "Mumbai", day, plans)  # type: ignore[arg-type]
    )


def _cpu_seconds() -> float:
    """CPU time of this process and its finished children (the page renderer): steady under a busy machine."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def main() -> None:
    pages = int(sys.argv[1]) if len(sys.argv) > 1 else 24
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from broadsheet.billing.models import Benefit, Plan
    from broadsheet.epaper import pdf, selectors
    from broadsheet.epaper.rendering import printing_render, spec
    from broadsheet.epaper.uploads import Upload, edition_upload
    from broadsheet.newsroom.models import Publication
    from tests import factories

    call_command("migrate", interactive=False, verbosity=0)
    Publication.objects.create(name="The Bench Gazette")
    factories.demo_plans()
    epaper, _ = Benefit.objects.get_or_create(code="epaper", defaults={"name": "E-paper"})
    for plan in Plan.objects.all():
        plan.benefits.add(epaper)
    user = factories.subscriber("subscriber@bench.example")
    client = Client()
    client.post(reverse("account_login"), {"login": user.email, "password": factories.PASSWORD})
    if settings.SESSION_COOKIE_NAME not in client.cookies:
        client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    day = selectors.today()
    started = time.perf_counter()
    data = edition_pdf(pages, day)
    layout_s = time.perf_counter() - started

    # pdfium and Pillow alone (no storage, no database): the floor under the whole pipeline.
    started = time.perf_counter()
    rendered = list(pdf.render_document(io.BytesIO(data), spec()))
    pure_s = time.perf_counter() - started

    started = time.perf_counter()
    printing = edition_upload(
        upload=Upload(stream=io.BytesIO(data), size_bytes=len(data), name="bench.pdf"),
        day=day,
        name="Mumbai",
        replace=True,
        actor_id=None,
        at=timezone.now(),
        today=day,
        enqueue=False,
    )
    upload_s = time.perf_counter() - started
    cpu_before = _cpu_seconds()
    summary = printing_render(printing_id=printing.pk)
    render_cpu_s = _cpu_seconds() - cpu_before
    printing.refresh_from_db()
    print(
        json.dumps(
            {
                "pages": summary.pages,
                "broken": summary.broken,
                "pdf_bytes": len(data),
                "layout_s": layout_s,
                "pure_render_s": pure_s,
                "upload_check_store_s": upload_s,
                "render_s": summary.seconds,
                "render_cpu_s": render_cpu_s,
                "image_bytes": sum(len(r.image) for r in rendered),
                "thumb_bytes": sum(len(r.thumb) for r in rendered),
                "front_image_bytes": len(rendered[0].image),
                "reading_size": f"{rendered[0].width}x{rendered[0].height}",
                "path": f"/epaper/{day.isoformat()}/mumbai/1/",
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session}",
                "state": printing.state,
            }
        )
    )


if __name__ == "__main__":
    main()
