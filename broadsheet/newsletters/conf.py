"""The newsletters' settings, read when used (never at import); defaults live in settings.py alone.

Documented in docs/newsletters.md.
"""

from __future__ import annotations

from django.conf import settings


def batch_size() -> int:
    """Deliveries one sender claims per transaction."""
    return max(1, int(settings.BROADSHEET_NEWSLETTER_BATCH))


def rate_per_second() -> float:
    """Messages per second handed to the relay by all running senders together (0: no limit)."""
    return max(0.0, float(settings.BROADSHEET_NEWSLETTER_RATE))


def senders() -> int:
    """Sender tasks started for one issue: as many workers as run can share it."""
    return max(1, int(settings.BROADSHEET_NEWSLETTER_SENDERS))


def lease_seconds() -> int:
    """A sender silent for this long is taken for dead: its claimed, unsent deliveries go back to the queue."""
    return max(5, int(settings.BROADSHEET_NEWSLETTER_LEASE_SECONDS))


def max_attempts() -> int:
    """Attempts for a delivery the relay refused for now (4xx) before it counts as failed."""
    return max(1, int(settings.BROADSHEET_NEWSLETTER_MAX_ATTEMPTS))


def retry_minutes() -> int:
    return max(1, int(settings.BROADSHEET_NEWSLETTER_RETRY_MINUTES))


def tick_seconds() -> int:
    return max(1, int(settings.BROADSHEET_NEWSLETTER_TICK_SECONDS))


def messages_per_connection() -> int:
    """Messages sent over one SMTP connection before it is closed and opened again."""
    return max(1, int(settings.BROADSHEET_NEWSLETTER_MESSAGES_PER_CONNECTION))


def mailer_alias() -> str:
    """The MAILERS entry newsletters go through: "newsletters" when defined, else "default"."""
    return "newsletters" if "newsletters" in settings.MAILERS else "default"


def bounce_address() -> str:
    """The envelope sender (Return-Path): where relays send delivery status notifications."""
    return str(settings.BROADSHEET_NEWSLETTER_BOUNCE_ADDRESS)


def verp() -> bool:
    """Put the delivery's signed id in the bounce address (bounces+d12-ab34@…), so a DSN names its delivery."""
    return bool(settings.BROADSHEET_NEWSLETTER_VERP)


def confirm_days() -> int:
    """How long a double opt-in confirmation link works."""
    return max(1, int(settings.BROADSHEET_NEWSLETTER_CONFIRM_DAYS))


def confirm_resend_minutes() -> int:
    """At most one confirmation mail per address in this many minutes (sign-up forms are not a mail cannon)."""
    return max(0, int(settings.BROADSHEET_NEWSLETTER_CONFIRM_RESEND_MINUTES))


def signups_per_hour_per_ip() -> int:
    return max(1, int(settings.BROADSHEET_NEWSLETTER_SIGNUPS_PER_HOUR))
