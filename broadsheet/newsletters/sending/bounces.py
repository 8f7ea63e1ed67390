"""Delivery status notifications (RFC 3464) that come back to the bounce address.

A DSN names its delivery by the signed tag in the address it was sent to
(bounces+d12-ab34…@, VERP) or in the X-Newsletter-Delivery header of the
returned message. A hard bounce ("failed", status 5.x.x) marks the delivery
bounced and the address as one that gets nothing more. A DSN without a valid
tag is ignored: anyone can mail the bounce address, and a forged bounce must
not cut a reader off.
"""

from __future__ import annotations

import email
import email.policy
from dataclasses import dataclass, field
from datetime import datetime
from email.message import Message
from typing import Any

from broadsheet.newsletters import tokens
from broadsheet.newsletters.models import Delivery
from broadsheet.newsletters.rules import DeliveryStatus, dsn_is_hard
from broadsheet.newsletters.subscribers import subscriber_bounce

ADDRESS_HEADERS = ("Delivered-To", "X-Original-To", "Envelope-To", "To")


@dataclass(frozen=True, slots=True)
class RecipientStatus:
    recipient: str
    action: str
    status: str
    diagnostic: str

    @property
    def hard(self) -> bool:
        return dsn_is_hard(action=self.action, status=self.status)


@dataclass
class BounceReport:
    read: int = 0
    hard: int = 0
    soft: int = 0
    unmatched: int = 0
    not_dsn: int = 0
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        return (
            f"{self.read} messages read: {self.hard} hard bounces recorded, {self.soft} soft ignored, "
            f"{self.unmatched} without a valid delivery tag ignored, {self.not_dsn} not delivery reports"
        )


def _delivery_id(msg: Message, envelope_to: str | None) -> int | None:
    candidates = [envelope_to] if envelope_to else []
    candidates += [str(v) for h in ADDRESS_HEADERS for v in (msg.get_all(h) or [])]
    for value in candidates:
        for piece in value.replace(",", " ").split():
            found = tokens.delivery_from_bounce_address(piece.strip("<>\"'"))
            if found:
                return found
    for part in msg.walk():
        if part.get_content_type() in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            inner: Any = part.get_payload()
            headers: Any = inner[0] if isinstance(inner, list) and inner else None
            if headers is None:
                text: Any = part.get_payload(decode=True) or b""
                headers = email.message_from_bytes(text if isinstance(text, bytes) else str(text).encode())
            tag = headers.get("X-Newsletter-Delivery")
            if tag:
                return tokens.delivery_from_tag(str(tag))
    return None


def dsn_statuses(msg: Message) -> list[RecipientStatus] | None:
    """The per-recipient blocks of a delivery report, or None when the message is not one."""
    for part in msg.walk():
        if part.get_content_type() != "message/delivery-status":
            continue
        blocks: Any = part.get_payload()
        if not isinstance(blocks, list):
            return []
        out = []
        for block in blocks[1:]:  # the first block is about the whole message
            recipient = str(block.get("Final-Recipient") or block.get("Original-Recipient") or "")
            out.append(
                RecipientStatus(
                    recipient=recipient.split(";", 1)[-1].strip(),
                    action=str(block.get("Action", "")),
                    status=str(block.get("Status", "")),
                    diagnostic=str(block.get("Diagnostic-Code", ""))[:250],
                )
            )
        return out
    return None


def bounce_apply(*, raw: bytes, at: datetime, envelope_to: str | None = None) -> BounceReport:
    """Read one message that arrived at the bounce address and act on it."""
    report = BounceReport(read=1)
    msg = email.message_from_bytes(raw, policy=email.policy.compat32)
    statuses = dsn_statuses(msg)
    if statuses is None:
        report.not_dsn = 1
        return report
    hard = next((s for s in statuses if s.hard), None)
    if hard is None:
        report.soft = 1
        return report
    delivery_id = _delivery_id(msg, envelope_to)
    delivery = Delivery.objects.filter(pk=delivery_id).first() if delivery_id else None
    if delivery is None:
        report.unmatched = 1
        report.notes.append(f"hard bounce for {hard.recipient or 'an unknown recipient'} without a valid tag: ignored")
        return report
    reason = f"{hard.status} {hard.diagnostic}".strip()
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.BOUNCED, reply=f"DSN: {reason}"[:300])
    subscriber_bounce(subscriber_id=delivery.subscriber_id, reason=f"DSN: {reason}", at=at)
    report.hard = 1
    return report


def merge(total: BounceReport, one: BounceReport) -> BounceReport:
    total.read += one.read
    total.hard += one.hard
    total.soft += one.soft
    total.unmatched += one.unmatched
    total.not_dsn += one.not_dsn
    total.notes += one.notes
    return total
