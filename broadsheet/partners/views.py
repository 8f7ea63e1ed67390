from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from broadsheet.core import clock
from broadsheet.partners.models import PartnerPool
from broadsheet.partners.rules import ClaimOutcome
from broadsheet.partners.services import ClaimResult, code_claim


def claim_message(result: ClaimResult) -> str:
    match result.outcome:
        case ClaimOutcome.CLAIMED | ClaimOutcome.ALREADY_CLAIMED:
            return f"Your code for {result.partner_name}: {result.code}"
        case ClaimOutcome.POOL_EMPTY:
            return (
                "The pool is empty: we have told our team. "
                f"You can claim your {result.partner_name} code once new codes arrive."
            )
        case ClaimOutcome.NOT_ENTITLED:
            return "Your plan does not include partner access."
        case ClaimOutcome.EXPIRED:
            return f"The {result.partner_name} offer has ended."


@login_required
@require_POST
def claim(request: HttpRequest, pool_id: int) -> HttpResponse:
    """Claim (or see again) the reader's code from one pool, then back to the account page."""
    user_id: int = request.user.pk  # type: ignore[assignment]  # login_required: never None
    try:
        result = code_claim(pool_id=pool_id, user_id=user_id, at=clock.now())
    except PartnerPool.DoesNotExist as exc:
        raise Http404("No such partner offer.") from exc
    level = messages.SUCCESS if result.has_code else messages.WARNING
    messages.add_message(request, level, claim_message(result))
    return redirect("account")
