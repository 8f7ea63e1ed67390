"""Billing's system checks: a site that takes real money must be configured to take it (STYLE habit 12).

`manage.py check` (and every `runserver`, `migrate`, `serve`) fails when

* a live gateway (Razorpay, Stripe) is configured in BROADSHEET_GATEWAYS or
  named as BROADSHEET_DEFAULT_GATEWAY without its API keys and webhook secret:
  checkout would fail for the first reader, and webhooks could not be verified;
* the seller's GSTIN or address is empty with DEBUG off: a tax invoice without
  them is not a valid tax invoice.

The tax identity check is skipped under DEBUG, for the test suite
(BROADSHEET_TESTING=1) and for the demo (BROADSHEET_DEMO=1, whose settings
carry an obviously made-up identity anyway). Settings are read when the check
runs, never at import.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Error, register

from broadsheet.billing import conf

# The settings each live gateway reads (see gateways/razorpay/ and gateways/stripe/).
LIVE_GATEWAY_SETTINGS: dict[str, tuple[str, ...]] = {
    "razorpay": ("RAZORPAY_KEY_ID", "RAZORPAY_KEY_SECRET", "RAZORPAY_WEBHOOK_SECRET"),
    "stripe": ("STRIPE_SECRET_KEY", "STRIPE_WEBHOOK_SECRET"),
}
LIVE_GATEWAY_CLASSES = {name: conf.ADAPTERS[name] for name in LIVE_GATEWAY_SETTINGS}


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


def _live_gateways_in_use() -> set[str]:
    """Live gateways by kind, whatever name the operator gave them in BROADSHEET_GATEWAYS."""
    configured: dict[str, str] = dict(getattr(settings, "BROADSHEET_GATEWAYS", {}) or {})
    used = set()
    for name, path in configured.items():
        for kind, live_path in LIVE_GATEWAY_CLASSES.items():
            if name == kind or path == live_path:
                used.add(kind)
    default = str(getattr(settings, "BROADSHEET_DEFAULT_GATEWAY", "") or "")
    if default in LIVE_GATEWAY_SETTINGS:
        used.add(default)
    return used


@register("billing")
def check_live_gateway_keys(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for kind in sorted(_live_gateways_in_use()):
        missing = [name for name in LIVE_GATEWAY_SETTINGS[kind] if not str(getattr(settings, name, "") or "").strip()]
        if missing:
            errors.append(
                Error(
                    f"The {kind} gateway is configured but {', '.join(missing)} "
                    f"{'is' if len(missing) == 1 else 'are'} not set.",
                    hint=f"Set {', '.join(missing)} in the environment, or remove {kind} from BROADSHEET_GATEWAYS "
                    "(and BROADSHEET_DEFAULT_GATEWAY).",
                    id="billing.E001",
                )
            )
    return errors


def tax_identity_required() -> bool:
    """Only a production-like run (DEBUG off, neither tests nor the demo) must carry a real tax identity."""
    return not (settings.DEBUG or _flag("BROADSHEET_TESTING") or _flag("BROADSHEET_DEMO"))


@register("billing")
def check_seller_tax_identity(app_configs: Sequence[Any] | None = None, **kwargs: Any) -> list[CheckMessage]:
    if not tax_identity_required():
        return []
    missing = [
        name
        for name in ("BROADSHEET_GSTIN", "BROADSHEET_SELLER_ADDRESS")
        if not str(getattr(settings, name, "") or "").strip()
    ]
    if not missing:
        return []
    return [
        Error(
            f"{' and '.join(missing)} {'is' if len(missing) == 1 else 'are'} empty: "
            "GST tax invoices must carry the seller's GSTIN and address.",
            hint="Set them in the environment (BROADSHEET_SELLER_STATE too, if not Maharashtra).",
            id="billing.E002",
        )
    ]
