"""Payment gateways as backends (STYLE habit 10), chosen by dotted path like EMAIL_BACKEND.

    BROADSHEET_GATEWAYS = {"test": "...TestGateway", "razorpay": "...RazorpayGateway", "stripe": "..."}
    BROADSHEET_DEFAULT_GATEWAY = "test"

Settings are read on each call, never at import time.
"""

from __future__ import annotations

from typing import cast

from django.conf import settings
from django.utils.module_loading import import_string

from broadsheet.billing.gateways.base import Gateway, UnknownGateway

DEFAULT_GATEWAYS = {"test": "broadsheet.billing.gateways.test_gateway.TestGateway"}


def configured_gateways() -> dict[str, str]:
    return dict(getattr(settings, "BROADSHEET_GATEWAYS", DEFAULT_GATEWAYS))


def get_gateway(name: str | None = None) -> Gateway:
    """A fresh instance of the named gateway, or of BROADSHEET_DEFAULT_GATEWAY."""
    name = name or str(getattr(settings, "BROADSHEET_DEFAULT_GATEWAY", "test"))
    try:
        path = configured_gateways()[name]
    except KeyError:
        raise UnknownGateway(f"no gateway {name!r} in BROADSHEET_GATEWAYS") from None
    return cast(Gateway, import_string(path)())


__all__ = ["configured_gateways", "get_gateway"]
