"""Admin for offers."""

from __future__ import annotations
