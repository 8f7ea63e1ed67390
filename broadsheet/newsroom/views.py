"""Reader-facing pages. Views gather, ask the paywall, render."""

from __future__ import annotations

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from broadsheet.core import clock
from broadsheet.newsroom import selectors
from broadsheet.newsroom.models import Article, Author, Section
from broadsheet.paywall.readers import set_reader_cookie
from broadsheet.paywall.render import article_context
from broadsheet.paywall.services import article_access_decide


def absolute(request: HttpRequest, path: str) -> str:
    return settings.SITE_URL + path


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    context = selectors.home_page(at=clock.now())
    context["canonical_url"] = absolute(request, "/")
    return render(request, "newsroom/home.html", context)


@require_GET
def section(request: HttpRequest, slug: str) -> HttpResponse:
    sec = get_object_or_404(Section, slug=slug)
    page = selectors.section_page(section=sec, at=clock.now(), page=request.GET.get("page"))
    return render(
        request,
        "newsroom/section.html",
        {"section": sec, "page_obj": page, "canonical_url": absolute(request, sec.get_absolute_url())},
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
    if not preview and not selectors.is_live(story, clock.now()):
        raise Http404("No such story")
    result = article_access_decide(request=request, article=story)
    context = article_context(article=story, result=result, canonical_url=absolute(request, story.get_absolute_url()))
    response = render(request, "newsroom/article.html", context)
    set_reader_cookie(request, response)
    return response


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
