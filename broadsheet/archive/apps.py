from django.apps import AppConfig


class ArchiveConfig(AppConfig):
    name = "broadsheet.archive"
    label = "archive"
    verbose_name = "The archive"
