"""Subscription.access_from: when the paid access running to access_until began (issue 9, defect 3).

Existing rows get the first access the lifecycle would compute: the first
payment (started_at) or, without one, the current period's start.
"""

from django.db import migrations, models
from django.db.models.functions import Coalesce, Least


def backfill(apps, schema_editor):  # type: ignore[no-untyped-def]
    Subscription = apps.get_model("billing", "Subscription")
    Subscription.objects.filter(access_until__isnull=False).update(
        access_from=Least(Coalesce("started_at", "current_period_start"), "current_period_start")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0007_invoice_supply_details"),
    ]

    operations = [
        migrations.AddField(
            model_name="subscription",
            name="access_from",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
    ]
