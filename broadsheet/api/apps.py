from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "broadsheet.api"
    label = "api"
    verbose_name = "Reader API"
