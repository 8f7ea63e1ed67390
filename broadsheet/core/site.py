"""The site's one public address, for every link that leaves a page: mail, feeds, structured data.

`settings.SITE_URL` is BROADSHEET_SITE_URL when set. Without it, `serve` records
the address it serves on in the data dir, and every later process (a command run
by hand, the worker) reads that record, so a mail sent by `broadsheet renew` links
to the site that is actually running, not to a default port.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from django.conf import settings

RECORD_NAME = "site-url"


def site_url() -> str:
    return str(settings.SITE_URL).rstrip("/")


def absolute(path: str) -> str:
    """`path` ("/account/") on the site's address; an absolute URL is returned as it is."""
    if "://" in path:
        return path
    return site_url() + (path if path.startswith("/") else f"/{path}")


def on_site(url: str) -> str:
    """The same path, query and fragment on the site's address, whatever host `url` names."""
    parts = urlsplit(url)
    path = urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return absolute(path)


def site_url_record(url: str) -> None:
    path = Path(settings.DATA_DIR) / RECORD_NAME
    if not path.is_file() or path.read_text().strip() != url:
        path.write_text(url + "\n")
