"""Reads of the picture library."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from broadsheet.pictures.models import Picture

PICKER_LIMIT = 24


def picture_search(*, text: str, limit: int = PICKER_LIMIT) -> QuerySet[Picture]:
    """Pictures whose caption, alt text or credit contains `text` (all of them when it is blank), newest first."""
    pictures = Picture.objects.exclude(widths=[])
    words = text.split()
    for word in words:
        pictures = pictures.filter(Q(caption__icontains=word) | Q(alt__icontains=word) | Q(credit__icontains=word))
    return pictures.order_by("-created_at", "-id")[:limit]
