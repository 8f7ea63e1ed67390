"""PostgreSQL: a b-tree on the index row's section and publication time, so a search filtered by
section and dates reads only the rows both the GIN index and this one point at. SQLite: nothing."""

from django.db import migrations

from broadsheet.search import schema


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(schema.PG_SECTION_INDEX)
            cursor.execute("ANALYZE search_entry")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(schema.PG_SECTION_INDEX_DROP)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
