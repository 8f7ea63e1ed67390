"""What a group licence accepts as typed: a network (CIDR) and a join code. Pure: the model's
clean() and the seat service both read these, so neither imports the other."""

from __future__ import annotations

import ipaddress

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


def cidr_parse(raw: str) -> IPNetwork:
    """A network from "203.0.113.0/24" or "2001:db8::/48"; ValueError with a plain reason otherwise.

    Host bits are refused rather than silently dropped: "10.0.0.1/8" is almost
    always a typing slip, and guessing would open the licence to a range
    nobody agreed to.
    """
    text = raw.strip()
    if not text:
        raise ValueError("Enter an IP range such as 203.0.113.0/24 or 2001:db8::/48.")
    try:
        return ipaddress.ip_network(text, strict=True)
    except ValueError:
        pass
    try:
        loose = ipaddress.ip_network(text, strict=False)
    except ValueError:
        raise ValueError(f"{text!r} is not an IPv4 or IPv6 range (CIDR), e.g. 203.0.113.0/24.") from None
    raise ValueError(f"{text} has host bits set; the range it names starts at {loose}. Enter {loose}.")


def join_code_normalise(raw: str) -> str:
    return "".join(raw.split()).upper()
