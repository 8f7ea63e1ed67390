"""PostgreSQL: a GIN index on the index row's headline and standfirst vector (`head`), so the stories
a reader may not open are found by an index too (search.schema.PG_HEAD_INDEXES). SQLite: nothing."""

from django.db import migrations

from broadsheet.search import schema


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in schema.PG_HEAD_INDEXES:
                cursor.execute(statement)
            cursor.execute("ANALYZE search_entry")


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            for statement in schema.PG_HEAD_INDEXES_DROP:
                cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_section_index")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
