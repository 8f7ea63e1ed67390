"""Handing messages to the relay: SMTP (one connection reused), or files for the demo.

`send()` takes a `handover` callback and calls it just before the message's
final dot goes out. The sender uses it to write "sent" by compare-and-set; if
that fails (another run took the delivery over) the connection is dropped
instead, and a message whose final dot was never sent is discarded by the
relay. So the relay never holds a message the database does not call sent.
"""

from __future__ import annotations

import smtplib
import socket
import ssl
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from django.conf import settings

from broadsheet.newsletters import conf
from broadsheet.newsletters.rules import SmtpOutcome, smtp_outcome

ABORTED = "aborted"
ENVELOPE_ACCEPTS = ((250,), (250, 251), (354,))  # what MAIL, RCPT and DATA answer when all is well


@dataclass(frozen=True, slots=True)
class Reply:
    outcome: SmtpOutcome | str  # SmtpOutcome, or ABORTED when the handover was refused
    code: int
    text: str
    handed_over: bool  # the final dot went out (or the file was written)
    recipient_refused: bool = False  # the refusal is about this address (RCPT, or after the data)

    @property
    def summary(self) -> str:
        return f"{self.code} {self.text}".strip()[:300]


class Transport(Protocol):
    @property
    def eight_bit(self) -> bool: ...

    def send(self, *, sender: str, to: str, data: bytes, handover: Callable[[], bool]) -> Reply: ...

    def close(self) -> None: ...


def _text(msg: Any) -> str:
    return msg.decode("utf-8", "replace") if isinstance(msg, bytes) else str(msg)


def dot_stuffed(data: bytes) -> bytes:
    """The message as DATA carries it: CRLF line ends, leading dots doubled, ending in CRLF."""
    if b"\r\n" not in data:
        data = data.replace(b"\n", b"\r\n")
    data = data.replace(b"\r\n.", b"\r\n..")
    if data.startswith(b"."):
        data = b"." + data
    return data if data.endswith(b"\r\n") else data + b"\r\n"


class AddressRefused(ValueError):
    pass


def _plain(address: str) -> str:
    """An address as it goes into MAIL FROM / RCPT TO; anything that could smuggle a command is refused."""
    if not address or any(c in address for c in "<>\r\n\0 ") or address.count("@") != 1:
        raise AddressRefused(f"not a deliverable address: {address!r}")
    return address


