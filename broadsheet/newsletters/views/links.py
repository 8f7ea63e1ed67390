"""The signed links in every mail: confirm, unsubscribe (RFC 8058 one-click, no session), preferences.

Link scanners fetch GET links, so a GET only shows a page with a button; the
change is a POST. A tampered or forged token is refused with 400 and changes nothing.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from broadsheet.core import clock
from broadsheet.newsletters import selectors, subscribers, tokens
from broadsheet.newsletters.models import NewsletterList, Subscriber


def _invalid(request: HttpRequest, reason: str) -> HttpResponse:
    return render(request, "newsletters/link_invalid.html", {"reason": reason}, status=400)


@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    if request.method == "GET":
        try:
            tokens.confirm_read(token)
        except tokens.BadToken as exc:
            return _invalid(request, str(exc))
        return render(request, "newsletters/confirm.html", {"token": token})
    try:
        sub, names = subscribers.subscriber_confirm(token=token, at=clock.now())
    except subscribers.ConfirmError as exc:
        return _invalid(request, str(exc))
    return render(
        request,
        "newsletters/confirmed.html",
        {"subscriber": sub, "names": names, "has_account": sub.user_id is not None},
    )


@csrf_exempt  # RFC 8058: mail providers post without cookies; the signed token is the authority
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        claim = tokens.unsubscribe_read(token)
    except tokens.BadToken as exc:
        return _invalid(request, str(exc))
    newsletter = NewsletterList.objects.filter(pk=claim.list_id).first()
    sub = Subscriber.objects.filter(pk=claim.subscriber_id).first()
    if newsletter is None or sub is None:
        return _invalid(request, "this subscription no longer exists")
    context = {
        "newsletter": newsletter,
        "token": token,
        "preferences_token": tokens.preferences_token(subscriber_id=sub.pk),
    }
    if request.method == "GET":
        return render(request, "newsletters/unsubscribe.html", context)
    one_click = request.POST.get("List-Unsubscribe") == "One-Click"
    subscribers.membership_unsubscribe(
        subscriber_id=sub.pk,
        list_id=newsletter.pk,
        issue_id=claim.issue_id,
        at=clock.now(),
        via="one-click" if one_click else "link",
    )
    return render(request, "newsletters/unsubscribed.html", context)


@require_http_methods(["GET", "POST"])
def preferences(request: HttpRequest, token: str) -> HttpResponse:
    try:
        subscriber_id = tokens.preferences_read(token)
    except tokens.BadToken as exc:
        return _invalid(request, str(exc))
    sub = get_object_or_404(Subscriber.objects.select_related("user"), pk=subscriber_id)
    saved = None
    if request.method == "POST":
        wanted = [int(v) for v in request.POST.getlist("list") if v.isdigit()]
        if request.POST.get("all") == "off":
            wanted = []
        saved = subscribers.preferences_save(
            subscriber=sub, wanted=wanted, user_id=sub.user_id, at=clock.now(), via="preferences"
        )
    rows = selectors.preference_rows(subscriber=sub, user_id=sub.user_id, at=clock.now())
    return render(
        request, "newsletters/preferences.html", {"subscriber": sub, "rows": rows, "token": token, "saved": saved}
    )
