"""The e-paper's page text joins search: a GIN index on PostgreSQL, an FTS5 table and triggers on SQLite."""

from django.db import migrations

from broadsheet.search import epaper_pages


def _run(schema_editor, *, postgres: list[str], sqlite: list[str]) -> None:  # type: ignore[no-untyped-def]
    statements = postgres if schema_editor.connection.vendor == "postgresql" else sqlite
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, postgres=epaper_pages.PG_CREATE, sqlite=epaper_pages.SQLITE_CREATE)


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    _run(schema_editor, postgres=epaper_pages.PG_DROP, sqlite=epaper_pages.SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0003_head_index"), ("epaper", "0001_initial")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
