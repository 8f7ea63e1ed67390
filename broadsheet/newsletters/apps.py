from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "broadsheet.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from allauth.account import signals

        from broadsheet.core import schedule
        from broadsheet.core.kept_pages import page_variant
        from broadsheet.newsletters import conf, subscribers
        from broadsheet.newsletters.pages import signup_box_variant
        from broadsheet.newsletters.sending.periodic import newsletters_tick

        # The worker's periodic round: scheduled issues that are due, sends whose senders died, retries.
        schedule.register("newsletters.tick", every=conf.tick_seconds(), task=newsletters_tick)
        # The box at the end of a story differs by reader: kept story pages are kept per offer.
        page_variant(signup_box_variant)
        # A new account (or a confirmed account address) takes over the newsletters of its address.
        signals.user_signed_up.connect(subscribers.on_account_event, dispatch_uid="newsletters-signed-up")
        signals.email_confirmed.connect(subscribers.on_email_confirmed, dispatch_uid="newsletters-email-confirmed")
