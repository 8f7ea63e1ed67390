from django.apps import AppConfig


class WireConfig(AppConfig):
    name = "broadsheet.wire"
    label = "wire"
    verbose_name = "Wire desk"

    def ready(self) -> None:
        from broadsheet.core import schedule
        from broadsheet.wire import conf
        from broadsheet.wire.tasks import wire_poll_due

        schedule.register("wire.poll", every=conf.poll_seconds(), task=wire_poll_due)
