"""The search index and its triggers (search.schema), for the engine of the database in use,
filled with the stories already live."""

from django.db import migrations

from broadsheet.search import schema


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    with schema_editor.connection.cursor() as cursor:
        for statement in schema.statements(vendor, create=True):
            cursor.execute(statement)
        batch = schema.PG_REBUILD_BATCH if vendor == "postgresql" else schema.SQLITE_REBUILD_BATCH
        cursor.execute(batch, [0, 2**62])


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    with schema_editor.connection.cursor() as cursor:
        for statement in schema.statements(schema_editor.connection.vendor, create=False):
            cursor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("newsroom", "0003_pictures_logo_grievance_officer")]

    operations = [migrations.RunPython(create, drop, elidable=False)]
