from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "broadsheet.pages"
    label = "pages"
    verbose_name = "Pages (about, contact, legal)"
