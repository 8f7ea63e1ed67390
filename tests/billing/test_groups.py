"""Group licences: seats under their limit, IP ranges that open stories, never a leak to outsiders."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from broadsheet.billing.entitlements import benefits_of
from broadsheet.billing.groups.services import GroupRefused, network_benefits, seat_release, seat_take
from broadsheet.billing.models import Organisation, OrganisationNetwork, OrganisationSeat
from broadsheet.newsroom.models import Article
from broadsheet.readers.models import User
from tests import factories as f

pytestmark = pytest.mark.django_db


def _org(*, seats: int = 2, code: str = "CAMPUS-2027", days: int = 30, cidrs: tuple[str, ...] = ()) -> Organisation:
    now = timezone.now()
    org = Organisation.objects.create(
        name="Pune Institute of Journalism",
        plan=f.premium_plan(),
        seats=seats,
        join_code=code,
        starts_at=now - timedelta(days=1),
        ends_at=now + timedelta(days=days),
    )
    for cidr in cidrs:
        OrganisationNetwork.objects.create(organisation=org, cidr=cidr)
    return org


@pytest.fixture
def premium() -> f.Story:
    f.publication()
    f.demo_plans()
    return f.story(access=Article.Access.PREMIUM)


def _body(story: f.Story, *, user: User | None = None, ip: str = "198.51.100.20") -> str:
    client = Client(REMOTE_ADDR=ip)
    if user is not None:
        client.force_login(user)
    return client.get(story.url).content.decode()


def _opened(body: str, story: f.Story) -> bool:
    return all(tok in body for tok in story.tokens)


def _no_locked_text(body: str, story: f.Story) -> bool:
    return not [tok for tok in story.locked_tokens if tok in body]


def test_a_seat_holder_reads_premium_text_and_a_non_holder_does_not(premium: f.Story) -> None:
    _org()
    holder, outsider = f.reader(), f.reader()
    seat_take(join_code="campus-2027", user_id=holder.pk, at=timezone.now())
    assert _opened(_body(premium, user=holder), premium)
    outside = _body(premium, user=outsider)
    assert _no_locked_text(outside, premium)


def test_seats_never_pass_their_number_and_a_full_licence_says_so(premium: f.Story) -> None:
    org = _org(seats=1)
    first, second = f.reader(), f.reader()
    seat_take(join_code=org.join_code, user_id=first.pk, at=timezone.now())
    assert seat_take(join_code=org.join_code, user_id=first.pk, at=timezone.now()).user_id == first.pk  # again: same
    with pytest.raises(GroupRefused, match="All 1 seats"):
        seat_take(join_code=org.join_code, user_id=second.pk, at=timezone.now())
    assert list(OrganisationSeat.objects.values_list("user_id", flat=True)) == [first.pk]
    assert benefits_of(user_id=second.pk, at=timezone.now()) == frozenset()


def test_unknown_code_and_ended_licence_are_refused(premium: f.Story) -> None:
    org = _org()
    user = f.reader()
    with pytest.raises(GroupRefused, match="don't recognise"):
        seat_take(join_code="NOPE", user_id=user.pk, at=timezone.now())
    with pytest.raises(GroupRefused, match="not active"):
        seat_take(join_code=org.join_code, user_id=user.pk, at=org.ends_at)
    assert not OrganisationSeat.objects.exists()


def test_joining_and_leaving_from_the_account_page(premium: f.Story) -> None:
    org = _org()
    reader = f.reader()
    client = Client()
    client.force_login(reader)
    account = client.get("/account/").content.decode()
    assert "Redeem a gift code" in account and "Join your organisation" in account
    assert "{{" not in account and "{%" not in account
    assert client.post("/billing/groups/join/", {"join_code": "CAMPUS-2027"}).status_code == 302
    assert org.name in client.get("/account/").content.decode()
    assert "premium" in benefits_of(user_id=reader.pk, at=timezone.now())
    refused = client.post("/billing/groups/join/", {"join_code": "WRONG"})
    assert refused.status_code == 400 and "recognise that join code" in refused.content.decode()
    assert client.post(f"/billing/groups/{org.pk}/leave/").status_code == 302
    assert not OrganisationSeat.objects.exists()
    assert benefits_of(user_id=reader.pk, at=timezone.now()) == frozenset()
    assert _no_locked_text(_body(premium, user=reader), premium)


def test_staff_release_a_seat(premium: f.Story) -> None:
    org = _org()
    reader = f.reader()
    seat_take(join_code=org.join_code, user_id=reader.pk, at=timezone.now())
    assert seat_release(organisation_id=org.pk, user_id=reader.pk) is True
    assert seat_release(organisation_id=org.pk, user_id=reader.pk) is False
    assert benefits_of(user_id=reader.pk, at=timezone.now()) == frozenset()


def test_an_anonymous_reader_inside_the_range_reads_and_one_outside_meets_the_paywall(premium: f.Story) -> None:
    _org(cidrs=("203.0.113.0/24",))
    inside = Client(REMOTE_ADDR="203.0.113.77").get(premium.url)
    assert _opened(inside.content.decode(), premium)
    cache_control = inside["Cache-Control"]
    assert "private" in cache_control and "public" not in cache_control  # a campus page is never shared
    assert "Cookie" in inside["Vary"]
    outside = _body(premium, ip="203.0.114.77")
    assert "This is a premium story" in outside
    assert _no_locked_text(outside, premium)


def test_ipv6_ranges_and_ipv4_mapped_addresses(premium: f.Story) -> None:
    _org(cidrs=("2001:db8:10::/48", "192.0.2.0/25"))
    assert _opened(_body(premium, ip="2001:db8:10:ffff::1"), premium)
    assert _no_locked_text(_body(premium, ip="2001:db8:11::1"), premium)
    assert _opened(_body(premium, ip="::ffff:192.0.2.5"), premium)  # IPv4 seen through a dual-stack socket
    assert _no_locked_text(_body(premium, ip="192.0.2.200"), premium)


def test_a_registered_reader_on_the_network_holds_its_benefits_too(premium: f.Story) -> None:
    _org(cidrs=("10.20.0.0/16",))
    assert _opened(_body(premium, user=f.reader(), ip="10.20.3.4"), premium)


def test_an_expired_or_inactive_organisation_grants_nothing(premium: f.Story) -> None:
    org = _org(cidrs=("203.0.113.0/24",))
    holder = f.reader()
    seat_take(join_code=org.join_code, user_id=holder.pk, at=timezone.now())
    after = org.ends_at
    assert network_benefits(ip="203.0.113.9", at=after) == frozenset()
    assert benefits_of(user_id=holder.pk, at=after) == frozenset()
    org.ends_at = timezone.now() - timedelta(minutes=1)
    org.save()
    assert _no_locked_text(_body(premium, ip="203.0.113.9"), premium)
    assert _no_locked_text(_body(premium, user=holder), premium)
    org.ends_at = timezone.now() + timedelta(days=1)
    org.is_active = False
    org.save()
    assert _no_locked_text(_body(premium, ip="203.0.113.9"), premium)
    assert _no_locked_text(_body(premium, user=holder), premium)


def test_reading_on_the_hot_path_queries_no_licence_table(premium: f.Story) -> None:
    org = _org(cidrs=("203.0.113.0/24",))
    holder = f.reader()
    seat_take(join_code=org.join_code, user_id=holder.pk, at=timezone.now())
    client = Client(REMOTE_ADDR="203.0.113.8")
    client.force_login(holder)
    client.get(premium.url)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert _opened(client.get(premium.url).content.decode(), premium)
    assert not [q["sql"] for q in queries.captured_queries if "billing_organisation" in q["sql"]]


def test_cidr_validation_refuses_host_bits_and_junk() -> None:
    f.publication()
    licence = _org()
    for bad, reason in [
        ("10.0.0.1/8", "host bits set; the range it names starts at 10.0.0.0/8"),
        ("2001:db8::1/32", "host bits set"),
        ("10.0.0.0/33", "not an IPv4 or IPv6 range"),
        ("campus wifi", "not an IPv4 or IPv6 range"),
        ("", "Enter an IP range"),
    ]:
        with pytest.raises(ValidationError) as refused:
            OrganisationNetwork(organisation=licence, cidr=bad).full_clean()
        assert reason in str(refused.value.message_dict["cidr"])
    good = OrganisationNetwork(organisation=licence, cidr=" 2001:DB8::/32 ")
    good.full_clean()
    assert good.cidr == "2001:db8::/32"


def test_the_admin_shows_seats_used_and_left_and_refuses_a_bad_range(premium: f.Story) -> None:
    org = _org(seats=5)
    seat_take(join_code=org.join_code, user_id=f.reader().pk, at=timezone.now())
    staff = Client()
    staff.force_login(f.reader(is_staff=True, is_superuser=True))
    listing = staff.get("/admin/billing/organisation/").content.decode()
    assert '<td class="field-seats_used">1</td>' in listing and '<td class="field-seats_left">4</td>' in listing
    page = f"/admin/billing/organisation/{org.pk}/change/"
    form = {
        "name": org.name,
        "plan": org.plan_id,
        "seats": 5,
        "join_code": org.join_code,
        "starts_at_0": org.starts_at.strftime("%Y-%m-%d"),
        "starts_at_1": "00:00:00",
        "ends_at_0": org.ends_at.strftime("%Y-%m-%d"),
        "ends_at_1": "00:00:00",
        "is_active": "on",
        "networks-TOTAL_FORMS": 1,
        "networks-INITIAL_FORMS": 0,
        "networks-0-cidr": "10.0.0.1/8",
        "networks-0-note": "library",
        "seat_holders-TOTAL_FORMS": 1,
        "seat_holders-INITIAL_FORMS": 1,
        "seat_holders-0-id": OrganisationSeat.objects.get().pk,
        "seat_holders-0-organisation": org.pk,
    }
    response = staff.post(page, form)
    assert response.status_code == 200
    assert "host bits set" in response.content.decode()
    assert not OrganisationNetwork.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_parallel_takers_get_exactly_the_number_of_seats() -> None:
    f.publication()
    seats = 3
    org = _org(seats=seats)
    takers = [f.reader() for _ in range(seats + 3)]
    barrier = threading.Barrier(len(takers))

    def take(user: User) -> bool:
        barrier.wait()
        try:
            seat_take(join_code=org.join_code, user_id=user.pk, at=timezone.now())
            return True
        except GroupRefused:
            return False
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=len(takers)) as pool:
        won = list(pool.map(take, takers))
    assert sum(won) == seats
    assert OrganisationSeat.objects.filter(organisation=org).count() == seats
