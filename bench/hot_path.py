"""What the device and benefit checks add to a subscriber's article view, in-process.

Seeds the demo paper into a scratch data directory, then times a subscriber's
premium article view through Django's test client with and without the device
middleware (alternating runs, best of five blocks of 1 000 requests each), and
lists the SQL the view runs. Usage: .venv/bin/python -m bench.hot_path
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEVICE_MIDDLEWARE = "broadsheet.readers.middleware.DeviceMiddleware"


def measure(variant: str) -> None:
    import django
    from django.conf import settings

    django.setup()
    if variant == "without":
        settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != DEVICE_MIDDLEWARE]
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from broadsheet.newsroom.models import Article

    article = Article.objects.filter(access="premium").first()
    assert article is not None
    url = article.get_absolute_url()
    client = Client()
    assert client.login(email="subscriber@example.com", password="broadsheet-demo")  # noqa: S106 - demo account
    for _ in range(200):
        client.get(url)
    blocks = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(1000):
            client.get(url)
        blocks.append((time.perf_counter() - start) / 1000 * 1e6)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    tables = [q["sql"].split("FROM", 1)[1].split()[0] if "FROM" in q["sql"] else q["sql"][:30] for q in queries]
    print(f"{variant:8s} device middleware: {min(blocks):7.0f} us/req, queries: {len(queries)} {tables}", flush=True)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] in ("with", "without"):
        measure(sys.argv[1])
        return
    data = Path(tempfile.mkdtemp(prefix="broadsheet-hot-path-"))
    env = {
        **os.environ,
        "BROADSHEET_DEMO": "1",
        "BROADSHEET_DATA_DIR": str(data),
        "DJANGO_SETTINGS_MODULE": "broadsheet.settings",
    }
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    try:
        print(f"seeding the demo paper in {data}", flush=True)
        for command in (["migrate", "--noinput", "-v0"], ["seed_demo", "-v0"]):
            subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=env, check=True)
        for variant in ("with", "without", "with", "without"):
            subprocess.run([sys.executable, "-m", "bench.hot_path", variant], cwd=ROOT, env=env, check=True)
    finally:
        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
