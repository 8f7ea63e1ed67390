"""Every setting billing reads, each in one place with its one default.

Read on each call, never at import, so a test's override_settings and an operator's
changed environment are both seen. settings.py says where a value comes from (the
environment); this module says what billing does when it is absent. Only the system
checks (checks.py) look at settings themselves, to report what an operator left unset.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings

from broadsheet.billing.rules.lifecycle import DEFAULT_GRACE
from broadsheet.billing.rules.renewal import Policy


def _get(name: str, default: Any) -> Any:
    return getattr(settings, name, default)


def _at_least_one(name: str, default: int) -> int:
    return max(1, int(_get(name, default)))


# --- gateways ------------------------------------------------------------------------

# The adapters billing ships, by name; BROADSHEET_GATEWAYS chooses among them (or names another).
ADAPTERS = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
    "stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway",
}
DEFAULT_GATEWAYS = {"test": ADAPTERS["test"]}
OFFLINE_PAGE_PATH = "/billing/test-gateway/"
RAZORPAY_CHECKOUT_PATH = "/billing/razorpay/checkout/"


def gateways() -> dict[str, str]:
    """Gateway name -> dotted path of its adapter class."""
    return dict(_get("BROADSHEET_GATEWAYS", DEFAULT_GATEWAYS))


def default_gateway() -> str:
    return str(_get("BROADSHEET_DEFAULT_GATEWAY", "test"))


def offline_secret() -> str:
    """The offline gateway's webhook secret; empty means derive one from SECRET_KEY."""
    return str(_get("BROADSHEET_TEST_GATEWAY_SECRET", "") or "")


def offline_page_path() -> str:
    return str(_get("BROADSHEET_TEST_GATEWAY_PATH", OFFLINE_PAGE_PATH))


def razorpay_key_id() -> str:
    return str(_get("RAZORPAY_KEY_ID", ""))


def razorpay_key_secret() -> str:
    return str(_get("RAZORPAY_KEY_SECRET", ""))


def razorpay_webhook_secret() -> str:
    return str(_get("RAZORPAY_WEBHOOK_SECRET", ""))


def razorpay_checkout_path() -> str:
    return str(_get("BROADSHEET_RAZORPAY_CHECKOUT_PATH", RAZORPAY_CHECKOUT_PATH))


def stripe_secret_key() -> str:
    return str(_get("STRIPE_SECRET_KEY", ""))


def stripe_webhook_secret() -> str:
    return str(_get("STRIPE_WEBHOOK_SECRET", ""))


def webhook_max_bytes() -> int:
    """The largest webhook body accepted; a bigger one is refused before it is read."""
    return int(_get("BROADSHEET_WEBHOOK_MAX_BYTES", 1024 * 1024))


def idempotency_prefix() -> str:
    """Prefixes every idempotency key sent to a gateway, so two sites on one account never collide."""
    return str(_get("BROADSHEET_IDEMPOTENCY_PREFIX", "bs"))


# --- the seller on every tax invoice ---------------------------------------------------


def seller_gstin() -> str:
    return str(_get("BROADSHEET_GSTIN", ""))


def seller_address() -> str:
    return str(_get("BROADSHEET_SELLER_ADDRESS", ""))


def seller_state() -> str:
    return str(_get("BROADSHEET_SELLER_STATE", "Maharashtra"))


# --- lifecycle and renewal timings (docs/renewals.md) ----------------------------------


def grace_period() -> timedelta:
    """How long a past-due subscription keeps its benefits while the renewal is retried."""
    return timedelta(days=int(_get("BROADSHEET_GRACE_DAYS", DEFAULT_GRACE.days)))


def renewal_policy() -> Policy:
    """The timing rules, clamped to the 24 hours of notice the e-mandate rules require."""
    return Policy.clamped(
        notice_hours=int(_get("BROADSHEET_PRE_DEBIT_NOTICE_HOURS", 48)),
        min_notice_hours=int(_get("BROADSHEET_PRE_DEBIT_MIN_HOURS", 24)),
        lead_minutes=int(_get("BROADSHEET_RENEWAL_LEAD_MINUTES", 60)),
    )


def renewal_batch() -> int:
    """Subscriptions claimed per batch of a renewal run."""
    return _at_least_one("BROADSHEET_RENEWAL_BATCH", 500)


def renewal_record_chunk() -> int:
    """Outcomes recorded per transaction: one commit for many, row and invoice-number locks held that long."""
    return _at_least_one("BROADSHEET_RENEWAL_RECORD_CHUNK", 500)


def renewal_gateway_threads() -> int:
    """Charges in flight at once (PostgreSQL only). Raise it for a remote gateway, whose latency then bounds a run."""
    return _at_least_one("BROADSHEET_RENEWAL_GATEWAY_THREADS", 1)


def renewal_shares() -> int:
    """Renewal runs the periodic job splits into, one task each, for that many workers to run at once."""
    return _at_least_one("BROADSHEET_RENEWAL_SHARES", 1)


def renewal_every_seconds() -> int:
    """How often the worker runs the renewals (each run does only what is due)."""
    return _at_least_one("BROADSHEET_RENEWAL_EVERY_SECONDS", 300)


def price_change_notice() -> timedelta:
    """How long after a price change renewals still pay the old price."""
    return timedelta(days=int(_get("BROADSHEET_PRICE_CHANGE_NOTICE_DAYS", 30)))


# --- checkout, offers and gifts --------------------------------------------------------


def offer_hold_minutes() -> int:
    """How long an unpaid checkout holds one use of a limited offer."""
    return int(_get("BROADSHEET_OFFER_HOLD_MINUTES", 30))


def gift_redeem_days() -> int:
    """How long a bought gift code can be redeemed."""
    return int(_get("BROADSHEET_GIFT_REDEEM_DAYS", 365))
