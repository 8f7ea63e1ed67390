"""E-paper benchmark: rendering speed for a 24-page edition, and the viewer's first page on the
production server.

    make bench-epaper      # or: .venv/bin/python -m bench.epaper [--pages 24] [--runs 10]

1. `bench.epaper_seed` (a subprocess with the server's environment, SQLite in
   var/bench/epaper/) lays out a 24-page edition from the demo stories, uploads it
   and renders it through the worker's code, timing pdfium + Pillow alone and the
   whole pipeline (two image sizes, text and word boxes, storage, database).
2. The production server (`manage.py serve`, gunicorn, 2 workers, DEBUG off)
   serves it; the viewer page and the first page's image are fetched 50 times each
   with the subscriber's cookie (latency and server CPU per request).
3. Debian's Chromium (Playwright) opens the viewer `--runs` times, each in a fresh
   browser (empty cache): the time from navigation start until the first page's
   image is loaded and decoded.
Results print and go to bench/results/epaper.md.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench.run import PY, Backend, CpuMeter, Server, base_env, fresh_dir, say  # noqa: E402

RESULTS = ROOT / "bench" / "results" / "epaper.md"
CHROMIUM = "/usr/bin/chromium"
TARGET_S = 30.0
FIRST_PAGE_TARGET_MS = 1000.0


def seed(env: dict[str, str], pages: int, data_dir: Path) -> dict[str, object]:
    proc = subprocess.run(
        [PY, "-m", "bench.epaper_seed", str(pages)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    (data_dir / "seed.log").write_text(proc.stdout[-5000:] + proc.stderr)
    if proc.returncode != 0:
        raise RuntimeError(f"seeding failed; see {data_dir / 'seed.log'}")
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def fetch_times(server: Server, path: str, cookie: str, n: int) -> tuple[list[float], int, float]:
    """n GETs on one keep-alive connection: latencies (ms), bytes of the last body, server CPU ms per request."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
    times: list[float] = []
    size = 0
    meter = CpuMeter(server.all_pids())
    for _ in range(n):
        started = time.perf_counter()
        conn.request("GET", path, headers={"Cookie": cookie})
        response = conn.getresponse()
        body = response.read()
        times.append((time.perf_counter() - started) * 1000)
        if response.status != 200:
            raise RuntimeError(f"{path} answered {response.status}")
        size = len(body)
    server_cpu, _, _, _ = meter.stop()
    conn.close()
    return times, size, server_cpu * 1000 / n


def first_page_times(base: str, path: str, cookie: str, runs: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    name, value = cookie.split("=", 1)
    times = []
    with sync_playwright() as pw:
        for _ in range(runs):
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            context = browser.new_context(viewport={"width": 1366, "height": 800})
            context.add_cookies([{"name": name, "value": value, "url": base}])
            page = context.new_page()
            page.goto(base + path, wait_until="commit")
            page.wait_for_function(
                "(() => { const i = document.querySelector('[data-ep-page]');"
                " return i && i.complete && i.naturalWidth > 0; })()",
                polling="raf",
            )
            times.append(page.evaluate("performance.now()"))
            browser.close()
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=24)
    parser.add_argument("--runs", type=int, default=10, help="browser runs for the first-page time")
    args = parser.parse_args()
    data_dir = fresh_dir("epaper")
    env = base_env(data_dir)
    # The billing system check wants a seller on tax invoices; the bench sells nothing.
    env.update({"BROADSHEET_GSTIN": "27AAAAA0000A1Z5", "BROADSHEET_SELLER_ADDRESS": "Bench House, Mumbai"})
    say(f"seeding and rendering a {args.pages}-page edition (SQLite, {data_dir})")
    seeded = seed(env, args.pages, data_dir)
    pages = int(seeded["pages"])  # type: ignore[call-overload]
    render_s = float(seeded["render_s"])  # type: ignore[arg-type]
    pure_s = float(seeded["pure_render_s"])  # type: ignore[arg-type]
    say(
        f"rendered {pages} pages in {render_s:.1f} s ({pages / render_s:.2f} pages/s); "
        f"pdfium + Pillow alone {pure_s:.1f} s"
    )

    server = Server(Backend("epaper", data_dir, env, lambda: 0))
    try:
        server.wait_ready()
        cookie = str(seeded["session_cookie"])
        path = str(seeded["path"])
        viewer, viewer_bytes, viewer_cpu = fetch_times(server, path, cookie, 50)
        from bench.run import get

        _, _, html = get(server.port, path, {"Cookie": cookie})
        import re

        image_path = re.search(r'data-ep-page src="([^"]+)"', html).group(1)  # type: ignore[union-attr]
        image, image_bytes, image_cpu = fetch_times(server, image_path, cookie, 50)
        say("opening the viewer in Chromium")
        browser = first_page_times(server.base, path, cookie, args.runs) if Path(CHROMIUM).exists() else []
    finally:
        server.stop()

    lines = [
        "# E-paper benchmark",
        "",
        f"Command: `.venv/bin/python -m bench.epaper --pages {args.pages} --runs {args.runs}` "
        f"({time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; 2 cores shared with other work)",
        "",
        "| measure | result |",
        "|---|---|",
        f"| edition | {pages} pages, PDF {int(seeded['pdf_bytes']) / 1e6:.1f} MB, reading size "  # type: ignore[call-overload]
        f"{seeded['reading_size']} px, broken {seeded['broken'] or 'none'} |",
        f"| upload check + store | {float(seeded['upload_check_store_s']):.2f} s |",  # type: ignore[arg-type]
        f"| render, whole pipeline (both sizes, text, boxes, storage, DB) | {render_s:.1f} s = "
        f"**{pages / render_s:.2f} pages/s** (target: edition ready < {TARGET_S:.0f} s: "
        f"{'met' if render_s < TARGET_S else 'NOT met'}) |",
        f"| pdfium + Pillow alone | {pure_s:.1f} s = {pages / pure_s:.2f} pages/s |",
        f"| CPU time of the whole pipeline (worker + renderer process) | "
        f"{float(seeded['render_cpu_s']):.1f} CPU-s = {pages / float(seeded['render_cpu_s']):.2f} pages per CPU-second "  # type: ignore[arg-type]
        "(what a quiet core would take) |",
        f"| images stored | reading {int(seeded['image_bytes']) / pages / 1024:.0f} KB/page, "  # type: ignore[call-overload]
        f"thumbnail {int(seeded['thumb_bytes']) / pages / 1024:.1f} KB/page |",  # type: ignore[call-overload]
        f"| viewer HTML (50 GETs, keep-alive) | p50 {statistics.median(viewer):.1f} ms, max {max(viewer):.1f} ms, "
        f"{viewer_bytes / 1024:.0f} KB, server CPU {viewer_cpu:.1f} ms/request |",
        f"| first page image (50 GETs) | p50 {statistics.median(image):.1f} ms, max {max(image):.1f} ms, "
        f"{image_bytes / 1024:.0f} KB, server CPU {image_cpu:.1f} ms/request |",
    ]
    if browser:
        verdict = "met" if statistics.median(browser) < FIRST_PAGE_TARGET_MS else "NOT met"
        lines.append(
            f"| first page readable in Chromium ({len(browser)} cold runs, 1366 x 800) | p50 "
            f"**{statistics.median(browser):.0f} ms**, max {max(browser):.0f} ms (target < 1 s: {verdict}) |"
        )
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
