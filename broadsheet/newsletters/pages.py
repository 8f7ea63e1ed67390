"""The newsletters' part of a kept story page's key (core.kept_pages): what the sign-up box offers."""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from typing import Any

from django.http import HttpRequest

from broadsheet.core import clock
from broadsheet.newsletters.selectors import signup_offer


def signup_box_variant(request: HttpRequest, context: Mapping[str, Any]) -> Hashable:
    """Readers offered the same lists by the box at the end of the story share the page."""
    user = getattr(request, "user", None)
    user_id = user.pk if user is not None and user.is_authenticated else None
    offer = signup_offer(article=context.get("article"), user_id=user_id, at=clock.now())
    return (
        "newsletter-box",
        offer.choice.pk if offer.choice is not None else None,
        offer.registered_only.pk if offer.registered_only is not None else None,
    )
