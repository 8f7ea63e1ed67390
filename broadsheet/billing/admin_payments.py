"""Admin for payments."""

from __future__ import annotations
