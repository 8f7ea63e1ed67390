"""The reading app's own files: the page, its manifest, its service worker and icons.

Everything the app shows comes from the API; these are the same for every reader
(no reader data in them), so the service worker may keep them for offline use.
"""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.templatetags.static import static
from django.views.decorators.http import require_safe

from broadsheet.newsroom.selectors import publication_get
from broadsheet.pwa.icons import ACCENT, PAPER, icon_png

STATIC = Path(__file__).resolve().parent.parent / "static" / "pwa"
ASSETS = ("pwa/app.js", "pwa/app.css")
ICON_SIZES = (192, 512)


@lru_cache(maxsize=1)
def version() -> str:
    """Changes whenever the app's code does, so installed apps fetch the new shell."""
    digest = hashlib.sha256()
    for name in ("app.js", "app.css"):
        digest.update((STATIC / name).read_bytes())
    digest.update((Path(__file__).resolve().parent.parent / "templates" / "pwa" / "shell.html").read_bytes())
    return digest.hexdigest()[:12]


def shell_files() -> list[str]:
    return [
        "/app/",
        "/app/manifest.webmanifest",
        *[static(a) for a in ASSETS],
        *[f"/app/icon-{s}.png" for s in ICON_SIZES],
    ]


@require_safe
def shell(request: HttpRequest) -> HttpResponse:
    return render(request, "pwa/shell.html", {"version": version(), "assets": [static(a) for a in ASSETS]})


def short_name(name: str) -> str:
    """What fits under an icon: "The Broadsheet Daily" → "Broadsheet" (whole words, at most 12 letters)."""
    words, kept = name.removeprefix("The ").split(), ""
    for word in words:
        if len(f"{kept} {word}".strip()) > 12:
            break
        kept = f"{kept} {word}".strip()
    return kept or name[:12]


@require_safe
def manifest(request: HttpRequest) -> HttpResponse:
    name = publication_get().name
    data = {
        "id": "/app/",
        "name": name,
        "short_name": short_name(name),
        "description": f"Read {name} on every device: the front, the sections, and stories saved for offline reading.",
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "any",
        "background_color": "#{:02x}{:02x}{:02x}".format(*PAPER),
        "theme_color": "#{:02x}{:02x}{:02x}".format(*ACCENT),
        "icons": [
            *[
                {"src": f"/app/icon-{s}.png", "sizes": f"{s}x{s}", "type": "image/png", "purpose": "any"}
                for s in ICON_SIZES
            ],
            {"src": "/app/icon-maskable-512.png", "sizes": "512x512", "type": "image/png", "purpose": "maskable"},
        ],
    }
    return HttpResponse(json.dumps(data, ensure_ascii=False), content_type="application/manifest+json")


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    body = render_to_string("pwa/sw.js", {"version": version(), "files": json.dumps(shell_files())})
    response = HttpResponse(body, content_type="text/javascript")
    response["Cache-Control"] = "no-cache"  # browsers check it on every start; the shell is versioned
    response["Service-Worker-Allowed"] = "/app/"
    return response


@require_safe
def icon(request: HttpRequest, size: int, maskable: bool = False) -> HttpResponse:
    if size not in ICON_SIZES:
        raise Http404
    response = HttpResponse(icon_png(size, maskable=maskable), content_type="image/png")
    response["Cache-Control"] = "public, max-age=86400"
    return response
