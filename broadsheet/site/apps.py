from django.apps import AppConfig


class SiteConfig(AppConfig):
    name = "broadsheet.site"
    label = "site"
    verbose_name = "Site"
