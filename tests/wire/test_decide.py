"""The decision on plain data: hypothesis checks the rules hold for any sequence of arrivals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from broadsheet.wire.decide import Incoming, Known, Outcome, after, decide

incomings = st.builds(
    Incoming,
    guid=st.just("g"),
    version=st.one_of(st.none(), st.integers(0, 5)),
    content_hash=st.sampled_from(["h1", "h2", "h3"]),
    kill=st.booleans(),
)
knowns = st.one_of(
    st.none(),
    st.builds(
        Known,
        version=st.one_of(st.none(), st.integers(0, 5)),
        content_hash=st.sampled_from(["h1", "h2", "h3"]),
        killed=st.booleans(),
    ),
)


@given(incomings, knowns, st.booleans(), st.booleans())
def test_every_item_gets_one_of_the_documented_outcomes(
    inc: Incoming, known: Known | None, seen: bool, auto: bool
) -> None:
    decision = decide(inc, known, content_seen=seen, auto_publish=auto)
    assert decision.outcome in set(Outcome) - {Outcome.QUARANTINED} and decision.reason


@given(incomings, knowns, st.booleans(), st.booleans())
def test_a_story_is_created_only_once(inc: Incoming, known: Known | None, seen: bool, auto: bool) -> None:
    outcome = decide(inc, known, content_seen=seen, auto_publish=auto).outcome
    if known is not None:
        assert outcome not in (Outcome.PUBLISHED, Outcome.QUEUED)
    if outcome in (Outcome.PUBLISHED, Outcome.QUEUED):
        assert outcome is (Outcome.PUBLISHED if auto else Outcome.QUEUED)


@given(incomings, knowns, st.booleans())
def test_the_same_item_twice_is_a_duplicate_the_second_time(inc: Incoming, known: Known | None, auto: bool) -> None:
    first = decide(inc, known, content_seen=False, auto_publish=auto)
    state = after(inc, known, first)
    second = decide(inc, state, content_seen=False, auto_publish=auto)
    assert second.outcome is Outcome.DUPLICATE


@given(st.lists(incomings, max_size=8), st.booleans())
def test_killed_stays_killed_and_versions_never_go_back(arrivals: list[Incoming], auto: bool) -> None:
    state: Known | None = None
    for inc in arrivals:
        before = state
        decision = decide(inc, state, content_seen=False, auto_publish=auto)
        state = after(inc, state, decision)
        if before is not None and before.killed:
            assert decision.outcome is Outcome.DUPLICATE and state == before
        if before is not None and state is not None and before.version is not None and state.version is not None:
            assert state.version >= before.version
        if inc.kill:
            assert state is not None and state.killed


def test_same_content_under_a_new_id_is_a_duplicate() -> None:
    inc = Incoming(guid="new", version=1, content_hash="h", kill=False)
    assert decide(inc, None, content_seen=True, auto_publish=True).outcome is Outcome.DUPLICATE
