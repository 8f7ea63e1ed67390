"""Group licences: seats taken with a join code, and networks (CIDR) whose readers hold a plan's benefits.

Writes (`seat_take`, `seat_release`) lock the organisation row, so the seat
count can never pass `seats` however many readers join at once.

Reads are on every article request, so they cost no query: the licences are
loaded once per process into a GenerationCache("subscriptions") — every save of
an Organisation, OrganisationNetwork or OrganisationSeat bumps that generation
— keyed also by the "plans" generation, since the benefits come from the plan.
Dates are compared at call time, so a licence starts and ends on the minute
without any write.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from broadsheet.billing import locks
from broadsheet.billing.models import Organisation, OrganisationNetwork, OrganisationSeat
from broadsheet.billing.rules.groups import join_code_normalise
from broadsheet.core import generations
from broadsheet.core.generations import GenerationCache


class GroupRefused(ValueError):
    """A seat that may not be taken or left; `message` is what the reader is told."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# --- writes --------------------------------------------------------------------------------


def _licence_live(org: Organisation, at: datetime) -> bool:
    return org.is_active and org.starts_at <= at < org.ends_at


def seat_take(*, join_code: str, user_id: int, at: datetime) -> OrganisationSeat:
    """Give the reader a seat in the organisation with this join code; their own seat again if they hold one.

    Raises GroupRefused for an unknown code, a licence not running now, or no
    seat left.
    """
    code = join_code_normalise(join_code)
    if not code:
        raise GroupRefused("Please enter your organisation's join code.")
    with transaction.atomic():
        org = locks.organisation_lock(join_code=code)
        if org is None:
            raise GroupRefused("We don't recognise that join code. Please check it with your organisation.")
        if not _licence_live(org, at):
            raise GroupRefused(f"{org.name}'s licence is not active at the moment.")
        held = OrganisationSeat.objects.filter(organisation=org, user_id=user_id).first()
        if held is not None:
            return held
        if OrganisationSeat.objects.filter(organisation=org).count() >= org.seats:
            raise GroupRefused(f"All {org.seats} seats of {org.name} are taken. Ask your administrator to free one.")
        return OrganisationSeat.objects.create(organisation=org, user_id=user_id, taken_at=at)


def seat_release(*, organisation_id: int, user_id: int) -> bool:
    """Free the reader's seat (the reader leaving, or staff releasing it); False if they held none."""
    with transaction.atomic():
        locks.organisation_lock(pk=organisation_id)
        seat = OrganisationSeat.objects.filter(organisation_id=organisation_id, user_id=user_id).first()
        if seat is None:
            return False
        seat.delete()  # bumps "subscriptions": every process drops the reader's cached benefits
        return True


# --- reads -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Licence:
    organisation_id: int
    starts_at: datetime
    ends_at: datetime
    codes: frozenset[str]

    def covers(self, at: datetime) -> bool:
        return self.starts_at <= at < self.ends_at


@dataclass(frozen=True, slots=True)
class _Networks:
    v4: tuple[tuple[ipaddress.IPv4Network, Licence], ...]
    v6: tuple[tuple[ipaddress.IPv6Network, Licence], ...]


_seats: GenerationCache[tuple[Licence, ...]] = GenerationCache("subscriptions", maxsize=50_000)
_networks: GenerationCache[_Networks] = GenerationCache("subscriptions", maxsize=4)


def _licences(org_ids: set[int]) -> dict[int, Licence]:
    orgs = Organisation.objects.filter(pk__in=org_ids, is_active=True).prefetch_related("plan__benefits")
    return {
        org.pk: Licence(org.pk, org.starts_at, org.ends_at, frozenset(b.code for b in org.plan.benefits.all()))
        for org in orgs
    }


