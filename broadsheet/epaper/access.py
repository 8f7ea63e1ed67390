"""The e-paper asks the paywall, and only the paywall, who may see what (STYLE habit 4)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from broadsheet.billing.selectors import benefit_cards
from broadsheet.core.addresses import client_ip
from broadsheet.epaper import conf
from broadsheet.epaper.links import LinkClaims
from broadsheet.paywall.render import benefit_offer
from broadsheet.paywall.services import BenefitAccess, benefit_access_decide, benefit_access_for_user
from broadsheet.readers.devices import device_is_signed_in


def epaper_access(request: HttpRequest) -> BenefitAccess:
    """Decided afresh for every page, image, text, find, download and clipping request."""
    return benefit_access_decide(request=request, benefit=conf.BENEFIT)


def link_access_open(request: HttpRequest, claims: LinkClaims) -> bool:
    """May this request use a link the API made (page images, the PDF)? Decided when it is opened:
    the link's reader, while the app's device is signed in; a network reader's link, by the network."""
    if claims.user_id is None:
        return epaper_access(request).decision.is_open
    if claims.device_id is not None and not device_is_signed_in(device_id=claims.device_id, user_id=claims.user_id):
        return False
    return benefit_access_for_user(user_id=claims.user_id, benefit=conf.BENEFIT, ip=client_ip(request)).is_open


def benefit_name() -> tuple[str, str]:
    """The e-paper benefit's name and description as the plans table shows them."""
    for card in benefit_cards():
        if card.code == conf.BENEFIT:
            return card.name, card.description
    return "E-paper", ""


def epaper_offer(request: HttpRequest, *, path: str | None = None) -> dict[str, Any]:
    name, description = benefit_name()
    offer = benefit_offer(
        benefit_code=conf.BENEFIT, headline=f"{name} is included with a subscription", path=path or request.path
    )
    offer["benefit_description"] = description
    return offer
