"""Billing's system checks (filled in by the checks work)."""

from __future__ import annotations
