"""The newsletters' rules as plain data and pure functions: no Django, no clock, no database.

* who may receive a list (`may_receive`), decided again at every send;
* the recipient kind a mail is built for (`kind_of`): one rendering per issue and kind;
* an issue's life as a table of (status, event) → status (`issue_transition`);
* what an SMTP reply or a delivery status notification means (`smtp_outcome`, `dsn_is_hard`).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Audience(StrEnum):
    ANYONE = "anyone"  # any address that confirms (double opt-in)
    REGISTERED = "registered"  # readers with an account
    BENEFIT = "benefit"  # holders of a benefit (subscriber-only lists)

    @property
    def label(self) -> str:
        return {
            "anyone": "Anyone who confirms their address",
            "registered": "Registered readers",
            "benefit": "Holders of a benefit (subscriber-only)",
        }[self.value]


class Format(StrEnum):
    SUMMARIES = "summaries"
    FULL = "full"

    @property
    def label(self) -> str:
        return {"summaries": "Summaries with links", "full": "Full stories (for readers entitled to them)"}[self.value]


class IssueStatus(StrEnum):
    DRAFT = "draft"
    SCHEDULED = "scheduled"
    SENDING = "sending"
    PAUSED = "paused"
    SENT = "sent"
    CANCELLED = "cancelled"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class IssueEvent(StrEnum):
    SCHEDULE = "schedule"
    UNSCHEDULE = "unschedule"
    SEND = "send"  # send now, or a scheduled time came
    STOP = "stop"
    RESUME = "resume"
    FINISH = "finish"
    CANCEL = "cancel"


ISSUE_TRANSITIONS: dict[tuple[IssueStatus, IssueEvent], IssueStatus] = {
    (IssueStatus.DRAFT, IssueEvent.SCHEDULE): IssueStatus.SCHEDULED,
    (IssueStatus.DRAFT, IssueEvent.SEND): IssueStatus.SENDING,
    (IssueStatus.SCHEDULED, IssueEvent.SCHEDULE): IssueStatus.SCHEDULED,  # moved to another time
    (IssueStatus.SCHEDULED, IssueEvent.UNSCHEDULE): IssueStatus.DRAFT,
    (IssueStatus.SCHEDULED, IssueEvent.SEND): IssueStatus.SENDING,
    (IssueStatus.SENDING, IssueEvent.STOP): IssueStatus.PAUSED,
    (IssueStatus.SENDING, IssueEvent.FINISH): IssueStatus.SENT,
    (IssueStatus.PAUSED, IssueEvent.RESUME): IssueStatus.SENDING,
    (IssueStatus.PAUSED, IssueEvent.CANCEL): IssueStatus.CANCELLED,  # the rest of the list never gets it
    (IssueStatus.SENT, IssueEvent.RESUME): IssueStatus.SENDING,  # retries of deferred deliveries
}


class TransitionError(ValueError):
    """The event does not apply to an issue in this status (e.g. stopping a sent issue)."""


def issue_transition(status: IssueStatus, event: IssueEvent) -> IssueStatus:
    try:
        return ISSUE_TRANSITIONS[(status, event)]
    except KeyError:
        raise TransitionError(f"an issue that is {status.value} cannot {event.value}") from None


class DeliveryStatus(StrEnum):
    QUEUED = "queued"
    SENDING = "sending"  # claimed by a run; its final dot has not gone out
    SENT = "sent"  # handed to the relay
    FAILED = "failed"  # refused for now (4xx) or the connection failed; retried up to the limit
    BOUNCED = "bounced"  # a permanent refusal or a hard DSN: the address gets nothing more
    SKIPPED = "skipped"  # not sent: no longer eligible (left the list, lost the benefit, bounced)

    @property
    def label(self) -> str:
        return self.value.capitalize()


FINAL_STATUSES = frozenset({DeliveryStatus.SENT, DeliveryStatus.BOUNCED, DeliveryStatus.SKIPPED})


@dataclass(frozen=True, slots=True)
class RecipientFacts:
    registered: bool
    benefits: frozenset[str]
    bounced: bool = False
    confirmed: bool = True


def may_receive(*, audience: Audience, benefit: str | None, recipient: RecipientFacts) -> bool:
    """May this recipient get an issue of a list for `audience` now?"""
    if recipient.bounced or not recipient.confirmed:
        return False
    if audience is Audience.ANYONE:
        return True
    if audience is Audience.REGISTERED:
        return recipient.registered
    return recipient.registered and benefit is not None and benefit in recipient.benefits


@dataclass(frozen=True, slots=True, order=True)
class RecipientKind:
    """What a mail's content depends on: registered or not, and the benefits that open the issue's stories."""

    registered: bool
    benefits: frozenset[str] = frozenset()

    @property
    def key(self) -> str:
        base = "registered" if self.registered else "address"
        return "+".join([base, *sorted(self.benefits)])

    @classmethod
    def from_key(cls, key: str) -> RecipientKind:
        base, *benefits = key.split("+")
        return cls(registered=base == "registered", benefits=frozenset(benefits))


def kind_of(*, registered: bool, benefits: frozenset[str], relevant: frozenset[str]) -> RecipientKind:
    """The kind an issue is rendered for: only the benefits that change one of its stories count."""
    return RecipientKind(registered=registered, benefits=benefits & relevant if registered else frozenset())


class SmtpOutcome(StrEnum):
    ACCEPTED = "accepted"
    PERMANENT = "permanent"  # 5xx: a hard bounce
    TEMPORARY = "temporary"  # 4xx or anything unexpected: try again later


def smtp_outcome(code: int) -> SmtpOutcome:
    if 200 <= code < 300:
        return SmtpOutcome.ACCEPTED
    if 500 <= code < 600:
        return SmtpOutcome.PERMANENT
    return SmtpOutcome.TEMPORARY


def dsn_is_hard(*, action: str, status: str) -> bool:
    """A delivery status notification's per-recipient fields (RFC 3464): is this a hard bounce?

    Hard: Action "failed" with a permanent status class 5 ("5.1.1 no such user").
    "delayed", "delivered", "relayed" and 4.x.x statuses are not.
    """
    return action.strip().lower() == "failed" and status.strip().startswith("5.")


def pace_delay(*, rate: float, senders: int, sent_since_start: int, elapsed: float) -> float:
    """Seconds to wait before the next message so this sender keeps to its share of `rate` (0: no limit)."""
    if rate <= 0:
        return 0.0
    share = rate / max(1, senders)
    due = sent_since_start / share
    return max(0.0, due - elapsed)
