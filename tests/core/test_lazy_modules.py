"""Heavy libraries stay out of a web worker until something uses them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from broadsheet.core.lazy_modules import lazy_module

# What a web worker does at start (gunicorn loads broadsheet.wsgi, the first request the URLconf),
# then which of the heavy libraries really ran: a lazy module is in sys.modules before its first use,
# but its own submodules and dependencies are not.
WORKER_START = """
import sys
from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver
get_wsgi_application()
get_resolver().url_patterns
heavy = ("fpdf.fpdf", "fontTools", "pypdfium2_raw", "razorpay.client", "urllib3", "feedparser.api")
print(" ".join(name for name in heavy if name in sys.modules))
"""


def test_a_web_worker_starts_without_the_pdf_libraries_the_gateway_sdk_and_the_feed_parser(tmp_path: Path) -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "broadsheet.settings", "BROADSHEET_DATA_DIR": str(tmp_path)}
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", WORKER_START], env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_the_invoice_pdf_still_loads_fpdf_when_it_is_first_used() -> None:
    fpdf = lazy_module("fpdf")
    document = fpdf.FPDF(format="A4")  # the first attribute read runs the library's import
    document.add_page()
    assert bytes(document.output()).startswith(b"%PDF-")
    assert "fpdf.fpdf" in sys.modules


def test_lazy_module_refuses_a_submodule_and_an_unknown_name() -> None:
    with pytest.raises(ValueError, match="top-level"):
        lazy_module("fpdf.enums")
    with pytest.raises(ModuleNotFoundError):
        lazy_module("no_such_library_here")


SUBMODULE_FIRST = """
import gc
from broadsheet.core.lazy_modules import lazy_module
razorpay = lazy_module("razorpay")
import razorpay.errors as errors  # another module's own import, before the first use
assert razorpay.errors.SignatureVerificationError is errors.SignatureVerificationError
try:
    razorpay.Utility().verify_webhook_signature("{}", "forged", "secret")
except errors.SignatureVerificationError:
    pass
copies = [o for o in gc.get_objects() if getattr(o, "__name__", None) == "SignatureVerificationError"]
print(len(copies))
"""


def test_a_submodule_imported_before_the_first_use_runs_once() -> None:
    # One copy of the library's classes, so an `except` on the SDK's error catches what the SDK raises.
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", SUBMODULE_FIRST], capture_output=True, text=True, timeout=120, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "1"
