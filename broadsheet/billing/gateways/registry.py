"""Payment gateways as backends (STYLE habit 10), chosen by dotted path like EMAIL_BACKEND.

    BROADSHEET_GATEWAYS = {"test": "...TestGateway", "razorpay": "...RazorpayGateway", "stripe": "..."}
    BROADSHEET_DEFAULT_GATEWAY = "test"

Settings are read on each call (billing.conf), never at import time.
"""

from __future__ import annotations

from typing import cast

from django.utils.module_loading import import_string

from broadsheet.billing import conf
from broadsheet.billing.gateways.base import Gateway, UnknownGateway


def configured_gateways() -> dict[str, str]:
    return conf.gateways()


def adapter_class(name: str) -> type[Gateway]:
    """The adapter class of a configured gateway, else the built-in one of that name (an inbox row
    from a gateway since switched off still replays)."""
    path = configured_gateways().get(name) or conf.ADAPTERS.get(name)
    if path is None:
        raise UnknownGateway(f"no gateway {name!r} in BROADSHEET_GATEWAYS")
    return cast(type[Gateway], import_string(path))


def get_gateway(name: str | None = None) -> Gateway:
    """A fresh instance of the named gateway, or of BROADSHEET_DEFAULT_GATEWAY."""
    name = name or conf.default_gateway()
    try:
        path = configured_gateways()[name]
    except KeyError:
        raise UnknownGateway(f"no gateway {name!r} in BROADSHEET_GATEWAYS") from None
    return cast(Gateway, import_string(path)())


__all__ = ["adapter_class", "configured_gateways", "get_gateway"]
