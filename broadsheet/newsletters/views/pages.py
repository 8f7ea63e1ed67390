"""The newsletters' pages: every list, sign-up (one click or double opt-in), past issues and their web views."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from broadsheet.core import clock
from broadsheet.core.addresses import client_ip
from broadsheet.newsletters import conf, selectors, subscribers
from broadsheet.newsletters.compose.render import issue_articles, paragraphs
from broadsheet.newsletters.models import Issue, NewsletterList
from broadsheet.newsletters.rules import Format
from broadsheet.paywall.render import channel_story
from broadsheet.paywall.services import article_access_unmetered, request_facts_unmetered


def _user_id(request: HttpRequest) -> int | None:
    return request.user.pk if request.user.is_authenticated else None


def _subscriber(request: HttpRequest):  # type: ignore[no-untyped-def]
    if not request.user.is_authenticated:
        return None
    return subscribers.subscriber_for_user(user=request.user, at=clock.now())


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    rows = selectors.preference_rows(subscriber=_subscriber(request), user_id=_user_id(request), at=clock.now())
    return render(request, "newsletters/index.html", {"rows": rows})


def _next(request: HttpRequest, default: str = "/newsletters/") -> str:
    target = request.POST.get("next") or default
    ok = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure())
    return target if ok and target.startswith("/") else default


def _list_ids(request: HttpRequest) -> list[int]:
    return [int(v) for v in request.POST.getlist("list") if v.isdigit()]


def _throttled(request: HttpRequest) -> bool:
    key = f"newsletters:signup:{client_ip(request) or 'unknown'}"
    cache.add(key, 0, 3600)
    try:
        count = cache.incr(key)
    except ValueError:
        count = 1
    return count > conf.signups_per_hour_per_ip()


@csrf_exempt  # a bare address gets nothing but a confirmation mail, so a forged post can do no more
@require_POST
def signup(request: HttpRequest) -> HttpResponse:
    """Double opt-in for an address: always the same answer, whether or not the address is known."""
    email = subscribers.normalise(request.POST.get("email", ""))[:254]
    context = {"email": email, "next": _next(request)}
    if request.POST.get("website"):  # the honeypot field people never see
        return render(request, "newsletters/check_inbox.html", context)
    try:
        validate_email(email)
    except ValidationError:
        return render(
            request,
            "newsletters/signup_error.html",
            {**context, "error": "Please enter a valid e-mail address."},
            status=400,
        )
    ids = _list_ids(request)
    if not ids:
        return render(
            request,
            "newsletters/signup_error.html",
            {**context, "error": "Choose at least one newsletter."},
            status=400,
        )
    if _throttled(request):
        return render(
            request,
            "newsletters/signup_error.html",
            {**context, "error": "Too many sign-ups from your network just now. Please try again in an hour."},
            status=429,
        )
    result = subscribers.address_signup(
        email=email, list_ids=ids, source=request.POST.get("source", "form")[:20], at=clock.now()
    )
    return render(request, "newsletters/check_inbox.html", {**context, "result": result})


@login_required
@require_POST
def join(request: HttpRequest) -> HttpResponse:
    """One click for a registered reader."""
    result = subscribers.memberships_join(
        user=request.user,
        list_ids=_list_ids(request),
        source=request.POST.get("source", "one-click")[:20],
        at=clock.now(),
    )
    for newsletter in result.joined:
        messages.success(request, f"You are signed up for {newsletter.name}.")
    if result.pending:
        names = ", ".join(n.name for n in result.pending)
        messages.info(request, f"Almost done: confirm your address with the link we just mailed you to start {names}.")
    for newsletter in result.refused:
        messages.warning(request, f"{newsletter.name} is for subscribers only.")
    return HttpResponseRedirect(_next(request))


@login_required
@require_POST
def account_preferences(request: HttpRequest) -> HttpResponse:
    sub = subscribers.subscriber_for_user(user=request.user, at=clock.now())
    changed = subscribers.preferences_save(
        subscriber=sub, wanted=_list_ids(request), user_id=request.user.pk, at=clock.now(), via="account"
    )
    messages.success(request, "Your newsletters are saved." if changed else "Nothing changed in your newsletters.")
    return HttpResponseRedirect(_next(request, default="/account/#newsletters"))


@require_GET
def archive(request: HttpRequest, slug: str) -> HttpResponse:
    newsletter = get_object_or_404(NewsletterList, slug=slug, is_active=True)
    issues = selectors.issues_public(newsletter)[:60]
    return render(request, "newsletters/archive.html", {"newsletter": newsletter, "issues": issues})


@require_GET
def web_view(request: HttpRequest, slug: str, issue_id: int) -> HttpResponse:
    """The issue in a browser, decided for whoever reads it, like any page (teasers for locked stories)."""
    issue = get_object_or_404(Issue.objects.select_related("newsletter"), pk=issue_id, newsletter__slug=slug)
    staff = request.user.is_authenticated and request.user.is_staff
    if issue.status not in selectors.PUBLIC_STATUSES and not staff:
        raise Http404("No such issue")
    facts = request_facts_unmetered(request)
    full = issue.newsletter.format == Format.FULL
    stories = []
    for row, article in issue_articles(issue):
        story = channel_story(
            article=article, decision=article_access_unmetered(article=article, reader=facts), full=full
        )
        story["note"] = row.note
        stories.append(story)
    context = {
        "issue": issue,
        "newsletter": issue.newsletter,
        "intro": paragraphs(issue.intro),
        "stories": stories,
        "preview": issue.status not in selectors.PUBLIC_STATUSES,
    }
    return render(request, "newsletters/issue_page.html", context)
