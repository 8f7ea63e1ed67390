"""Verifying that a request claiming to be Googlebot really comes from Google.

A user-agent string is free to forge. Google's documented check is a reverse
DNS lookup of the client IP, whose name must end in googlebot.com or
google.com, followed by a forward lookup of that name that must return the
same IP. The answer is cached per IP for a day; the resolver is injectable.
"""

from __future__ import annotations

import socket
from typing import Protocol

from django.core.cache import cache
from django.utils.module_loading import import_string

from broadsheet.paywall import conf

CRAWLER_TOKENS = ("googlebot", "google-inspectiontool", "googleother")
GOOGLE_DOMAINS = (".googlebot.com", ".google.com")
CACHE_SECONDS = 24 * 3600


class Resolver(Protocol):
    def reverse(self, ip: str) -> str | None: ...

    def forward(self, name: str) -> set[str]: ...


class SystemResolver:
    """The operating system's resolver (blocking; results are cached)."""

    def reverse(self, ip: str) -> str | None:
        try:
            return socket.gethostbyaddr(ip)[0]
        except (OSError, UnicodeError):
            return None

    def forward(self, name: str) -> set[str]:
        try:
            infos = socket.getaddrinfo(name, None)
        except (OSError, UnicodeError):
            return set()
        return {str(info[4][0]) for info in infos}


def claims_to_be_crawler(user_agent: str) -> bool:
    ua = user_agent.lower()
    return any(token in ua for token in CRAWLER_TOKENS)


def is_google_host(name: str) -> bool:
    host = name.lower().rstrip(".")
    return any(host.endswith(domain) for domain in GOOGLE_DOMAINS)


def verify_ip(ip: str, resolver: Resolver) -> bool:
    """Pure check with the given resolver: reverse, domain, forward, same IP."""
    name = resolver.reverse(ip)
    if not name or not is_google_host(name):
        return False
    return ip in resolver.forward(name)


def _resolver() -> Resolver:
    resolver: Resolver = import_string(conf.dns_resolver())()
    return resolver


def is_verified_crawler(user_agent: str, ip: str | None) -> bool:
    """True only for a crawler user agent whose IP passes the DNS check (cached)."""
    if not ip or not claims_to_be_crawler(user_agent):
        return False
    key = f"crawler-ip:{ip}"
    cached = cache.get(key)
    if cached is not None:
        return bool(cached)
    verdict = verify_ip(ip, _resolver())
    cache.set(key, verdict, CACHE_SECONDS)
    return verdict
