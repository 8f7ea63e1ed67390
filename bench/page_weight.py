"""Page weight: what a browser downloads for a page, by kind (HTML, CSS, JS, images), in Chromium.

    .venv/bin/python -m bench.page_weight http://127.0.0.1:8000 / /markets/some-story/ [--width 1366]

It loads each page in a fresh context (empty cache) at the given width, waits for the
network to settle without scrolling (so lazy pictures below the fold are not counted:
what a reader pays before they scroll), then again after scrolling to the bottom, and
prints the bytes received over the wire per kind (compressed, as sent) and the HTML's
own size uncompressed.
"""

from __future__ import annotations

import argparse
from collections import defaultdict

from playwright.sync_api import Response, sync_playwright

CHROMIUM = "/usr/bin/chromium"
KINDS = {"document": "HTML", "stylesheet": "CSS", "script": "JS", "image": "images", "font": "fonts"}


def _weigh(base: str, path: str, width: int, scroll: bool) -> tuple[dict[str, int], int]:
    sizes: dict[str, int] = defaultdict(int)
    html_raw = 0
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"], headless=True)
        context = browser.new_context(viewport={"width": width, "height": 900})
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        on_wire: dict[str, int] = {}
        cdp.on("Network.loadingFinished", lambda e: on_wire.__setitem__(e["requestId"], int(e["encodedDataLength"])))
        kinds: dict[str, str] = {}
        cdp.on("Network.responseReceived", lambda e: kinds.__setitem__(e["requestId"], e["type"].lower()))
        responses: list[Response] = []
        page.on("response", lambda r: responses.append(r))
        page.goto(base + path, wait_until="networkidle")
        if scroll:
            page.evaluate("window.scrollTo(0, document.body.scrollHeight)")
            page.wait_for_timeout(500)
            page.wait_for_load_state("networkidle")
        html_raw = len(responses[0].body()) if responses else 0
        for request_id, size in on_wire.items():
            sizes[KINDS.get(kinds.get(request_id, ""), "other")] += size
        browser.close()
    return dict(sizes), html_raw


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("base")
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--width", type=int, default=1366)
    args = parser.parse_args()
    print(f"| page (width {args.width}) | HTML (raw) | HTML | CSS | JS | images | total | images after scrolling |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for path in args.paths:
        first, raw = _weigh(args.base, path, args.width, scroll=False)
        scrolled, _ = _weigh(args.base, path, args.width, scroll=True)
        kb = {k: v / 1024 for k, v in first.items()}
        total = sum(first.values()) / 1024
        print(
            f"| `{path}` | {raw / 1024:.1f} KB | {kb.get('HTML', 0):.1f} KB | {kb.get('CSS', 0):.1f} KB "
            f"| {kb.get('JS', 0):.1f} KB | {kb.get('images', 0):.1f} KB | {total:.1f} KB "
            f"| {scrolled.get('images', 0) / 1024:.1f} KB |"
        )


if __name__ == "__main__":
    main()
