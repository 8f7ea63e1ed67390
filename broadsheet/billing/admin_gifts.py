"""Admin for gifts."""

from __future__ import annotations
