"""The device rules on plain data (no database): LRU eviction and the sharing verdict."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.readers import device_rules as rules

T0 = datetime(2026, 1, 1, tzinfo=UTC)
seconds = st.integers(min_value=0, max_value=7 * 24 * 3600)


@st.composite
def device_sets(draw: st.DrawFn) -> tuple[list[rules.DeviceSeen], int]:
    offsets = draw(st.lists(seconds, min_size=1, max_size=12))
    found = [rules.DeviceSeen(i + 1, T0 + timedelta(seconds=s)) for i, s in enumerate(offsets)]
    keep = draw(st.sampled_from(found)).id
    return found, keep


@given(device_sets(), st.integers(min_value=-1, max_value=10))
def test_eviction_keeps_the_new_device_and_drops_only_the_least_recently_used(
    case: tuple[list[rules.DeviceSeen], int], limit: int
) -> None:
    found, keep = case
    evicted = rules.devices_to_evict(found, limit=limit, keep=keep)
    remaining = [d for d in found if d.id not in evicted]
    assert keep not in evicted and len(set(evicted)) == len(evicted)
    assert len(remaining) == min(len(found), max(1, limit))
    if evicted:
        newest_evicted = max((d.last_seen, d.id) for d in found if d.id in evicted)
        assert all((d.last_seen, d.id) > newest_evicted for d in remaining if d.id != keep)
    assert rules.over_limit(len(found), limit=limit) == bool(evicted)


def brute_force_networks(sightings: list[rules.Sighting], window: timedelta) -> int:
    known = [s for s in sightings if s.network != rules.UNKNOWN_NETWORK]
    return max(
        (len({t.network for t in known if s.seen_at <= t.seen_at <= s.seen_at + window}) for s in known), default=0
    )


sightings_strategy = st.lists(
    st.builds(
        rules.Sighting,
        st.sampled_from(["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24", "10.0.3.0/24", "10.0.4.0/24", "unknown"]),
        st.builds(lambda s: T0 + timedelta(seconds=s), seconds),
    ),
    max_size=40,
)


@given(sightings_strategy, st.integers(min_value=1, max_value=48), st.integers(min_value=1, max_value=6))
def test_sharing_verdict_counts_the_most_networks_in_any_window(
    sightings: list[rules.Sighting], hours: int, threshold: int
) -> None:
    window = timedelta(hours=hours)
    verdict = rules.sharing_verdict(sightings, window=window, threshold=threshold)
    assert verdict.networks == brute_force_networks(sightings, window)
    assert verdict.flagged == (verdict.networks >= threshold)
    if verdict.flagged:
        assert verdict.window_start is not None and verdict.window_end is not None
        assert verdict.window_end - verdict.window_start <= window


def test_six_networks_spread_over_two_days_are_not_one_window() -> None:
    spread = [rules.Sighting(f"10.0.{i}.0/24", T0 + timedelta(hours=10 * i)) for i in range(6)]
    assert not rules.sharing_verdict(spread, window=timedelta(hours=24), threshold=6).flagged
    close = [rules.Sighting(f"10.0.{i}.0/24", T0 + timedelta(hours=i)) for i in range(6)]
    assert rules.sharing_verdict(close, window=timedelta(hours=24), threshold=6).flagged


def test_touch_is_due_only_when_stale() -> None:
    assert rules.touch_due(None, now=100.0, interval=300)
    assert not rules.touch_due(100.0, now=399.0, interval=300)
    assert rules.touch_due(100.0, now=400.0, interval=300)
