from __future__ import annotations

from typing import Any

import pytest

from broadsheet.billing.gateways.base import CheckoutRequest, Gateway, UnknownGateway
from broadsheet.billing.gateways.offline.gateway import TestGateway
from broadsheet.billing.gateways.razorpay.gateway import RazorpayGateway
from broadsheet.billing.gateways.registry import get_gateway
from broadsheet.billing.gateways.stripe.gateway import StripeGateway


def test_default_gateway_is_the_offline_test_gateway() -> None:
    assert isinstance(get_gateway(), TestGateway)


def test_gateways_are_chosen_by_dotted_path(settings: Any) -> None:
    settings.BROADSHEET_GATEWAYS = {
        "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
        "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
        "stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway",
    }
    settings.BROADSHEET_DEFAULT_GATEWAY = "stripe"
    assert isinstance(get_gateway(), StripeGateway)
    assert isinstance(get_gateway("razorpay"), RazorpayGateway)


def test_an_unconfigured_gateway_is_refused() -> None:
    with pytest.raises(UnknownGateway):
        get_gateway("razorpay")


def test_every_implementation_satisfies_the_protocol() -> None:
    for gateway in (TestGateway(), RazorpayGateway(client=object()), StripeGateway(api_key="sk_test_x")):
        assert isinstance(gateway, Gateway)


@pytest.mark.parametrize("amount", [0, -1, 10.5, True])
def test_amounts_are_positive_integer_paise(amount: object) -> None:
    with pytest.raises(ValueError, match="amount_minor"):
        CheckoutRequest("k", amount, "INR", "a@example.com", "A", "p", "d", "/r", "/c")  # type: ignore[arg-type]


def test_currency_is_an_upper_case_iso_code() -> None:
    with pytest.raises(ValueError, match="currency"):
        CheckoutRequest("k", 100, "inr", "a@example.com", "A", "p", "d", "/r", "/c")
