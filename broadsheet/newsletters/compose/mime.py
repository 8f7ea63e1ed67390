"""Each recipient's message as bytes, from a shell built once per issue and recipient kind.

The shell holds everything that is the same for every recipient of a kind:
From, Subject, List-Id, the MIME structure, the HTML part (7-bit ASCII in short
lines, so it needs no encoding per message). Per recipient only the address,
Message-ID, the signed links and the quoted-printable text part are made.
"""

from __future__ import annotations

import binascii
import secrets
from dataclasses import dataclass
from email.header import Header
from email.utils import formataddr, formatdate
from urllib.parse import urlsplit

from django.conf import settings

from broadsheet.newsletters import tokens
from broadsheet.newsletters.compose.render import RenderedIssue, personal
from broadsheet.newsletters.models import Issue, NewsletterList

CRLF = b"\r\n"


def _header(name: str, value: str) -> bytes:
    """One header line; non-ASCII values are RFC 2047 encoded and folded."""
    try:
        value.encode("ascii")
        encoded = value
    except UnicodeEncodeError:
        encoded = Header(value, "utf-8", header_name=name).encode(linesep="\r\n")
    return f"{name}: {encoded}".encode("ascii") + CRLF


def site_domain() -> str:
    return urlsplit(settings.SITE_URL).hostname or "localhost"


@dataclass(frozen=True, slots=True)
class Shell:
    rendered: RenderedIssue
    issue_id: int
    list_id: int
    head: bytes  # the common headers
    boundary: str

    def message(self, *, delivery_id: int, subscriber_id: int, to: str, eight_bit: bool = False) -> bytes:
        """The recipient's message. `eight_bit`: the relay takes 8BITMIME, so the text part goes as it is
        (lines are kept under 998 bytes) instead of quoted-printable: fewer, longer lines for the relay."""
        unsubscribe = unsubscribe_url(subscriber_id=subscriber_id, list_id=self.list_id, issue_id=self.issue_id)
        preferences = preferences_url(subscriber_id=subscriber_id)
        html, text = personal(self.rendered, email=to, unsubscribe_url=unsubscribe, preferences_url=preferences)
        if eight_bit:
            text_part, encoding = text.encode("utf-8").replace(b"\n", CRLF), b"8bit"
        else:
            text_part = binascii.b2a_qp(text.encode("utf-8"), istext=True).replace(b"\n", CRLF)
            encoding = b"quoted-printable"
        b = self.boundary.encode("ascii")
        lines = [
            self.head,
            _header("To", to),
            f"Date: {formatdate(usegmt=True)}\r\n".encode("ascii"),
            f"Message-ID: <n{self.issue_id}.d{delivery_id}@{site_domain()}>\r\n".encode("ascii"),
            f"List-Unsubscribe: <{unsubscribe}>\r\n".encode("ascii"),
            b"List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n",
            f"X-Newsletter-Delivery: {tokens.bounce_tag(delivery_id)}\r\n".encode("ascii"),
            b'Content-Type: multipart/alternative; boundary="' + b + b'"\r\n\r\n',
            b"--" + b + CRLF,
            b'Content-Type: text/plain; charset="utf-8"\r\nContent-Transfer-Encoding: ' + encoding + b"\r\n\r\n",
            text_part,
            CRLF + b"--" + b + CRLF,
            b'Content-Type: text/html; charset="us-ascii"\r\nContent-Transfer-Encoding: 7bit\r\n\r\n',
            html.encode("ascii").replace(b"\n", CRLF),
            b"--" + b + b"--" + CRLF,
        ]
        return b"".join(lines)


def unsubscribe_url(*, subscriber_id: int, list_id: int, issue_id: int | None) -> str:
    token = tokens.unsubscribe_token(subscriber_id=subscriber_id, list_id=list_id, issue_id=issue_id)
    return f"{settings.SITE_URL}/newsletters/unsubscribe/{token}/"


def preferences_url(*, subscriber_id: int) -> str:
    return f"{settings.SITE_URL}/newsletters/preferences/{tokens.preferences_token(subscriber_id=subscriber_id)}/"


def shell_build(*, issue: Issue, rendered: RenderedIssue, test: bool = False) -> Shell:
    newsletter: NewsletterList = issue.newsletter
    subject = f"[Test] {issue.subject}" if test else issue.subject
    head = b"".join(
        [
            _header("From", formataddr((newsletter.sender_name, newsletter.sender_email), charset="utf-8")),
            _header("Subject", subject),
            _header("Reply-To", newsletter.reply_to) if newsletter.reply_to else b"",
            _header("List-Id", f"{newsletter.name} <{newsletter.slug}.{site_domain()}>"),
            f"List-Archive: <{settings.SITE_URL}{newsletter.get_absolute_url()}>\r\n".encode("ascii"),
            b"Precedence: bulk\r\nAuto-Submitted: auto-generated\r\nX-Auto-Response-Suppress: OOF, AutoReply\r\n",
            b"MIME-Version: 1.0\r\n",
        ]
    )
    return Shell(
        rendered=rendered,
        issue_id=issue.pk,
        list_id=newsletter.pk,
        head=head,
        boundary=f"=_bs{secrets.token_hex(12)}",
    )
