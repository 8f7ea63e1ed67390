"""Django's admin app, with the desk's site (newsroom.admin_site.DeskSite) as its default site.

A module of its own: INSTALLED_APPS imports it before any model can be loaded.
"""

from django.contrib.admin.apps import AdminConfig


class DeskAdminConfig(AdminConfig):
    default_site = "broadsheet.newsroom.admin_site.DeskSite"
