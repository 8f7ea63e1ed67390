from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "broadsheet.billing"
    label = "billing"
    verbose_name = "Plans and subscriptions"

    def ready(self) -> None:
        from broadsheet.billing import checks  # noqa: F401  (registers the billing system checks)
        from broadsheet.billing.entitlements import plan_device_limit
        from broadsheet.billing.renewals.tasks import schedule_register
        from broadsheet.readers.devices import plan_device_limit_set

        schedule_register()
        plan_device_limit_set(plan_device_limit)  # readers asks the plans how many devices a reader may use
