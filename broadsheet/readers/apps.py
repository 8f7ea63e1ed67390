from django.apps import AppConfig


class ReadersConfig(AppConfig):
    name = "broadsheet.readers"
    label = "readers"
    verbose_name = "Readers"

    def ready(self) -> None:
        from allauth.account import signals

        from broadsheet.readers import password_events

        # allauth's own hooks for a changed, set or reset password: sign out every other device.
        for signal in (signals.password_changed, signals.password_set, signals.password_reset):
            signal.connect(password_events.on_password_change, dispatch_uid=f"readers-devices-{id(signal)}")
