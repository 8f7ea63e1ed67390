"""Schemathesis against /api/openapi.json, in process (Django's WSGI app, the test database).

Every operation gets a bounded number of generated requests, with a fresh device token
of a reader with a plan; no response may be a 5xx, and each must match the document:
status code, content type, headers and body schema. A small, stateful-in-spirit world is
seeded first so that ids and slugs can hit real rows.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from broadsheet.api.urls import api
from broadsheet.newsroom.models import Article
from tests import factories as f
from tests.api.helpers import APP_UA, token_for
from tests.epaper import builders as b
from tests.epaper.conftest import epaper_storage  # noqa: F401 - each test its own e-paper storage
from tests.newsletters import builders as nb
from tests.pictures.builders import picture
from tests.pictures.conftest import media_dirs  # noqa: F401 - each test its own media folder

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
EXAMPLES = 25  # per operation: about 14 operations, a few seconds each


# The document the app serves at /api/openapi.json (a test below checks they are one), loaded
# at import: it needs no database. Requests go to Django's WSGI app in this process.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())
schema.app = get_wsgi_application()


@pytest.fixture
def in_process(db: None, settings: Any) -> Iterator[None]:
    """Like Django's test client: the WSGI handler must not close the test's database
    connection at the end of each request. No rate limits while generating."""
    settings.BROADSHEET_API_RATE_PER_ADDRESS = 0
    settings.BROADSHEET_API_RATE_PER_TOKEN = 0
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


@pytest.mark.django_db
def test_the_served_document_is_openapi_3_1_with_problem_details(client: Any) -> None:
    served = client.get("/api/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
    assert served["openapi"].startswith("3.1")
    errors = served["paths"]["/api/v1/me"]["get"]["responses"]["401"]["content"]
    assert list(errors) == ["application/problem+json"]
    assert client.get("/api/docs").status_code == 200


@pytest.fixture
def world(db: None) -> dict[str, Any]:
    f.publication()
    f.demo_plans()
    stories = [f.story(), f.story(access=Article.Access.PREMIUM), f.story(access=Article.Access.FREE)]
    return {"stories": stories, "reader": f.subscriber()}


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.filter_too_much],
)
def test_every_operation_answers_as_documented(case: Any, world: dict[str, Any], in_process: None) -> None:
    # Schemathesis' in-process WSGI transport does not undo gzip, which the site applies to every
    # text answer a client accepts it for (tests/site/test_compression.py): ask for plain bytes.
    headers = {
        "Authorization": f"Bearer {token_for(world['reader'])}",
        "User-Agent": APP_UA,
        "Accept-Encoding": "identity",
    }
    case.call_and_validate(headers=headers, checks=CHECKS)


@pytest.fixture
def real_rows(db: None) -> dict[str, Any]:
    """An edition, a newsletter and a pictured story: what generated ids and dates rarely hit."""
    f.publication()
    f.demo_plans()
    story = f.story()
    Article.objects.filter(pk=story.article.pk).update(lead_picture=picture("schema"))
    edition, _ = b.published(2)
    return {
        "edition": {"day": edition.date.isoformat(), "slug": edition.slug},
        "newsletter": nb.newsletter("registered").slug,
        "with e-paper": b.epaper_subscriber(),
        "without": f.reader(),
    }


REAL_CALLS = [
    ("/api/v1/epaper/editions", "GET", "none"),
    ("/api/v1/epaper/editions/{day}/{slug}", "GET", "edition"),
    ("/api/v1/epaper/editions/{day}/{slug}/pages/{number}", "GET", "page"),
    ("/api/v1/epaper/editions/{day}/{slug}/download", "GET", "edition"),
    ("/api/v1/newsletters", "GET", "none"),
    ("/api/v1/me/newsletters", "GET", "none"),
    ("/api/v1/me/newsletters/{slug}", "PUT", "newsletter"),
    ("/api/v1/me/newsletters/{slug}", "DELETE", "newsletter"),
    ("/api/v1/front", "GET", "none"),
]


@pytest.mark.parametrize("who", ["with e-paper", "without"])
def test_real_rows_answer_as_documented(real_rows: dict[str, Any], in_process: None, who: str) -> None:
    """The e-paper, newsletter and pictured-card answers on rows that exist, open and locked."""
    headers = {
        "Authorization": f"Bearer {token_for(real_rows[who])}",
        "User-Agent": APP_UA,
        "Accept-Encoding": "identity",  # plain bytes, as in the test above
    }
    statuses = []
    for path, method, params in REAL_CALLS:
        values: dict[str, Any] = {}
        if params in ("edition", "page"):
            values = dict(real_rows["edition"], **({"number": 2} if params == "page" else {}))
        elif params == "newsletter":
            values = {"slug": real_rows["newsletter"]}
        case = schema[path][method].Case(path_parameters=values)
        statuses.append(case.call_and_validate(headers=headers, checks=CHECKS).status_code)
    if who == "with e-paper":
        assert statuses == [200, 200, 200, 200, 200, 200, 200, 204, 200]
    else:
        assert statuses == [200, 200, 403, 403, 200, 200, 200, 204, 200]
