"""Bench data for one backend: run as `python -m bench.seed <count>` with the server's environment.

Migrates the (fresh) database, then creates the publication, the plans, `count`
metered articles, one premium article and one subscriber with a logged-in
session. Prints one JSON object on the last line of stdout for bench/run.py.
"""

from __future__ import annotations

import json
import os
import sys
from datetime import timedelta

API_READERS = 24  # metered API readers: one per wrk thread and lap (see bench/wrk.py)
WORDS = (
    "The council met on Tuesday to weigh the budget for the coming year, and members argued "
    "over the cost of repairing roads against the promise of new buses for the suburbs. "
)


def body_for(n: int, paragraphs: int) -> tuple[str, str]:
    """A body of `paragraphs` paragraphs (~4 KB) and the token of its last paragraph."""
    parts = []
    for i in range(paragraphs):
        token = f"bench{n}p{i}qz"
        parts.append(f"<p>Paragraph {i} of story {n}: {WORDS * 2}It says {token}.</p>")
    return "\n".join(parts), f"bench{n}p{paragraphs - 1}qz"


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    paragraphs = 8
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "broadsheet.settings")
    import django

    django.setup()

    from django.conf import settings
    from django.core.management import call_command
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from broadsheet.newsroom.html import sanitise_body, split_lead
    from broadsheet.newsroom.models import Article, Publication
    from tests import factories

    call_command("migrate", interactive=False, verbosity=0)

    Publication.objects.create(
        name="The Bench Gazette", anonymous_free_limit=1_000_000, registered_free_limit=1_000_000
    )
    factories.demo_plans()
    # A front page's navigation: eight sections, articles spread over them.
    sections = [
        factories.section(slug)
        for slug in ("news", "india", "world", "business", "sport", "opinion", "science", "culture")
    ]
    byline = factories.author("Asha Rao")
    now = timezone.now()

    def article(n: int, access: str) -> tuple[Article, str]:
        raw, last = body_for(n, paragraphs)
        body = sanitise_body(raw)
        art = Article(
            headline=f"Bench story number {n}",
            slug=f"bench-story-{n}",
            standfirst=f"The summary of bench story {n}.",
            body=body,
            lead=split_lead(body),
            section=sections[n % len(sections)],
            access=access,
            status=Article.Status.PUBLISHED,
            published_at=now - timedelta(minutes=n + 5),
        )
        return art, last

    made = [article(n, Article.Access.METERED) for n in range(1, count + 1)]
    premium, premium_last = article(count + 1, Article.Access.PREMIUM)
    made.append((premium, premium_last))
    free, free_last = article(count + 2, Article.Access.FREE)  # open to everyone, counted by no meter
    created = Article.objects.bulk_create([a for a, _ in made] + [free], batch_size=500)
    through = Article.authors.through
    through.objects.bulk_create([through(article_id=a.pk, author_id=byline.pk) for a in created], batch_size=500)

    user = factories.subscriber("subscriber@bench.example")
    # Sign in the way a browser does (allauth's login form: the adapter registers the device);
    # fall back to a programmatic session if the form flow does not sign in.
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": factories.PASSWORD})
    login = "login form"
    if response.status_code != 302 or settings.SESSION_COOKIE_NAME not in client.cookies:
        client = Client()
        client.force_login(user)
        login = f"force_login (login form answered {response.status_code})"
    session_id = client.cookies[settings.SESSION_COOKIE_NAME].value

    metered = [a.get_absolute_url() for a, _ in made[:-1]]
    # The API's readers: device tokens, as an app holds them after signing in.
    from broadsheet.readers.app_tokens import token_issue

    app_ua = "BroadsheetReader/1.0 (bench)"
    subscriber_token = token_issue(user_id=user.pk, user_agent=app_ua, ip="127.0.0.1")[0]
    reader_tokens = [
        token_issue(user_id=factories.reader(f"reader{i}@bench.example").pk, user_agent=app_ua, ip="127.0.0.1")[0]
        for i in range(API_READERS)
    ]
    print(
        json.dumps(
            {
                "metered_paths": metered,
                "metered_probe_last": made[0][1],
                "premium_path": premium.get_absolute_url(),
                "free_path": free.get_absolute_url(),
                "free_last": free_last,
                "api_metered_paths": [f"/api/v1/articles/{a.pk}" for a, _ in made[:-1]],
                "api_premium_path": f"/api/v1/articles/{premium.pk}",
                "subscriber_token": subscriber_token,
                "reader_tokens": reader_tokens,
                "premium_last": premium_last,
                "premium_lead": f"bench{count + 1}p0qz",
                "premium_locked": [f"bench{count + 1}p{i}qz" for i in range(1, paragraphs)],
                "last_paragraph_marker": f"p{paragraphs - 1}qz.",
                "session_cookie": f"{settings.SESSION_COOKIE_NAME}={session_id}",
                "login": login,
                "database": settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1],
                "meter_store": settings.BROADSHEET_METER_STORE.rsplit(".", 1)[-1],
                "session_engine": settings.SESSION_ENGINE.rsplit(".", 1)[-1],
                "cache": settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1],
            }
        )
    )


if __name__ == "__main__":
    main()