class SmtpTransport:
    def __init__(self, options: dict[str, Any]) -> None:
        self.options = options
        self.conn: smtplib.SMTP | None = None
        self.used = 0
        self._8bit = False
        self._pipelining = False

    @property
    def eight_bit(self) -> bool:
        """Does the relay take 8-bit bodies (8BITMIME)? Opens the connection to ask."""
        if self.conn is None:
            try:
                self.conn = self._open()
            except (smtplib.SMTPException, OSError):
                return False
        return self._8bit

    def _open(self) -> smtplib.SMTP:
        o = self.options
        host, port, timeout = o.get("host", "localhost"), int(o.get("port", 25)), float(o.get("timeout") or 30)
        if o.get("use_ssl"):
            conn: smtplib.SMTP = smtplib.SMTP_SSL(host, port, timeout=timeout, context=ssl.create_default_context())
        else:
            conn = smtplib.SMTP(host, port, timeout=timeout)
        # The final dot goes out on its own, after "sent" is committed: without
        # TCP_NODELAY, Nagle's algorithm would hold it for the relay's delayed ACK.
        if conn.sock is not None:
            conn.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        conn.ehlo()
        if o.get("use_tls"):
            conn.starttls(context=ssl.create_default_context())
            conn.ehlo()
        if o.get("username"):
            conn.login(o["username"], o.get("password", ""))
        self.used = 0
        self._8bit = conn.has_extn("8bitmime")
        self._pipelining = conn.has_extn("pipelining")
        return conn

    def close(self) -> None:
        if self.conn is not None:
            try:
                self.conn.quit()
            except (smtplib.SMTPException, OSError):
                self.conn.close()
            self.conn = None

    def _drop(self) -> None:
        if self.conn is not None:
            self.conn.close()  # mid-DATA: the relay discards what it has of the message
            self.conn = None

    def _envelope(self, conn: smtplib.SMTP, *, sender: str, to: str) -> Reply | None:
        """MAIL, RCPT and DATA; None when the relay waits for the message, else the refusal.

        With PIPELINING (RFC 2920, which production relays offer) the three go out in one
        write and their replies are read after: one round trip per message instead of three.
        """
        commands = [
            f"MAIL FROM:<{sender}>" + (" BODY=8BITMIME" if self._8bit else ""),
            f"RCPT TO:<{to}>",
            "DATA",
        ]
        replies: list[tuple[int, bytes]] = []
        if self._pipelining:
            conn.send("".join(f"{c}\r\n" for c in commands))
            replies = [conn.getreply() for _ in commands]
        else:
            for command, ok in zip(commands, ENVELOPE_ACCEPTS, strict=True):
                replies.append(conn.docmd(command))
                if replies[-1][0] not in ok:
                    break
        codes = [code for code, _ in replies]
        if len(codes) == 3 and all(code in ok for code, ok in zip(codes, ENVELOPE_ACCEPTS, strict=True)):
            return None
        if len(codes) == 3 and codes[2] == 354:
            self._drop()  # a relay that takes DATA after a refusal: never let a message out
        else:
            conn.rset()
        (mail, mail_msg), rest = replies[0], replies[1:]
        if mail != 250:
            return Reply(SmtpOutcome.TEMPORARY, mail, f"sender refused: {_text(mail_msg)}", False)
        rcpt, rcpt_msg = rest[0]
        if rcpt not in (250, 251):
            return Reply(smtp_outcome(rcpt), rcpt, _text(rcpt_msg), False, recipient_refused=True)
        code, msg = rest[1]
        return Reply(SmtpOutcome.TEMPORARY, code, f"data refused: {_text(msg)}", False)

    def send(self, *, sender: str, to: str, data: bytes, handover: Callable[[], bool]) -> Reply:
        handed = False
        try:
            if self.conn is None or self.used >= conf.messages_per_connection():
                self.close()
                self.conn = self._open()
            conn = self.conn
            self.used += 1
            refused = self._envelope(conn, sender=_plain(sender), to=_plain(to))
            if refused is not None:
                return refused
            conn.send(dot_stuffed(data))
            if not handover():
                self._drop()
                return Reply(ABORTED, 0, "the delivery was taken over by another run", False)
            handed = True
            conn.send(b".\r\n")
            code, msg = conn.getreply()
            return Reply(smtp_outcome(code), code, _text(msg), True, recipient_refused=code >= 500)
        except AddressRefused as exc:
            if self.conn is not None:
                self.conn.rset()
            return Reply(SmtpOutcome.PERMANENT, 553, str(exc), False, recipient_refused=True)
        except (smtplib.SMTPException, OSError) as exc:
            self._drop()
            if handed:  # the message may well be delivered: it stays sent, never sent twice
                return Reply(SmtpOutcome.ACCEPTED, 0, f"connection lost after the handover: {exc}", True)
            return Reply(SmtpOutcome.TEMPORARY, 0, f"connection failed: {exc}", False)


class FileTransport:
    """The demo's relay: each message a .eml file under the mail folder's newsletters/."""

    eight_bit = True

    def __init__(self, folder: Path) -> None:
        self.folder = folder / "newsletters"

    def send(self, *, sender: str, to: str, data: bytes, handover: Callable[[], bool]) -> Reply:
        if not handover():
            return Reply(ABORTED, 0, "the delivery was taken over by another run", False)
        self.folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S-%f")
        safe = "".join(c if c.isalnum() else "_" for c in to)[:60]
        (self.folder / f"{stamp}-{safe}.eml").write_bytes(f"Return-Path: <{sender}>\r\n".encode() + data)
        return Reply(SmtpOutcome.ACCEPTED, 250, "written to a file", True)

    def close(self) -> None:
        return None


class TransportNotConfigured(RuntimeError):
    pass


def transport_open() -> Transport:
    """The relay newsletters go to: the SMTP or file mailer of MAILERS (see conf.mailer_alias)."""
    config = settings.MAILERS[conf.mailer_alias()]
    backend = str(config.get("BACKEND", "django.core.mail.backends.smtp.EmailBackend"))
    options: dict[str, Any] = dict(config.get("OPTIONS", {}))  # type: ignore[arg-type]
    if backend.endswith("smtp.EmailBackend"):
        return SmtpTransport(options)
    if backend.endswith("filebased.EmailBackend"):
        return FileTransport(Path(options.get("file_path") or Path(settings.DATA_DIR) / "mail"))
    raise TransportNotConfigured(f"newsletters need an SMTP or file mailer, not {backend}")
