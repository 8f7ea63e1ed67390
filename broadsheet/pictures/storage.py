"""Where picture files live: renditions in the default (media) storage, originals apart from it."""

from __future__ import annotations

from django.core.files.storage import Storage, default_storage, storages


def renditions() -> Storage:
    """Served to readers (MEDIA_ROOT locally, or S3-compatible storage through django-storages)."""
    return default_storage


def originals() -> Storage:
    """The uploads as they came: kept to make renditions again, never under a public URL."""
    return storages["picture_originals"]
