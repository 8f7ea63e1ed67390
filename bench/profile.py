"""Optional sampling profile of one gunicorn worker during a measured run (`bench/run.py --py-spy`).

py-spy is not a project dependency: `.venv/bin/pip install py-spy` first. It
samples only while the worker holds the GIL (--gil), so the percentages are
shares of the worker's Python CPU time. Sampling pauses the worker briefly, so
numbers of a profiled run are a little lower than an unprofiled one.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

_LINE = re.compile(r":\d+\)$")


def py_spy() -> str | None:
    return shutil.which("py-spy", path=str(Path(sys.executable).parent)) or shutil.which("py-spy")


def start(pid: int, seconds: int, out: Path) -> subprocess.Popen[bytes] | None:
    exe = py_spy()
    if exe is None:
        return None
    argv = [exe, "record", "--gil", "-r", "100", "-d", str(seconds), "-f", "raw", "-o", str(out), "--pid", str(pid)]
    return subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def summary(raws: list[Path], top: int = 12) -> list[str]:
    """Top functions by inclusive share (app and Django frames) and by self share, from py-spy's raw output."""
    inclusive: Counter[str] = Counter()
    own: Counter[str] = Counter()
    total = 0
    lines_in = [line for raw in raws if raw.exists() for line in raw.read_text().splitlines()]
    for line in lines_in:
        stack, _, count = line.rpartition(" ")
        if not stack or not count.isdigit():
            continue
        n = int(count)
        total += n
        frames = [_LINE.sub(")", f) for f in stack.split(";")]
        for f in set(frames):
            inclusive[f] += n
        own[frames[-1]] += n
    if not total:
        return ["(no samples)"]
    lines = [f"{total} samples; inclusive (broadsheet/ and django/db|template|contrib frames):"]
    wanted = ("broadsheet/", "django/db/models/query.py", "django/template/", "django/contrib/", "redis/")
    picked = [(f, n) for f, n in inclusive.most_common() if any(w in f for w in wanted)][:top]
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in picked]
    lines.append("self:")
    lines += [f"  {100 * n / total:5.1f}%  {f}" for f, n in own.most_common(top)]
    return lines
