"""Background work of billing (filled in by the renewals work)."""

from __future__ import annotations


def schedule_register() -> None:
    """Register billing's periodic jobs with broadsheet.core.schedule."""
