"""Reader-facing pages. Views gather, ask the paywall, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from broadsheet.core import clock
from broadsheet.core.kept_pages import render_kept
from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article, Author, Section
from broadsheet.paywall.identity import reader_cookie_set
from broadsheet.paywall.render import article_context
from broadsheet.paywall.services import article_access_decide


def absolute(request: HttpRequest, path: str) -> str:
    return settings.SITE_URL + path


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = {"home": selectors.home_page(at=clock.now()), "canonical_url": absolute(request, "/"), "is_home": True}
    return render(request, "newsroom/home.html", context)


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    sec = get_object_or_404(Section, slug=slug)
    page = selectors.section_page(section=sec, at=clock.now(), page=request.GET.get("page"))
    return render(
        request,
        "newsroom/section.html",
        {
            "section": sec,
            "current_section": sec.slug,
            "page_obj": page,
            "canonical_url": absolute(request, sec.get_absolute_url()),
        },
    )


@require_GET
def author(request: HttpRequest, slug: str) -> HttpResponse:
    person = get_object_or_404(Author, slug=slug)
    page = selectors.author_page(author=person, at=clock.now(), page=request.GET.get("page"))
    return render(
        request,
        "newsroom/author.html",
        {"author": person, "page_obj": page, "canonical_url": absolute(request, person.get_absolute_url())},
    )


@require_GET
def article(request: HttpRequest, section: str, slug: str) -> HttpResponse:
    preview = bool(request.user.is_authenticated and request.user.is_staff)
    story = selectors.article_at_url(section_slug=section, slug=slug, fresh=preview)
    if story is None:
        raise Http404("No such story")
    if story.status == Article.Status.WITHDRAWN:
        return render(request, "newsroom/withdrawn.html", {"article": story}, status=410)
    live = selectors.is_live(story, clock.now())
    if not live and not preview:
        raise Http404("No such story")
    result = article_access_decide(request=request, article=story)
    banner = "" if live else preview_words(story)
    url = absolute(request, story.get_absolute_url())
    context = article_context(article=story, result=result, canonical_url=url, preview=banner)
    decision = result.decision
    # The page is the same for every reader with the same decision (the rest by page_key); the
    # countdown is each reader's own and filled in per response.
    same_page = (story.pk, decision.outcome, decision.reason, decision.limit, decision.archived)
    # Staff pages are rendered afresh: a preview is never kept, and the desk sees its edits at once.
    response = render_kept(
        request, "newsroom/article.html", context, view_key=same_page, fresh=preview, per_reader=("countdown",)
    )
    if banner:
        response["Cache-Control"] = "private, no-store"  # a preview is never kept by any cache
    reader_cookie_set(request, response)
    return response


def preview_words(story: Article) -> str:
    """What the staff preview banner says about a story readers cannot see yet."""
    if story.status == Article.Status.SCHEDULED and story.published_at is not None:
        when = timezone.localtime(story.published_at)
        return f"Scheduled to appear on {when:%-d %B %Y at %-I:%M %p}."
    if story.status == Article.Status.PUBLISHED and story.published_at is not None:
        return f"Its publication time ({timezone.localtime(story.published_at):%-d %B %Y, %-I:%M %p}) is ahead."
    return "This is a draft."


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /accounts/",
        "Disallow: /account/",
        f"Sitemap: {settings.SITE_URL}/sitemap.xml",
        f"Sitemap: {settings.SITE_URL}/news-sitemap.xml",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain")


def healthz(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})
