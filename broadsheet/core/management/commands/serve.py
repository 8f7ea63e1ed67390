"""`broadsheet serve`: the production server (gunicorn), not runserver."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve the site with gunicorn (collects static files first)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--bind", default=f"127.0.0.1:{os.environ.get('PORT', '8000')}")
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", "2")))
        # One thread per worker by default: with more, persistent connections pile onto one
        # worker while the other core idles (measured in docs/benchmarks.md).
        parser.add_argument("--threads", type=int, default=int(os.environ.get("WEB_THREADS", "1")))

    def handle(self, *args: Any, **opts: Any) -> None:
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            self.stderr.write("gunicorn is not installed in this environment.")
            sys.exit(1)
        self.stdout.write(f"Serving {settings.SITE_URL} on http://{opts['bind']} ({opts['workers']} workers)")
        argv = [
            gunicorn,
            "broadsheet.wsgi:application",
            "--bind",
            opts["bind"],
            "--workers",
            str(opts["workers"]),
            "--threads",
            str(opts["threads"]),
        ]
        if settings.DEBUG or os.environ.get("ACCESS_LOG"):
            argv += ["--access-logfile", "-"]  # off by default: formatting every line costs throughput
        os.execv(gunicorn, argv)  # noqa: S606 - replace this process with the server
