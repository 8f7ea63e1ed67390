"""The e-paper's files: page images and text (authorised on every request), the signed PDF download,
and the front-page thumbnail that everyone may see.

Responses are `Cache-Control: private`: a browser may keep what its reader was
allowed to see, a shared cache never stores it. What an app's signed link (`?s=`, from
the API) opens is `no-store`: the app cannot empty a browser's cache when its reader
signs out, so nothing it showed stays there.
"""

from __future__ import annotations

from datetime import date

from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from broadsheet.epaper import conf, files, links, selectors
from broadsheet.epaper.access import epaper_access, epaper_offer, link_access_open
from broadsheet.epaper.models import Printing
from broadsheet.newsroom.selectors import publication_get

PRIVATE_SECONDS = 3600


def private_file(name: str, *, seconds: int = PRIVATE_SECONDS, filename: str | None = None) -> FileResponse:
    try:
        handle = conf.storage().open(name, "rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404("The file is gone") from exc
    response = FileResponse(
        handle, content_type=files.content_type_for(name), as_attachment=filename is not None, filename=filename or ""
    )
    response["Cache-Control"] = f"private, max-age={seconds}"
    response["Vary"] = "Cookie"
    return response


def forbidden(request: HttpRequest) -> HttpResponseForbidden:
    return HttpResponseForbidden(
        "The e-paper is part of a subscription. Plans: /subscribe/\n", content_type="text/plain; charset=utf-8"
    )


@require_GET
def page_image(request: HttpRequest, key: str, number: int, ext: str, size: str) -> HttpResponseBase:
    found = selectors.page_by_key(key, number)
    if found is None:
        raise Http404("No such page")
    _, page = found
    name = page.thumb if size == "thumb" else page.image
    if not name or not name.endswith("." + ext):
        raise Http404("No such image")
    is_front_thumb = size == "thumb" and number == 1  # the teaser every reader sees
    signed = request.GET.get("s")
    if signed is not None and not is_front_thumb:
        try:
            claims = links.page_token_check(signed, printing_key=key)
        except links.LinkRefused:
            return forbidden(request)
        if not link_access_open(request, claims):
            return forbidden(request)
        return not_stored(private_file(name))
    if not is_front_thumb and not epaper_access(request).decision.is_open:
        return forbidden(request)
    return private_file(name)


def not_stored(response: HttpResponseBase) -> HttpResponseBase:
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
def page_text(request: HttpRequest, key: str, number: int) -> HttpResponse:
    found = selectors.page_by_key(key, number)
    if found is None:
        raise Http404("No such page")
    if not epaper_access(request).decision.is_open:
        return forbidden(request)
    _, page = found
    response = JsonResponse({"page": page.number, "text": page.text})
    response["Cache-Control"] = f"private, max-age={PRIVATE_SECONDS}"
    return response


def pdf_filename(printing: Printing) -> str:
    edition = printing.edition
    return f"{slugify(publication_get().name)}-{edition.slug}-{edition.date.isoformat()}.pdf"


@require_GET
def download(request: HttpRequest, day: date, slug: str) -> HttpResponse:
    """Make the reader's own short-lived link to the whole PDF and send them to it."""
    found = selectors.edition_get(day, slug)
    if found is None:
        raise Http404("No such edition")
    if not epaper_access(request).decision.is_open:
        return redirect(found.get_absolute_url())
    if not request.user.is_authenticated:  # reading on an organisation's network: a link needs an account
        return redirect_to_login(request.get_full_path())
    printing = found.current
    assert printing is not None  # selectors return live editions only
    token = links.download_token(user_id=request.user.pk, printing_key=printing.key)
    return redirect(reverse("epaper-pdf", args=[token, pdf_filename(printing)]))


@require_GET
def pdf_file(request: HttpRequest, token: str, filename: str) -> HttpResponseBase:
    user_id = request.user.pk if request.user.is_authenticated else None
    try:
        claims = links.download_token_check(token, user_id=user_id)
    except links.LinkRefused as exc:
        return render(request, "epaper/link_refused.html", {"reason": str(exc)}, status=403)
    printing = Printing.objects.filter(key=claims.printing_key).select_related("edition").first()
    if printing is None or printing.edition.current_id != printing.pk or not printing.edition.is_published:
        return render(
            request, "epaper/link_refused.html", {"reason": "This edition has been replaced or withdrawn."}, status=410
        )
    if claims.device_id is not None:  # an app's link: its own reader, while that device is signed in
        if not link_access_open(request, claims):
            reason = "This link no longer opens: sign in to the app again, or check your plan includes the e-paper."
            return render(request, "epaper/link_refused.html", {"reason": reason}, status=403)
        return not_stored(private_file(printing.pdf, seconds=0, filename=pdf_filename(printing)))
    if not epaper_access(request).decision.is_open:
        offer = epaper_offer(request, path=printing.edition.get_absolute_url())
        return render(
            request,
            "epaper/link_refused.html",
            {"reason": "Your plan no longer includes the e-paper.", "offer": offer},
            status=403,
        )
    return private_file(printing.pdf, seconds=0, filename=pdf_filename(printing))
