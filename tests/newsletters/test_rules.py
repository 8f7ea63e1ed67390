"""The newsletters' rules on plain data."""

from __future__ import annotations

import pytest

from broadsheet.newsletters import rules
from broadsheet.newsletters.rules import Audience, IssueEvent, IssueStatus, RecipientFacts, RecipientKind


def facts(registered: bool = True, benefits: tuple[str, ...] = (), **kw: bool) -> RecipientFacts:
    return RecipientFacts(registered=registered, benefits=frozenset(benefits), **kw)


@pytest.mark.parametrize(
    ("audience", "benefit", "recipient", "expected"),
    [
        (Audience.ANYONE, None, facts(registered=False), True),
        (Audience.ANYONE, None, facts(registered=False, confirmed=False), False),
        (Audience.ANYONE, None, facts(bounced=True), False),
        (Audience.REGISTERED, None, facts(registered=False), False),
        (Audience.REGISTERED, None, facts(), True),
        (Audience.BENEFIT, "newsletters", facts(), False),
        (Audience.BENEFIT, "newsletters", facts(benefits=("premium",)), False),
        (Audience.BENEFIT, "newsletters", facts(benefits=("newsletters",)), True),
        (Audience.BENEFIT, "newsletters", facts(registered=False, benefits=("newsletters",)), False),
    ],
)
def test_who_may_receive_a_list(
    audience: Audience, benefit: str | None, recipient: RecipientFacts, expected: bool
) -> None:
    assert rules.may_receive(audience=audience, benefit=benefit, recipient=recipient) is expected


def test_a_kind_keeps_only_the_benefits_that_change_a_story() -> None:
    kind = rules.kind_of(registered=True, benefits=frozenset({"premium", "ad_free"}), relevant=frozenset({"premium"}))
    assert kind == RecipientKind(registered=True, benefits=frozenset({"premium"}))
    assert RecipientKind.from_key(kind.key) == kind
    assert (
        rules.kind_of(registered=False, benefits=frozenset({"premium"}), relevant=frozenset({"premium"})).key
        == "address"
    )


def test_issue_life_is_a_table_and_anything_else_is_refused() -> None:
    assert rules.issue_transition(IssueStatus.DRAFT, IssueEvent.SEND) is IssueStatus.SENDING
    assert rules.issue_transition(IssueStatus.SENDING, IssueEvent.STOP) is IssueStatus.PAUSED
    assert rules.issue_transition(IssueStatus.PAUSED, IssueEvent.RESUME) is IssueStatus.SENDING
    for status, event in [
        (IssueStatus.SENT, IssueEvent.STOP),
        (IssueStatus.DRAFT, IssueEvent.RESUME),
        (IssueStatus.CANCELLED, IssueEvent.SEND),
    ]:
        with pytest.raises(rules.TransitionError):
            rules.issue_transition(status, event)


@pytest.mark.parametrize(
    ("action", "status", "hard"),
    [
        ("failed", "5.1.1", True),
        ("Failed", " 5.2.2", True),
        ("failed", "4.4.7", False),
        ("delayed", "4.4.1", False),
        ("delivered", "2.0.0", False),
    ],
)
def test_only_a_permanent_failure_is_a_hard_bounce(action: str, status: str, hard: bool) -> None:
    assert rules.dsn_is_hard(action=action, status=status) is hard


def test_smtp_replies() -> None:
    assert rules.smtp_outcome(250) is rules.SmtpOutcome.ACCEPTED
    assert rules.smtp_outcome(550) is rules.SmtpOutcome.PERMANENT
    assert rules.smtp_outcome(451) is rules.SmtpOutcome.TEMPORARY


def test_pacing_shares_the_rate_among_senders() -> None:
    assert rules.pace_delay(rate=0, senders=1, sent_since_start=1000, elapsed=0.1) == 0
    assert rules.pace_delay(rate=10, senders=1, sent_since_start=10, elapsed=0.5) == pytest.approx(0.5)
    assert rules.pace_delay(rate=10, senders=2, sent_since_start=10, elapsed=0.5) == pytest.approx(1.5)
    assert rules.pace_delay(rate=10, senders=1, sent_since_start=5, elapsed=3) == 0
