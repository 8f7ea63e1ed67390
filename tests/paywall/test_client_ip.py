"""The client address behind a proxy: only what our own proxies appended is trusted."""

from __future__ import annotations

from typing import Any

from django.test import RequestFactory

from broadsheet.core.addresses import client_ip


def _request(**meta: str) -> Any:
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", **meta)


def test_without_a_header_setting_the_socket_address_is_used(settings: Any) -> None:
    settings.BROADSHEET_CLIENT_IP_HEADER = ""
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9")) == "10.0.0.2"


def test_a_forged_left_entry_is_ignored(settings: Any) -> None:
    settings.BROADSHEET_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.BROADSHEET_TRUSTED_PROXIES = 1
    # The client claims an organisation's address; our proxy appended the real one.
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")) == "198.51.100.7"


def test_two_trusted_proxies_take_the_second_entry_from_the_right(settings: Any) -> None:
    settings.BROADSHEET_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.BROADSHEET_TRUSTED_PROXIES = 2
    forwarded = "203.0.113.9, 198.51.100.7, 10.1.1.1"
    assert client_ip(_request(HTTP_X_FORWARDED_FOR=forwarded)) == "198.51.100.7"


def test_a_header_shorter_than_the_proxy_chain_falls_back_to_the_socket(settings: Any) -> None:
    settings.BROADSHEET_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.BROADSHEET_TRUSTED_PROXIES = 2
    assert client_ip(_request(HTTP_X_FORWARDED_FOR="198.51.100.7")) == "10.0.0.2"
