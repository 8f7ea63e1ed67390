"""`broadsheet serve`: the production server (gunicorn), not runserver."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand

from broadsheet.core.site import site_url_record


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
        if not settings.SITE_URL_CONFIGURED:
            # Commands run later without PORT (`broadsheet renew`) link mail to where the site is served.
            site_url_record(settings.SITE_URL)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or shutil.which("gunicorn")
        if gunicorn is None:
            self.stderr.write("gunicorn is not installed in this environment.")
            sys.exit(1)
        self.stdout.write(f"Serving {settings.SITE_URL} on http://{opts['bind']} ({opts['workers']} workers)")
        access_log = bool(settings.DEBUG or os.environ.get("ACCESS_LOG"))
        argv = server_argv(
            gunicorn, bind=opts["bind"], workers=opts["workers"], threads=opts["threads"], log=access_log
        )
        os.execv(gunicorn, argv)  # noqa: S606 - replace this process with the server


def server_argv(gunicorn: str, *, bind: str, workers: int, threads: int, log: bool) -> list[str]:
    """gunicorn's command line.

    No control socket: gunicorn's default is one path per user (~/.gunicorn/gunicorn.ctl),
    shared by every site served from the same account, so one server's control commands
    (or its shutdown) would reach another's. Nothing here uses it.
    """
    argv = [gunicorn, "broadsheet.wsgi:application", "--bind", bind, "--workers", str(workers)]
    argv += ["--threads", str(threads), "--no-control-socket"]
    if log:
        argv += ["--access-logfile", "-"]  # off by default: formatting every line costs throughput
    return argv
