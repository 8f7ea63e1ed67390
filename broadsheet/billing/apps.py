from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "broadsheet.billing"
    label = "billing"
    verbose_name = "Plans and subscriptions"

    def ready(self) -> None:
        from broadsheet.billing import checks  # noqa: F401  (registers the billing system checks)
        from broadsheet.billing.renewals.tasks import schedule_register

        schedule_register()
