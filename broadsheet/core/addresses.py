"""Where a request comes from: the client's address behind our proxies, and its coarse network.

Ground floor: the paywall (group licences, crawlers, the anonymous network key), the
readers' devices, the API's limits and the newsletters' sign-up limit all ask this.
"""

from __future__ import annotations

import ipaddress

from django.http import HttpRequest

from broadsheet.core import conf


def client_ip(request: HttpRequest) -> str | None:
    """The reader's address: REMOTE_ADDR, or the entry our proxies appended to the configured header.

    In a list like X-Forwarded-For the left entries are whatever the client sent;
    only the last BROADSHEET_TRUSTED_PROXIES entries were written by our own
    proxies. Trusting the left-most would let anyone claim an organisation's
    network (group licences) or a crawler's address.
    """
    header = conf.client_ip_header()
    if header:
        entries = [e.strip() for e in request.META.get(header, "").split(",") if e.strip()]
        hops = max(conf.trusted_proxies(), 1)
        if len(entries) >= hops:
            return str(entries[-hops])
    return request.META.get("REMOTE_ADDR") or None


def network_of(ip: str | None) -> str:
    """The coarse network an address belongs to: /24 for IPv4, /56 for IPv6."""
    if not ip:
        return "unknown"
    try:
        addr = ipaddress.ip_address(ip)
    except ValueError:
        return "unknown"
    prefix = 24 if addr.version == 4 else 56
    return str(ipaddress.ip_network(f"{addr}/{prefix}", strict=False))
