"""A real SMTP server (aiosmtpd on loopback) for the tests that check mail as a reader gets it."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message

import pytest
from aiosmtpd.controller import Controller


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content))  # type: ignore[attr-defined]
        return "250 OK"

    def body(self, index: int = -1) -> str:
        msg = self.messages[index]
        parts = [p for p in msg.walk() if p.get_content_type() == "text/plain"]
        payload = parts[0].get_payload(decode=True)
        return payload.decode() if isinstance(payload, bytes) else str(payload)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def smtp(settings: object) -> Iterator[Inbox]:
    """A real SMTP server on loopback; the site's mailer is pointed at it."""
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {  # type: ignore[attr-defined]
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 5},
        }
    }
    try:
        yield inbox
    finally:
        controller.stop()
