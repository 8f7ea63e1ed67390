"""The story editor's picture picker: search the library and upload into it, as JSON for the desk's editor.

Both views sit behind the admin's login and CSRF checks (`PictureAdmin.get_urls`)
and ask the picture permissions; an upload goes through the same checks as the
library's own form and `picture_create`, so a refused file loses nothing and says why.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, JsonResponse
from django.views.decorators.http import require_GET, require_POST

from broadsheet.pictures.forms import PictureForm
from broadsheet.pictures.html import dimensions, rendition_url
from broadsheet.pictures.models import Picture
from broadsheet.pictures.rules import PictureRefused
from broadsheet.pictures.selectors import picture_search
from broadsheet.pictures.services import picture_create

# The rendition a body <img> names; the reader's page swaps it for the full <picture> with every width.
INSERT_WIDTH = 800
THUMB_WIDTH = 480


def picker_item(picture: Picture) -> dict[str, Any]:
    widths = sorted(picture.widths)
    insert_width = INSERT_WIDTH if INSERT_WIDTH in widths else widths[-1]
    width, height = dimensions(picture, insert_width)
    return {
        "key": picture.key,
        "src": rendition_url(picture, insert_width, "jpg"),
        "thumb": rendition_url(picture, min(widths, key=lambda w: abs(w - THUMB_WIDTH)), "jpg"),
        "width": width,
        "height": height,
        "alt": picture.alt,
        "caption": picture.caption,
        "credit": picture.credit,
    }


@require_GET
def picker_search(request: HttpRequest) -> JsonResponse:
    if not request.user.has_perm("pictures.view_picture"):
        raise PermissionDenied
    text = request.GET.get("q", "")[:200]
    return JsonResponse({"pictures": [picker_item(p) for p in picture_search(text=text)]})


@require_POST
def picker_upload(request: HttpRequest) -> JsonResponse:
    if not request.user.has_perm("pictures.add_picture"):
        raise PermissionDenied
    form = PictureForm(request.POST, request.FILES)  # the library's own checks and messages
    if not form.is_valid():
        return JsonResponse({"errors": {k: [str(m) for m in v] for k, v in form.errors.items()}}, status=400)
    try:
        picture = picture_create(
            data=form.cleaned_data["upload"],
            name=getattr(form, "upload_name", "upload"),
            alt=form.cleaned_data["alt"],
            caption=form.cleaned_data.get("caption", ""),
            credit=form.cleaned_data.get("credit", ""),
            uploaded_by_id=request.user.pk,
        )
    except PictureRefused as exc:
        return JsonResponse({"errors": {"upload": [str(exc)]}}, status=400)
    return JsonResponse({"picture": picker_item(picture)}, status=201)
