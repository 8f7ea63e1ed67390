"""Each e-paper test gets its own storage folder: what a test stores, it can count."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def epaper_storage(settings: object, tmp_path: Path) -> Path:
    folder = tmp_path / "epaper"
    settings.STORAGES = {  # type: ignore[attr-defined]
        **settings.STORAGES,  # type: ignore[attr-defined]
        "epaper": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder), "base_url": None},
        },
    }
    return folder


def stored_files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()) if folder.exists() else []
