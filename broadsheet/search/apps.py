from django.apps import AppConfig
from django.db.backends.signals import connection_created

from broadsheet.search.text import sqlite_functions_register


class SearchConfig(AppConfig):
    name = "broadsheet.search"
    label = "search"
    verbose_name = "Search"

    def ready(self) -> None:
        # The SQLite index triggers call search_plain(); every connection must know it.
        connection_created.connect(sqlite_functions_register, dispatch_uid="search-sqlite-functions")
