from django.apps import AppConfig


class PaywallConfig(AppConfig):
    name = "broadsheet.paywall"
    label = "paywall"
    verbose_name = "Paywall and meter"

    def ready(self) -> None:
        from broadsheet.core import schedule
        from broadsheet.paywall.tasks import PRUNE_EVERY_SECONDS, meter_prune

        schedule.register("paywall.meter_prune", every=PRUNE_EVERY_SECONDS, task=meter_prune)
