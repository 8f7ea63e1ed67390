from django.apps import AppConfig


class PartnersConfig(AppConfig):
    name = "broadsheet.partners"
    label = "partners"
    verbose_name = "Partner publication access"
