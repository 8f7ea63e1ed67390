"""One open checkout per reader and plan (issue 9, defects 1 and 5).

Before the constraint, every open first payment of a reader and plan but the
newest is marked abandoned and its offer reservation released: a reader who
pressed Pay twice had two; the older one is the abandoned attempt.
"""

from django.conf import settings
from django.db import migrations, models


def abandon_older_open_checkouts(apps, schema_editor):  # type: ignore[no-untyped-def]
    Payment = apps.get_model("billing", "Payment")
    OfferRedemption = apps.get_model("billing", "OfferRedemption")
    seen: set[tuple[int, int]] = set()
    older: list[int] = []
    rows = Payment.objects.filter(kind="first", status__in=["created", "pending"]).order_by("-created_at", "-id")
    for pk, user_id, plan_id in rows.values_list("pk", "user_id", "plan_id"):
        if (user_id, plan_id) in seen:
            older.append(pk)
        seen.add((user_id, plan_id))
    Payment.objects.filter(pk__in=older).update(status="abandoned", message="replaced by a newer checkout")
    OfferRedemption.objects.filter(payment_id__in=older, status="reserved").update(status="released")


class Migration(migrations.Migration):
    dependencies = [
        ("billing", "0008_subscription_access_from"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(abandon_older_open_checkouts, migrations.RunPython.noop),
        migrations.AddField(
            model_name="payment",
            name="checkout_url",
            field=models.CharField(blank=True, help_text="The gateway's page for this checkout.", max_length=500),
        ),
        migrations.AddField(
            model_name="payment",
            name="refund_due",
            field=models.BooleanField(
                default=False, help_text="Paid twice for one plan: not applied, and given back (billing/duplicates.py)."
            ),
        ),
        migrations.AddConstraint(
            model_name="payment",
            constraint=models.UniqueConstraint(
                condition=models.Q(("kind", "first"), ("status__in", ["created", "pending"])),
                fields=("user", "plan"),
                name="billing_one_open_checkout",
            ),
        ),
    ]
