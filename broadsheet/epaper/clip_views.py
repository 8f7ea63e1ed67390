"""Clippings: made by an entitled reader from the viewer, shown to anyone at their own address."""

from __future__ import annotations

from datetime import date

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from broadsheet.core import clock
from broadsheet.epaper import conf, rules, selectors
from broadsheet.epaper.access import epaper_access, epaper_offer
from broadsheet.epaper.clippings import clipping_create
from broadsheet.epaper.file_views import private_file
from broadsheet.epaper.views import long_date


def _fraction(request: HttpRequest, name: str) -> float:
    try:
        return float(request.POST.get(name, ""))
    except ValueError as exc:
        raise rules.ClipRefused("The selection is not a rectangle on the page.") from exc


@require_POST
def clip(request: HttpRequest, day: date, slug: str, number: int) -> JsonResponse:
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Http404("No such edition")
    if not epaper_access(request).decision.is_open:
        return JsonResponse({"error": "Clippings are part of the e-paper subscription."}, status=403)
    page = next((p for p in selectors.pages_of(found) if p.number == number), None)
    if page is None or page.is_broken:
        raise Http404("No such page")
    try:
        rect = rules.clip_rect(
            left=_fraction(request, "left"),
            top=_fraction(request, "top"),
            width=_fraction(request, "width"),
            height=_fraction(request, "height"),
            max_fraction=conf.clip_max_fraction(),
        )
    except rules.ClipRefused as exc:
        return JsonResponse({"error": str(exc)}, status=400)
    user_id = request.user.pk if request.user.is_authenticated else None
    made = clipping_create(edition=found, page=page, rect=rect, actor_id=user_id, at=clock.now())
    url = request.build_absolute_uri(made.get_absolute_url())
    return JsonResponse({"url": url, "width": made.image_width, "height": made.image_height}, status=201)


@require_GET
def clipping(request: HttpRequest, key: str) -> HttpResponse:
    clip_row = selectors.clipping_get(key)
    if clip_row is None:
        raise Http404("No such clipping")
    edition = clip_row.edition
    entitled = epaper_access(request).decision.is_open
    ext = clip_row.image.rsplit(".", 1)[-1]
    context = {
        "clip": clip_row,
        "edition": edition,
        "long_date": long_date(edition.date),
        "image_url": f"/epaper/clip/{clip_row.key}.{ext}",
        "share_url": request.build_absolute_uri(clip_row.get_absolute_url()),
        "entitled": entitled,
        "offer": None if entitled else epaper_offer(request, path=edition.get_absolute_url()),
    }
    return render(request, "epaper/clipping.html", context)


@require_GET
def clipping_image(request: HttpRequest, key: str, ext: str) -> HttpResponseBase:
    clip_row = selectors.clipping_get(key)
    if clip_row is None or not clip_row.image.endswith("." + ext):
        raise Http404("No such clipping")
    return private_file(clip_row.image, seconds=86400)
