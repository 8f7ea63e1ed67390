from pathlib import Path

from django.apps import AppConfig
from django.conf import settings


def data_dirs_ensure() -> None:
    """The data directory and the static files' folder exist before anything writes there.

    Done at start-up rather than when the settings are imported: reading the settings writes nothing.
    """
    Path(settings.DATA_DIR).mkdir(parents=True, exist_ok=True)
    Path(settings.STATIC_ROOT).mkdir(parents=True, exist_ok=True)


class CoreConfig(AppConfig):
    name = "broadsheet.core"
    label = "core"

    def ready(self) -> None:
        from broadsheet.core import checks  # noqa: F401  (registers the system checks)

        data_dirs_ensure()
