"""`broadsheet newsletter-bounces`: read delivery status notifications sent to the bounce address.

newsletter-bounces < message.eml           one message on standard input (an MTA pipe)
newsletter-bounces a.eml b.eml             message files
newsletter-bounces --maildir ~/Maildir     every new message of a Maildir, moved to cur/ once read
"""

from __future__ import annotations

import mailbox
import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from broadsheet.core import clock
from broadsheet.newsletters.sending.bounces import BounceReport, bounce_apply, merge


class Command(BaseCommand):
    help = "Record hard bounces from delivery status notifications (stdin, files or a Maildir)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("files", nargs="*", help="message files (default: one message on standard input)")
        parser.add_argument("--maildir", help="a Maildir whose new messages are read and then moved to cur/")
        parser.add_argument("--recipient", help="the envelope recipient, as an MTA pipe passes it (${recipient})")

    def handle(self, *args: Any, **options: Any) -> None:
        total = BounceReport(read=0)
        if options["maildir"]:
            box = mailbox.Maildir(options["maildir"], create=False)
            keys = [k for k in box.iterkeys() if box.get_message(k).get_subdir() == "new"]
            for n, key in enumerate(keys, start=1):
                merge(total, bounce_apply(raw=box.get_bytes(key), at=clock.now()))
                msg = box.get_message(key)
                msg.set_subdir("cur")
                msg.add_flag("S")
                box[key] = msg
                if n % 100 == 0:
                    self.stdout.write(f"{n}/{len(keys)} read")
        elif options["files"]:
            for name in options["files"]:
                path = Path(name)
                if not path.is_file():
                    raise CommandError(f"{name}: no such file")
                merge(total, bounce_apply(raw=path.read_bytes(), at=clock.now(), envelope_to=options["recipient"]))
        else:
            merge(total, bounce_apply(raw=sys.stdin.buffer.read(), at=clock.now(), envelope_to=options["recipient"]))
        for note in total.notes:
            self.stdout.write(note)
        self.stdout.write(self.style.SUCCESS(total.summary()))
