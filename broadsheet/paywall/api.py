"""The meter through the API: the same count the article pages keep, for whoever asks."""

from __future__ import annotations

from datetime import datetime

from django.http import HttpRequest, HttpResponse
from ninja import Router, Schema
from pydantic import Field

from broadsheet.api.problems import responses
from broadsheet.paywall.identity import reader_cookie_set
from broadsheet.paywall.services import meter_status
from broadsheet.readers.api_auth import OPTIONAL_TOKEN, token_or_anonymous

router = Router(tags=["Reader"], auth=token_or_anonymous)


class MeterOut(Schema):
    applies: bool = Field(description="false when the reader's plan means the meter never counts")
    used: int = Field(description="Distinct metered stories opened this period (web and app together)")
    limit: int
    remaining: int
    period: str = Field(description="The calendar month, YYYY-MM, in the publication's time zone")
    resets_at: datetime


@router.get(
    "/me/meter",
    summary="The meter: used, limit, reset",
    response={200: MeterOut, **responses(401)},
    openapi_extra=OPTIONAL_TOKEN,
)
def meter_get(request: HttpRequest, response: HttpResponse) -> MeterOut:
    """How many free stories this reader has used this month, and when the count starts again."""
    status = meter_status(request=request)
    reader_cookie_set(request, response)
    return MeterOut(
        applies=status.applies,
        used=status.used,
        limit=status.limit,
        period=status.period,
        resets_at=status.resets_at,
        remaining=max(status.limit - status.used, 0),
    )
