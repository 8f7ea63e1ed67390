from django.apps import AppConfig


class PaywallConfig(AppConfig):
    name = "broadsheet.paywall"
    label = "paywall"
    verbose_name = "Paywall and meter"
