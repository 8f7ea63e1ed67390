"""Running wrk and reading its report."""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

CONNECTIONS = 32
THREADS = 2

_UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass(frozen=True)
class WrkResult:
    requests: int
    duration_s: float
    rps: float
    p50_ms: float
    p99_ms: float
    non_2xx_3xx: int
    socket_errors: str  # "" when wrk reported none
    raw: str


def _latency_ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if not m:
        raise ValueError(f"unreadable latency {text!r}")
    return float(m.group(1)) * _UNITS_MS[m.group(2)]


def _duration_s(text: str) -> float:
    return _latency_ms(text) / 1000.0


def parse(output: str) -> WrkResult:
    """The numbers of a `wrk --latency` report."""

    def find(pattern: str) -> re.Match[str]:
        m = re.search(pattern, output, re.MULTILINE)
        if not m:
            raise ValueError(f"wrk output has no match for {pattern!r}:\n{output}")
        return m

    done = find(r"^\s*(\d+) requests in ([\d.]+\w+),")
    non = re.search(r"^\s*Non-2xx or 3xx responses:\s*(\d+)", output, re.MULTILINE)
    sock = re.search(r"^\s*Socket errors:\s*(.+)$", output, re.MULTILINE)
    return WrkResult(
        requests=int(done.group(1)),
        duration_s=_duration_s(done.group(2)),
        rps=float(find(r"^Requests/sec:\s*([\d.]+)").group(1)),
        p50_ms=_latency_ms(find(r"^\s*50%\s+(\S+)").group(1)),
        p99_ms=_latency_ms(find(r"^\s*99%\s+(\S+)").group(1)),
        non_2xx_3xx=int(non.group(1)) if non else 0,
        socket_errors=sock.group(1).strip() if sock else "",
        raw=output,
    )


def run(
    url: str,
    *,
    seconds: int,
    headers: list[str] | None = None,
    script: Path | None = None,
    script_args: list[str] | None = None,
) -> WrkResult:
    argv = ["wrk", "-t", str(THREADS), "-c", str(CONNECTIONS), "-d", f"{seconds}s", "--timeout", "5s", "--latency"]
    for header in headers or []:
        argv += ["-H", header]
    if script is not None:
        argv += ["-s", str(script)]
    argv.append(url)
    if script_args:
        argv += ["--", *script_args]
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=seconds + 30, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"wrk failed ({proc.returncode}): {proc.stderr or proc.stdout}")
    return parse(proc.stdout)


def _lua_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


_COMMON_LUA = """\
local threads = {}
local counter = 1
function setup(thread)
  thread:set("tid", counter)
  counter = counter + 1
  table.insert(threads, thread)
end
function init(args)
  tag = args[1] or "run"
  n = 0
  good = 0
  bad = 0
  first_bad = ""
  offset = ((tid or 1) - 1) * 1000
end
"""

# Each wrk thread walks the article list in order. Its User-Agent names the run,
# the thread and how many times it has wrapped round the list: a reader without a
# cookie is keyed by network + User-Agent + language (readers.fingerprint), so a
# (reader, article) pair never repeats and every request is a new counted view.
#
# With `tokens` (the API's metered scenario) the reader is a device token instead: each
# thread and lap takes its own token, so again no (reader, article) pair repeats.
_ROTATION_LUA = """\
local paths = {
%(paths)s
}
local tokens = {
%(tokens)s
}
function request()
  local i = (n + offset) %% #paths + 1
  local lap = math.floor((n + offset) / #paths)
  n = n + 1
  local headers = {
    ["User-Agent"] = "broadsheet-bench/" .. tag .. "/t" .. tid .. "/lap" .. lap,
    ["Accept"] = "text/html",
  }
  if #tokens > 0 then
    headers["Authorization"] = "Bearer " .. tokens[((tid - 1) * 1000 + lap) %% #tokens + 1]
    headers["Accept"] = "application/json"
  end
  return wrk.format("GET", paths[i], headers)
end
"""

# Checks every response (used in the warm-up only: handing bodies to Lua costs wrk time).
_CHECK_LUA = """\
local expect = {%(expect)s}
local forbid = {%(forbid)s}
function response(status, headers, body)
  local ok = status == 200
  for _, s in ipairs(expect) do
    if not string.find(body, s, 1, true) then ok = false end
  end
  for _, s in ipairs(forbid) do
    if string.find(body, s, 1, true) then ok = false end
  end
  if ok then good = good + 1 else
    bad = bad + 1
    if first_bad == "" then first_bad = status .. " " .. string.gsub(string.sub(body, 1, 300), "%%s+", " ") end
  end
end
function done(summary, latency, requests)
  local g, b, first = 0, 0, ""
  for _, t in ipairs(threads) do
    g = g + t:get("good")
    b = b + t:get("bad")
    if first == "" then first = t:get("first_bad") end
  end
  io.write(string.format("CHECK good=%%d bad=%%d\\n", g, b))
  if b > 0 then io.write("CHECK first bad response: " .. first .. "\\n") end
end
"""


def script(
    path: Path,
    *,
    paths: list[str] | None = None,
    expect: list[str] | None = None,
    forbid: list[str] | None = None,
    tokens: list[str] | None = None,
) -> Path:
    """A wrk Lua script: rotate over `paths` (if given; as the readers `tokens` if given) and check
    bodies (if expect/forbid given)."""
    parts = [_COMMON_LUA]
    if paths:
        listed = {
            "paths": ",\n".join(f"  {_lua_str(p)}" for p in paths),
            "tokens": ",\n".join(f"  {_lua_str(t)}" for t in tokens or []),
        }
        parts.append(_ROTATION_LUA % listed)
    if expect is not None or forbid is not None:
        parts.append(
            _CHECK_LUA
            % {
                "expect": ", ".join(_lua_str(e) for e in expect or []),
                "forbid": ", ".join(_lua_str(f) for f in forbid or []),
            }
        )
    path.write_text("".join(parts))
    return path


def check_counts(output: str) -> tuple[int, int, str] | None:
    """(good, bad, first bad response) from a checking script's report, or None."""
    m = re.search(r"^CHECK good=(\d+) bad=(\d+)", output, re.MULTILINE)
    if not m:
        return None
    first = re.search(r"^CHECK first bad response: (.*)$", output, re.MULTILINE)
    return int(m.group(1)), int(m.group(2)), first.group(1) if first else ""
