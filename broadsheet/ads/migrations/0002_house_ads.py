"""House ads in every slot, so a new site shows where ads go; staff replace them."""

from django.db import migrations

HOUSE_ADS = {
    "header": '<div class="house-ad house-ad-wide"><strong>Advertise here</strong> · '
    "Reach readers who follow markets and policy. Write to our advertising desk.</div>",
    "in_article": '<div class="house-ad"><strong>House ad</strong> · Our morning markets newsletter, '
    "free for registered readers.</div>",
    "sidebar": '<div class="house-ad house-ad-tall"><strong>House ad</strong><br>'
    "The daily e-paper, page by page, with every plan.</div>",
}


def add_house_ads(apps, schema_editor):  # type: ignore[no-untyped-def]
    AdSlot = apps.get_model("ads", "AdSlot")  # noqa: N806
    for place, snippet in HOUSE_ADS.items():
        AdSlot.objects.get_or_create(place=place, defaults={"snippet": snippet, "active": True})


def remove_house_ads(apps, schema_editor):  # type: ignore[no-untyped-def]
    AdSlot = apps.get_model("ads", "AdSlot")  # noqa: N806
    AdSlot.objects.filter(snippet__in=HOUSE_ADS.values()).delete()


class Migration(migrations.Migration):
    dependencies = [("ads", "0001_initial")]
    operations = [migrations.RunPython(add_house_ads, remove_house_ads)]
