"""`{% load newsletters %}`: the sign-up box at the end of a story and the panel on the account page."""

from __future__ import annotations

from typing import Any

from django import template

from broadsheet.core import clock
from broadsheet.newsletters import selectors, subscribers

register = template.Library()


@register.inclusion_tag("newsletters/_signup_box.html", takes_context=True)
def newsletter_box(context: template.Context, article: Any = None) -> dict[str, Any]:
    """One list to join, chosen for the story and the reader; nothing when there is none left to offer.

    What it offers is also part of a kept story page's key (newsletters.pages)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    registered = bool(user and user.is_authenticated)
    offer = selectors.signup_offer(article=article, user_id=user.pk if registered else None, at=clock.now())  # type: ignore[union-attr]
    return {
        "choice": offer.choice,
        "registered": registered,
        "registered_only": offer.registered_only,
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
