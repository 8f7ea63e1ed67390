from django.apps import AppConfig


class BillingConfig(AppConfig):
    name = "broadsheet.billing"
    label = "billing"
    verbose_name = "Plans and subscriptions"
