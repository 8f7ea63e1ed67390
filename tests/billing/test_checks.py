"""Billing's system checks: a site that takes money refuses to start half-configured; tests and the demo run."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

pytestmark = pytest.mark.django_db  # model checks ask the database what it supports
ROOT = Path(__file__).resolve().parents[2]
RAZORPAY = {
    "test": "broadsheet.billing.gateways.offline.gateway.TestGateway",
    "razorpay": "broadsheet.billing.gateways.razorpay.gateway.RazorpayGateway",
}


def _check() -> None:
    call_command("check", verbosity=0)


def _production(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    """DEBUG off, not the test suite, not the demo: what a real site runs as."""
    monkeypatch.delenv("BROADSHEET_TESTING", raising=False)
    monkeypatch.delenv("BROADSHEET_DEMO", raising=False)
    settings.DEBUG = False  # type: ignore[attr-defined]
    settings.SITE_URL_CONFIGURED = True  # type: ignore[attr-defined]
    settings.BROADSHEET_GSTIN = "27AABCB1234C1Z5"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_ADDRESS = "12 Dalal Street, Fort, Mumbai 400001"  # type: ignore[attr-defined]


def test_the_test_settings_pass() -> None:
    _check()


def test_a_live_gateway_without_its_keys_fails_the_check(settings: object) -> None:
    settings.BROADSHEET_GATEWAYS = RAZORPAY  # type: ignore[attr-defined]
    settings.RAZORPAY_KEY_ID = "rzp_live_123"  # type: ignore[attr-defined]
    settings.RAZORPAY_KEY_SECRET = ""  # type: ignore[attr-defined]
    settings.RAZORPAY_WEBHOOK_SECRET = ""  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError) as failed:
        _check()
    text = str(failed.value)
    assert "billing.E001" in text
    assert "razorpay gateway is configured but RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET are not set" in text
    settings.RAZORPAY_KEY_SECRET = "secret"  # type: ignore[attr-defined]
    settings.RAZORPAY_WEBHOOK_SECRET = "whsec"  # type: ignore[attr-defined]
    _check()


def test_stripe_chosen_as_default_needs_its_secrets(settings: object) -> None:
    settings.BROADSHEET_GATEWAYS = {"stripe": "broadsheet.billing.gateways.stripe.gateway.StripeGateway"}  # type: ignore[attr-defined]
    settings.BROADSHEET_DEFAULT_GATEWAY = "stripe"  # type: ignore[attr-defined]
    settings.STRIPE_SECRET_KEY = ""  # type: ignore[attr-defined]
    settings.STRIPE_WEBHOOK_SECRET = ""  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match="STRIPE_SECRET_KEY, STRIPE_WEBHOOK_SECRET are not set"):
        _check()


def test_an_empty_gstin_with_debug_off_fails(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    _production(settings, monkeypatch)
    _check()
    settings.BROADSHEET_GSTIN = ""  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match="BROADSHEET_GSTIN is empty") as failed:
        _check()
    assert "billing.E002" in str(failed.value)
    settings.BROADSHEET_GSTIN = "27AABCB1234C1Z5"  # type: ignore[attr-defined]
    settings.BROADSHEET_SELLER_ADDRESS = " "  # type: ignore[attr-defined]
    with pytest.raises(SystemCheckError, match="BROADSHEET_SELLER_ADDRESS is empty"):
        _check()


def test_debug_or_the_demo_may_run_without_a_tax_identity(settings: object, monkeypatch: pytest.MonkeyPatch) -> None:
    _production(settings, monkeypatch)
    settings.BROADSHEET_GSTIN = ""  # type: ignore[attr-defined]
    settings.DEBUG = True  # type: ignore[attr-defined]
    _check()
    settings.DEBUG = False  # type: ignore[attr-defined]
    monkeypatch.setenv("BROADSHEET_DEMO", "1")
    _check()


def _manage_check(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("BROADSHEET_", "RAZORPAY_", "STRIPE_", "DEBUG"))}
    return subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_manage_py_check_passes_for_the_demo_and_fails_for_keyless_razorpay() -> None:
    demo = _manage_check(BROADSHEET_DEMO="1")
    assert demo.returncode == 0, demo.stderr
    keyless = _manage_check(BROADSHEET_DEMO="1", BROADSHEET_GATEWAYS="test,razorpay")
    assert keyless.returncode != 0
    assert "RAZORPAY_KEY_ID, RAZORPAY_KEY_SECRET, RAZORPAY_WEBHOOK_SECRET are not set" in keyless.stderr
