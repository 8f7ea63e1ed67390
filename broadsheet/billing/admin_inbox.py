"""Admin for inbox."""

from __future__ import annotations
