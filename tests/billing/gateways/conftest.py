"""Gateway tests run offline: any attempt to open a socket fails the test."""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest

from broadsheet.billing.gateways.base import CheckoutRequest


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("gateway tests must not touch the network")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    yield


@pytest.fixture
def checkout_request() -> CheckoutRequest:
    return CheckoutRequest(
        idempotency_key="checkout:sub-42:p0",
        amount_minor=270_000,
        currency="INR",
        customer_email="reader@example.com",
        customer_name="A Reader",
        plan_code="smart-essential",
        description="Smart Essential, 12 months",
        return_url="https://news.example.com/billing/return/",
        cancel_url="https://news.example.com/billing/cancel/",
        metadata={"subscription_id": "42"},
    )
