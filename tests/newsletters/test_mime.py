"""Each message from the shell of its kind: the same text whether the relay takes 8-bit or needs quoted-printable."""

from __future__ import annotations

from email import message_from_bytes, policy

import pytest
from django.utils import timezone

from broadsheet.billing.entitlements import benefits_of, benefits_of_many
from broadsheet.newsletters.compose.mime import shell_build
from broadsheet.newsletters.compose.render import issue_render
from broadsheet.newsletters.rules import RecipientKind
from broadsheet.newsletters.sending.transport import AddressRefused, _plain, dot_stuffed
from tests import factories as f
from tests.newsletters import builders as b

pytestmark = pytest.mark.django_db


def parts(raw: bytes) -> dict[str, str]:
    msg = message_from_bytes(raw, policy=policy.default)
    return {p.get_content_type(): p.get_content() for p in msg.walk() if not p.is_multipart()}  # type: ignore[attr-defined]


def test_eight_bit_and_quoted_printable_carry_the_same_text() -> None:
    f.publication(name="Zeitung für Alle")
    newsletter = b.newsletter(name="Café ₹ Brief")
    issue = b.issue(newsletter, f.story().article, subject="Rupee — ₹83 and a café")
    shell = shell_build(issue=issue, rendered=issue_render(issue=issue, kind=RecipientKind(registered=False)))
    eight = shell.message(delivery_id=7, subscriber_id=3, to="a@example.org", eight_bit=True)
    qp = shell.message(delivery_id=7, subscriber_id=3, to="a@example.org", eight_bit=False)
    assert max(len(line) for line in eight.split(b"\r\n")) < 998
    assert max(len(line) for line in qp.split(b"\r\n")) <= 998
    assert qp.isascii()
    assert parts(eight) == parts(qp)
    text = parts(eight)["text/plain"]
    assert "Café ₹ Brief" in text and "a@example.org" in text
    msg = message_from_bytes(eight, policy=policy.default)
    assert str(msg["Subject"]) == "Rupee — ₹83 and a café"
    assert msg["Message-ID"].startswith(f"<n{issue.pk}.d7@")


def test_dots_at_line_starts_are_doubled_and_addresses_cannot_carry_commands() -> None:
    assert dot_stuffed(b"a\r\n.b\r\n") == b"a\r\n..b\r\n"
    assert dot_stuffed(b".x") == b"..x\r\n"
    for bad in ["a@example.org>\r\nRCPT TO:<b@example.org", "no-at-sign", "a b@example.org", ""]:
        with pytest.raises(AddressRefused):
            _plain(bad)
    assert _plain("bounces+d1-ab@example.com") == "bounces+d1-ab@example.com"


def test_benefits_for_many_readers_agree_with_one_at_a_time() -> None:
    plain, paying = f.reader(), b.subscriber_with("premium", "newsletters")
    now = timezone.now()
    many = benefits_of_many(user_ids=[plain.pk, paying.pk], at=now)
    assert many == {plain.pk: benefits_of(user_id=plain.pk, at=now), paying.pk: benefits_of(user_id=paying.pk, at=now)}
    assert many[paying.pk] == frozenset({"premium", "newsletters"})
