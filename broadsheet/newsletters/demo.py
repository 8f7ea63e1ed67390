"""The demo's newsletters: four lists (one for subscribers only), members, a sent issue and a draft.

Our own writing; the addresses are example.com / example.org (RFC 2606) so no
real person is ever mailed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class DemoList:
    slug: str
    name: str
    description: str
    cadence: str
    cadence_note: str
    audience: str
    benefit: str | None
    sections: tuple[str, ...]
    format: str = "summaries"


SENDER_NAME = "The Broadsheet Daily"
SENDER_EMAIL = "newsletters@example.com"

LISTS: tuple[DemoList, ...] = (
    DemoList(
        "morning-brief",
        "Morning Brief",
        "The five stories to know before your first meeting, picked by the night desk.",
        "daily",
        "at 7 am",
        "anyone",
        None,
        (),
    ),
    DemoList(
        "morning-markets",
        "Morning Markets",
        "Where the Sensex, the rupee and bond yields open, and the company news that will move them.",
        "weekdays",
        "at 8 am",
        "registered",
        None,
        ("markets", "economy", "companies"),
    ),
    DemoList(
        "technology-weekly",
        "Technology Weekly",
        "Start-ups, telecom and the digital public stack: the week in Indian technology.",
        "weekly",
        "on Fridays",
        "anyone",
        None,
        ("technology",),
    ),
    DemoList(
        "analysts-note",
        "The Analyst's Note",
        "Our analysts' evening read on stocks, bonds and the rupee, in full. For subscribers.",
        "weekdays",
        "at 6 pm",
        "benefit",
        "newsletters",
        ("market-analysis", "markets"),
        "full",
    ),
)

# (address, lists) for readers with accounts (seeded by seed-demo)
ACCOUNT_MEMBERS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("reader@example.com", ("morning-brief", "morning-markets")),
    ("subscriber@example.com", ("morning-brief", "morning-markets", "technology-weekly", "analysts-note")),
    ("editor@example.com", ("morning-brief",)),
)
# Bare addresses that confirmed (double opt-in): the list has a real audience to send to.
ADDRESS_MEMBERS = 40
ADDRESS_PATTERN = "newsletter-reader-{n:02d}@example.org"

SENT_SUBJECT = "Morning Brief: the monsoon, the RBI and a busy day for IPOs"
SENT_INTRO = (
    "Good morning. The rains are early, the central bank is in no hurry, and three companies go to market "
    "this week.\n\nHere is what our desk is reading first."
)
DRAFT_SUBJECT = "Morning Brief: today's five"
DRAFT_INTRO = "Good morning. Today's digest, picked from overnight. Edit, reorder and send."
