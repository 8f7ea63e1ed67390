"""Pictures write files: each test gets its own media and originals folders."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def media_dirs(settings: object, tmp_path: Path) -> dict[str, Path]:
    media, originals = tmp_path / "media", tmp_path / "originals"
    settings.MEDIA_ROOT = str(media)  # type: ignore[attr-defined]
    storages = dict(settings.STORAGES)  # type: ignore[attr-defined]
    storages["picture_originals"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(originals), "base_url": None},
    }
    settings.STORAGES = storages  # type: ignore[attr-defined]
    return {"media": media, "originals": originals}
