"""A counting SMTP sink for the newsletter benchmark, on loopback, in a process of its own.

    python bench/smtp_sink.py PORT SUMMARY.json [aiosmtpd|lean]

Accepts every message; on SIGTERM writes how many messages, distinct recipients
and bytes it received to SUMMARY.json and exits.

Two servers: *aiosmtpd* (the library the tests use; it reads DATA line by line
in Python and costs about as much CPU per message as our sender), and *lean*,
a few lines of asyncio of our own that speak the same SMTP subset (EHLO/HELO,
MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) but read DATA in one
piece, so the sink costs little and the sender's own rate shows, as it would
into a production relay.
"""

from __future__ import annotations

import asyncio
import json
import signal
import sys
import threading
from typing import Any

from aiosmtpd.controller import Controller

END_OF_DATA = b"\r\n.\r\n"


class Sink:
    def __init__(self) -> None:
        self.messages = 0
        self.bytes = 0
        self.recipients: set[str] = set()
        self.deliveries = 0

    def received(self, rcpt_tos: list[str], content: bytes) -> None:
        self.messages += 1
        self.bytes += len(content)
        self.deliveries += len(rcpt_tos)
        self.recipients.update(rcpt_tos)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.received(envelope.rcpt_tos, envelope.content)
        return "250 OK"

    def summary(self) -> dict[str, int]:
        return {
            "messages": self.messages,
            "distinct": len(self.recipients),
            "deliveries": self.deliveries,
            "bytes": self.bytes,
        }


async def lean_session(sink: Sink, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    writer.write(b"220 sink ESMTP\r\n")
    rcpts: list[str] = []
    while line := await reader.readline():
        verb = line[:4].upper()
        if verb == b"EHLO":
            writer.write(b"250-sink\r\n250-8BITMIME\r\n250-PIPELINING\r\n250 SMTPUTF8\r\n")
        elif verb == b"MAIL" or verb == b"RSET":
            rcpts = []
            writer.write(b"250 OK\r\n")
        elif verb == b"RCPT":
            rcpts.append(line.split(b":", 1)[1].split(b">", 1)[0].strip(b" <").decode())
            writer.write(b"250 OK\r\n")
        elif verb == b"DATA":
            writer.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            body = await reader.readuntil(END_OF_DATA)
            sink.received(rcpts, body[: -len(END_OF_DATA)].replace(b"\r\n..", b"\r\n."))
            rcpts = []
            writer.write(b"250 OK\r\n")
        elif verb == b"QUIT":
            writer.write(b"221 Bye\r\n")
            break
        else:  # HELO, NOOP and anything else
            writer.write(b"250 OK\r\n")
        await writer.drain()
    await writer.drain()
    writer.close()


def lean_serve(sink: Sink, port: int, done: threading.Event) -> None:
    async def run() -> None:
        server = await asyncio.start_server(
            lambda r, w: lean_session(sink, r, w), "127.0.0.1", port, limit=64 * 1024 * 1024
        )
        print("ready", flush=True)
        while not done.is_set():
            await asyncio.sleep(0.05)
        server.close()

    asyncio.run(run())


def main() -> None:
    port, summary = int(sys.argv[1]), sys.argv[2]
    kind = sys.argv[3] if len(sys.argv) > 3 else "aiosmtpd"
    sink = Sink()
    done = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: done.set())
    if kind == "lean":
        lean_serve(sink, port, done)
    else:
        controller = Controller(sink, hostname="127.0.0.1", port=port, data_size_limit=0)
        controller.start()
        print("ready", flush=True)
        done.wait()
        controller.stop()
    with open(summary, "w") as fh:
        json.dump(sink.summary(), fh)


if __name__ == "__main__":
    main()
