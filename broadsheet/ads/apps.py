from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "broadsheet.ads"
    label = "ads"
    verbose_name = "Advertising slots"
