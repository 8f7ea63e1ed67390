from django.apps import AppConfig


class AdsConfig(AppConfig):
    name = "broadsheet.ads"
    label = "ads"
    verbose_name = "Advertising slots"

    def ready(self) -> None:
        from broadsheet.ads.pages import ads_variant
        from broadsheet.core.kept_pages import page_variant

        # Ad-free readers get pages without slots: kept story pages are kept per set of snippets.
        page_variant(ads_variant)
