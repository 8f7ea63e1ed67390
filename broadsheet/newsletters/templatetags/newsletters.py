"""`{% load newsletters %}`: the sign-up box at the end of a story and the panel on the account page."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.core import clock
from broadsheet.newsletters import selectors, subscribers
from broadsheet.newsletters.models import Membership, NewsletterList
from broadsheet.newsletters.rules import Audience

register = template.Library()


def _offered(article: Any, lists: list[NewsletterList]) -> list[NewsletterList]:
    """Lists about this story's section first, then the general ones."""
    section_id = getattr(article, "section_id", None)
    about = [n for n in lists if section_id in {s.pk for s in n.sections.all()}]
    general = [n for n in lists if not n.sections.all()]
    return about + [n for n in general if n not in about]


@register.inclusion_tag("newsletters/_signup_box.html", takes_context=True)
def newsletter_box(context: template.Context, article: Any = None) -> dict[str, Any]:
    """One list to join, chosen for the story and the reader; nothing when there is none left to offer."""
    request = context.get("request")
    user = getattr(request, "user", None)
    registered = bool(user and user.is_authenticated)
    lists = _offered(article, selectors.lists_active())
    if not lists:
        lists = selectors.lists_active()
    choice: NewsletterList | None = None
    if registered:
        statuses = selectors.statuses_for_user(user.pk)  # type: ignore[union-attr]
        facts = selectors.recipient_facts_for_user(user_id=user.pk, at=clock.now())  # type: ignore[union-attr]
        choice = next(
            (n for n in lists if statuses.get(n.pk) != Membership.Status.ACTIVE and selectors.may_join(n, facts)), None
        )
    else:
        choice = next((n for n in lists if n.audience_value is Audience.ANYONE), None)
    everything = _offered(article, selectors.lists_active()) + selectors.lists_active()
    registered_only = None
    if not registered:
        registered_only = next((n for n in everything if n.audience_value is Audience.REGISTERED), None)
    return {
        "choice": choice,
        "registered": registered,
        "registered_only": registered_only,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        "next": request.get_full_path() if request else "/",
    }


@register.inclusion_tag("newsletters/account_section.html", takes_context=True)
def newsletter_account_panel(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = request.user  # type: ignore[union-attr]
    sub = subscribers.subscriber_for_user(user=user, at=clock.now())
    rows = selectors.preference_rows(subscriber=sub, user_id=user.pk, at=clock.now())
    return {"rows": rows, "subscriber": sub, "csrf_token": context.get("csrf_token"), "request": request}
