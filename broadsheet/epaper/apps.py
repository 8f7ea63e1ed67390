from django.apps import AppConfig


class EpaperConfig(AppConfig):
    name = "broadsheet.epaper"
    label = "epaper"
    verbose_name = "E-paper"
