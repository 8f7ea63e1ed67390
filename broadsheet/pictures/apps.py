from django.apps import AppConfig


class PicturesConfig(AppConfig):
    name = "broadsheet.pictures"
    label = "pictures"
    verbose_name = "Pictures"
