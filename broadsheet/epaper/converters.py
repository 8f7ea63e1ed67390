from __future__ import annotations

from datetime import date


class IsoDateConverter:
    """YYYY-MM-DD in the path, a date in the view; an impossible date is a 404."""

    regex = r"[0-9]{4}-[0-9]{2}-[0-9]{2}"

    def to_python(self, value: str) -> date:
        return date.fromisoformat(value)  # ValueError → no match → 404

    def to_url(self, value: date) -> str:
        return value.isoformat()