def organisation_benefits_for_users(*, user_ids: list[int], at: datetime) -> dict[int, frozenset[str]]:
    """`organisation_benefits_for_user` for many readers in two queries (newsletter sends).

    Readers without seats are left out of the answer.
    """
    seats: dict[int, set[int]] = {}
    rows = OrganisationSeat.objects.filter(user_id__in=user_ids).values_list("user_id", "organisation_id")
    for user_id, org_id in rows:
        seats.setdefault(user_id, set()).add(org_id)
    if not seats:
        return {}
    licences = _licences(set().union(*seats.values()))
    out: dict[int, frozenset[str]] = {}
    for user_id, org_ids in seats.items():
        codes = frozenset().union(*(licences[o].codes for o in org_ids if o in licences and licences[o].covers(at)))
        if codes:
            out[user_id] = codes
    return out


def _seats_load(user_id: int) -> tuple[Licence, ...]:
    org_ids = set(OrganisationSeat.objects.filter(user_id=user_id).values_list("organisation_id", flat=True))
    return tuple(_licences(org_ids).values()) if org_ids else ()


def organisation_benefits_for_user(*, user_id: int, at: datetime) -> frozenset[str]:
    """The benefits the reader holds through organisation seats at `at` (cached per process)."""
    key = (user_id, generations.current("plans"))
    held = _seats.get(key, lambda: _seats_load(user_id))
    codes: set[str] = set()
    for licence in held:
        if licence.covers(at):
            codes |= licence.codes
    return frozenset(codes)


def organisation_benefits_until(*, user_id: int, at: datetime) -> dict[str, datetime]:
    """Each benefit the reader's organisation seats grant at `at`, and when that licence ends."""
    until: dict[str, datetime] = {}
    for licence in _seats.get((user_id, generations.current("plans")), lambda: _seats_load(user_id)):
        if licence.covers(at):
            for code in licence.codes:
                until[code] = max(until.get(code, licence.ends_at), licence.ends_at)
    return until


def _networks_load() -> _Networks:
    rows = list(OrganisationNetwork.objects.filter(organisation__is_active=True).values_list("organisation_id", "cidr"))
    licences = _licences({org_id for org_id, _ in rows})
    v4: list[tuple[ipaddress.IPv4Network, Licence]] = []
    v6: list[tuple[ipaddress.IPv6Network, Licence]] = []
    for org_id, cidr in rows:
        try:
            network = ipaddress.ip_network(cidr.strip(), strict=False)
        except ValueError:
            continue  # refused by the admin's validation; a row written around it grants nothing
        if org_id in licences:
            if isinstance(network, ipaddress.IPv4Network):
                v4.append((network, licences[org_id]))
            else:
                v6.append((network, licences[org_id]))
    return _Networks(tuple(v4), tuple(v6))


def _address(ip: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    if not ip:
        return None
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return None
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped is not None:
        return addr.ipv4_mapped  # "::ffff:203.0.113.7" from a dual-stack socket is an IPv4 reader
    return addr


def network_benefits(*, ip: str | None, at: datetime) -> frozenset[str]:
    """The benefits every reader at address `ip` holds through an organisation's network, at `at`."""
    addr = _address(ip)
    if addr is None:
        return frozenset()
    table = _networks.get(("networks", generations.current("plans")), _networks_load)
    pairs = table.v4 if isinstance(addr, ipaddress.IPv4Address) else table.v6
    codes: set[str] = set()
    for network, licence in pairs:
        if addr in network and licence.covers(at):
            codes |= licence.codes
    return frozenset(codes)


@dataclass(frozen=True, slots=True)
class SeatHeld:
    organisation_id: int
    name: str
    ends_at: datetime
    live: bool


def seats_held_by(*, user_id: int, at: datetime) -> list[SeatHeld]:
    """The reader's seats, for the account page."""
    seats = OrganisationSeat.objects.filter(user_id=user_id).select_related("organisation").order_by("taken_at")
    return [
        SeatHeld(s.organisation_id, s.organisation.name, s.organisation.ends_at, _licence_live(s.organisation, at))
        for s in seats
    ]


def seats_used(*, organisation_id: int) -> int:
    return OrganisationSeat.objects.filter(organisation_id=organisation_id).count()
