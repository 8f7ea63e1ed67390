"""The Indian financial year (1 April to 31 March, India time), as a pure function.

No Django, no clock: the caller passes the moment as an aware datetime.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

FIRST_MONTH = 4  # April


def financial_year(at: datetime, tz: str = "Asia/Kolkata") -> str:
    """The financial year `at` falls in, as printed on invoice numbers: "2026-27".

    The boundary is midnight in `tz`, not UTC: 31 March 2027 23:59 IST is in
    "2026-27" and 1 April 2027 00:01 IST (31 March 18:31 UTC) is in "2027-28".
    """
    if at.tzinfo is None or at.utcoffset() is None:
        raise ValueError("financial_year needs an aware datetime")
    local = at.astimezone(ZoneInfo(tz))
    start = local.year if local.month >= FIRST_MONTH else local.year - 1
    return f"{start}-{(start + 1) % 100:02d}"
