"""The API: one NinjaAPI under /api/, every app's `api.router` mounted at /api/v1/.

Each installed app may ship an `api` module with a `router` (a ninja Router whose
paths are relative to /api/v1/). They are found here, in INSTALLED_APPS order, the
way the admin finds `admin` modules: an app adds its endpoints without touching
anything else. The OpenAPI 3.1 document is at /api/openapi.json, the docs at /api/docs.
"""

from __future__ import annotations

import logging
from importlib import import_module
from typing import Any

from django.apps import apps
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.module_loading import module_has_submodule
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError

from broadsheet.api import limits
from broadsheet.api.problems import CODES, MEDIA_TYPE, Problem, problem_response

log = logging.getLogger(__name__)

VERSION_PREFIX = "/v1"
DESCRIPTION = """The reader API of Broadsheet: sections, fronts, stories behind the same paywall
as the web, and the reader's own account. Sign in with `POST /api/v1/auth/token` and send
`Authorization: Bearer <token>`. Errors are problem details (RFC 9457) with a stable `code`.
See docs/api.md for the meter, pagination, rate limits and idempotency."""


class BroadsheetAPI(NinjaAPI):
    def get_openapi_schema(self, *args: Any, **kwargs: Any) -> Any:
        """Ninja documents every response as application/json; problems are problem+json."""
        schema = super().get_openapi_schema(*args, **kwargs)
        for operations in schema.get("paths", {}).values():
            for operation in operations.values():
                for status, response in operation.get("responses", {}).items():
                    if str(status).isdigit() and int(status) >= 400 and "content" in response:
                        response["content"] = {MEDIA_TYPE: next(iter(response["content"].values()))}
                    if str(status) == "429":
                        response["headers"] = {
                            "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
                        }
        return schema


def app_routers() -> list[tuple[str, Router]]:
    """(app label, router) for every installed app with an `api` module defining `router`."""
    found = []
    for config in apps.get_app_configs():
        ours = config.name.startswith("broadsheet.") and config.name != "broadsheet.api"
        if ours and module_has_submodule(config.module, "api"):
            router = getattr(import_module(f"{config.name}.api"), "router", None)
            if isinstance(router, Router):
                found.append((config.label, router))
    return found


def _on_problem(request: HttpRequest, exc: Problem) -> HttpResponse:
    return problem_response(request, exc)


def _on_validation(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = [
        {"where": ".".join(str(p) for p in e.get("loc", ())), "message": str(e.get("msg", ""))} for e in exc.errors
    ]
    return problem_response(request, Problem("invalid_request", errors=errors))


def _on_auth(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, Problem("not_signed_in"))


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    by_status = {status: code for code, (status, _) in reversed(CODES.items())}
    return problem_response(request, Problem(by_status.get(exc.status_code, "bad_request"), str(exc)))


def _on_404(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem_response(request, Problem("not_found"))


def _on_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path)
    return problem_response(request, Problem("internal_error"))


def build() -> BroadsheetAPI:
    api = BroadsheetAPI(
        title="Broadsheet reader API",
        version="1",
        description=DESCRIPTION,
        openapi_url="/openapi.json",
        docs_url="/docs",
        urls_namespace="api",
    )
    handlers: list[tuple[type[Exception], Any]] = [
        (Problem, _on_problem),
        (ValidationError, _on_validation),
        (AuthenticationError, _on_auth),
        (HttpError, _on_http_error),
        (Http404, _on_404),
        (Exception, _on_error),
    ]
    for exc_class, handler in handlers:
        api.add_exception_handler(exc_class, handler)
    api.add_decorator(limits.api_request, mode="view")
    for _label, router in app_routers():
        api.add_router(VERSION_PREFIX, router)
    return api
