from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _after_migrate(sender: AppConfig, **kwargs: Any) -> None:
    from broadsheet.newsroom.groups import groups_ensure

    groups_ensure()


class NewsroomConfig(AppConfig):
    name = "broadsheet.newsroom"
    label = "newsroom"
    verbose_name = "Newsroom"

    def ready(self) -> None:
        # Permissions are created app by app after migrate; the groups span several apps, so
        # they are rebuilt after each app's permissions exist (a few queries per app).
        post_migrate.connect(_after_migrate, dispatch_uid="broadsheet-staff-groups")
