"""Load benchmark: the production server (`manage.py serve`) under wrk, per backend.

    make bench            # or: .venv/bin/python bench/run.py [--seconds 10] [--backend sqlite]

For each backend (sqlite; postgres+redis) it builds a fresh data set, starts
gunicorn with 2 workers and DEBUG off on a free port on 127.0.0.1, checks each
scenario once by hand, then loads it with wrk (32 connections, 2 threads, a 2 s
warm-up and a measured run) and reports requests/s, p50, p99 and the ratio to
/healthz measured in the same run. Results go to bench/results/latest.md.
See docs/benchmarks.md for what each scenario measures.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import re
import resource
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from bench import api_reads, nginx, profile, wrk  # noqa: E402

VENV_PY = ROOT / ".venv" / "bin" / "python"
PY = str(VENV_PY) if VENV_PY.exists() else sys.executable
BENCH_DIR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results" / "latest.md"
HOST = "127.0.0.1"
SECRET_KEY = "broadsheet-bench-secret-key-not-for-production-0123456789"  # noqa: S105 (a bench-only key)
FREE_LIMIT = "1000000"
METERED_ARTICLES = 2000
HOT_ARTICLES = 50  # metered-hot: the same meter write, on articles the workers already hold in memory
WARMUP_SECONDS = 2
PG_SERVER_URL = "postgres://postgres@127.0.0.1:5432"
PG_ADMIN_DBS = ("postgres", "test")  # where to run DROP/CREATE DATABASE from
PG_BENCH_DB = "broadsheet_bench"
REDIS_BENCH_URL = "redis://127.0.0.1:6379/14"
# Variables of the caller's shell that would change what is measured.
SCRUB = (
    "DEBUG",
    "DATABASE_URL",
    "REDIS_URL",
    "BROADSHEET_METER_STORE",
    "BROADSHEET_DEMO",
    "BROADSHEET_TESTING",
    "CONN_MAX_AGE",
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "PORT",
    "LOG_LEVEL",
    "BROADSHEET_REGWALL",
    "BROADSHEET_TIME_ZONE",
    "BROADSHEET_DATA_DIR",
    "DJANGO_SETTINGS_MODULE",
)
ARTICLE_SCENARIOS = ("free", "metered", "metered-hot", "paywalled", "subscriber", "api-entitled", "api-metered")
NGINX_TARGET = 0.10  # the free story at 10 % or more of nginx serving its saved page
# Share of /healthz each article view should reach. The API reads have no share target of their
# own (only the p99 one); the figures are for the pages.
TARGET_RATIOS = {"free": 0.6, "paywalled": 0.6, "subscriber": 0.5, "metered": 0.4, "metered-hot": 0.4}
TARGET_P99_MS = 50.0


def say(msg: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return int(s.getsockname()[1])


@dataclass
class Scenario:
    name: str
    label: str
    result: wrk.WrkResult | None = None
    probe: str = ""
    probe_ok: bool = False
    check: str = ""  # warm-up: every response body checked by wrk's Lua
    check_ok: bool = False
    note: str = ""
    server_cpu_ms: float = 0.0  # gunicorn CPU time per completed request
    services_cpu_ms: float = 0.0  # PostgreSQL + Redis CPU time per completed request
    other_cores: float = 0.0  # CPU used by any other process (not server, services, wrk), in cores
    counted_ok: bool = True  # metered: every request was a new counted view
    worker_split: str = ""  # share of server CPU per gunicorn worker during the measured run
    memory_mb: float = 0.0  # the server's processes together at their peak during the measured run (PSS)
    profile: list[str] = field(default_factory=list)


@dataclass
class BackendRun:
    name: str
    skipped: str = ""
    error: str = ""
    info: dict[str, str] = field(default_factory=dict)
    scenarios: list[Scenario] = field(default_factory=list)

    def healthz_rps(self) -> float | None:
        for s in self.scenarios:
            if s.name == "healthz" and s.result:
                return s.result.rps
        return None


# --- backends -------------------------------------------------------------------


@dataclass
class Backend:
    name: str
    data_dir: Path
    env: dict[str, str]
    counted_views: Callable[[], int]


def base_env(data_dir: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in SCRUB}
    env.update(
        {
            "SECRET_KEY": SECRET_KEY,
            "BROADSHEET_DATA_DIR": str(data_dir),
            "BROADSHEET_FREE_LIMIT": FREE_LIMIT,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PYTHONDONTWRITEBYTECODE": "1",
            # wrk is one address and a few tokens: the API's rate limits would answer 429.
            "BROADSHEET_API_RATE_PER_ADDRESS": "0",
            "BROADSHEET_API_RATE_PER_TOKEN": "0",
            # DEBUG is off, as in production, so the system checks want a seller and a site address.
            "BROADSHEET_GSTIN": "27AAAAA0000A1Z5",
            "BROADSHEET_SELLER_ADDRESS": "Bench House, 1 Example Road, Mumbai 400001",
            "BROADSHEET_SITE_URL": "http://127.0.0.1",
        }
    )
    return env


def fresh_dir(name: str) -> Path:
    path = BENCH_DIR / name
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


def sqlite_backend() -> Backend:
    data_dir = fresh_dir("sqlite")
    db = data_dir / "broadsheet.sqlite3"

    def counted() -> int:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=20) as conn:
            return int(conn.execute("SELECT COUNT(*) FROM paywall_meterview").fetchone()[0])

    return Backend("sqlite", data_dir, base_env(data_dir), counted)


def postgres_redis_backend() -> Backend:
    """A fresh database and Redis db; ConnectionError (the backend is skipped) when either is down."""
    import psycopg
    import redis

    errors = []
    for admin_db in PG_ADMIN_DBS:
        try:
            with psycopg.connect(f"{PG_SERVER_URL}/{admin_db}", autocommit=True, connect_timeout=3) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {PG_BENCH_DB} WITH (FORCE)")
                conn.execute(f"CREATE DATABASE {PG_BENCH_DB}")
            break
        except psycopg.Error as exc:
            errors.append(f"{admin_db}: {str(exc).strip()}")
    else:
        raise ConnectionError(f"PostgreSQL at {PG_SERVER_URL} is unreachable ({'; '.join(errors)})")
    client = redis.Redis.from_url(REDIS_BENCH_URL, socket_connect_timeout=3)
    try:
        client.ping()
        client.flushdb()
    except redis.RedisError as exc:
        raise ConnectionError(f"Redis at {REDIS_BENCH_URL} is unreachable: {exc}") from exc

    data_dir = fresh_dir("postgres-redis")
    env = base_env(data_dir)
    env["DATABASE_URL"] = f"{PG_SERVER_URL}/{PG_BENCH_DB}"
    env["REDIS_URL"] = REDIS_BENCH_URL

    def counted() -> int:
        total = 0
        for key in client.scan_iter("bs:meter:[0-9]*", count=1000):  # anonymous and signed-in readers
            if key.endswith(b":views"):  # a network's view counter (its ceiling), not a reader's stories
                continue
            total += int(client.scard(key))  # type: ignore[arg-type]
        return total

    return Backend("postgres+redis", data_dir, env, counted)


# --- server ------------------------------------------------------------------------


class Server:
    def __init__(self, backend: Backend) -> None:
        self.port = free_port()
        self.base = f"http://{HOST}:{self.port}"
        self.log_path = backend.data_dir / "server.log"
        self._log = self.log_path.open("w")
        argv = [PY, "manage.py", "serve", "--workers", "2", "--bind", f"{HOST}:{self.port}"]
        self.proc = subprocess.Popen(
            argv, cwd=ROOT, env=backend.env, stdout=self._log, stderr=subprocess.STDOUT, start_new_session=True
        )

    def wait_ready(self, timeout: float = 45.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited ({self.proc.returncode}); see {self.log_path}")
            try:
                status, _, _ = get(self.port, "/healthz")
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server not ready after {timeout:.0f}s; see {self.log_path}")

    def worker_pids(self) -> list[int]:
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return []
        return [int(c) for c in children]

    def all_pids(self) -> list[int]:
        return [self.proc.pid, *self.worker_pids()]

    def stop(self) -> None:
        if self.proc.poll() is None:
            # The server runs in its own process group (start_new_session): end it
            # and its gunicorn workers, and only those.
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(timeout=5)
        self._log.close()


CLK_TCK = os.sysconf("SC_CLK_TCK")


def _pid_cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def _machine_busy_s() -> float:
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq = values[:7]
    return (user + nice + system + irq + softirq) / CLK_TCK


def _pss_mb(pid: int) -> float:
    """A process's proportional set size: its own pages plus its share of those it shares (MB)."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class MemoryPeak:
    """The server's processes' memory together (PSS), sampled four times a second; `stop()` gives the peak."""

    def __init__(self, pids: list[int]) -> None:
        self.pids = pids
        self.peak = 0.0
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.is_set():
            self.peak = max(self.peak, sum(_pss_mb(p) for p in self.pids))
            self._done.wait(0.25)

    def stop(self) -> float:
        self._done.set()
        self._thread.join()
        return self.peak


SERVICE_COMMANDS = ("postgres", "redis-server")


def _services_cpu() -> dict[int, float]:
    """CPU seconds of every PostgreSQL and Redis process, by pid."""
    out = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            comm = (entry / "comm").read_text().strip()
        except OSError:
            continue
        if comm in SERVICE_COMMANDS:
            out[int(entry.name)] = _pid_cpu_s(int(entry.name))
    return out


class CpuMeter:
    """CPU used during a measured run: by the server, by PostgreSQL + Redis, and by everything else but wrk."""

    def __init__(self, server_pids: list[int]) -> None:
        self.pids = server_pids
        self.wall = time.monotonic()
        self.per_pid = {p: _pid_cpu_s(p) for p in server_pids}  # master first, then the workers
        self.server = sum(self.per_pid.values())
        self.services = _services_cpu()
        self.machine = _machine_busy_s()
        self.children = self._children_s()
        self.me = time.process_time()

    @staticmethod
    def _children_s() -> float:
        ru = resource.getrusage(resource.RUSAGE_CHILDREN)
        return ru.ru_utime + ru.ru_stime

    def worker_split(self) -> str:
        """Each worker's share of the server's CPU since the start, e.g. "51/49" (or "100/0": one worker idle)."""
        used = [_pid_cpu_s(p) - self.per_pid[p] for p in self.pids[1:]]
        total = sum(used) or 1.0
        return "/".join(f"{100 * u / total:.0f}" for u in used)

    def stop(self) -> tuple[float, float, float, float]:
        """(server CPU s, PostgreSQL + Redis CPU s, other CPU s, wall s) since the start."""
        server = sum(_pid_cpu_s(p) for p in self.pids) - self.server
        services = sum(cpu - self.services.get(pid, 0.0) for pid, cpu in _services_cpu().items())
        machine = _machine_busy_s() - self.machine
        wrk_s = self._children_s() - self.children  # wrk, waited for by subprocess.run
        me = time.process_time() - self.me
        other = max(machine - server - services - wrk_s - me, 0.0)
        return server, services, other, time.monotonic() - self.wall


def get(port: int, path: str, headers: dict[str, str] | None = None) -> tuple[int, dict[str, str], str]:
    conn = http.client.HTTPConnection(HOST, port, timeout=10)
    try:
        conn.request("GET", path, headers=headers or {})
        resp = conn.getresponse()
        body = resp.read().decode("utf-8", "replace")
        cookies = "; ".join(v.split(";", 1)[0] for k, v in resp.getheaders() if k.lower() == "set-cookie")
        return resp.status, {"set-cookie": cookies}, body
    finally:
        conn.close()


# --- one backend ---------------------------------------------------------------------


def seed(backend: Backend) -> dict[str, object]:
    proc = subprocess.run(
        [PY, "-m", "bench.seed", str(METERED_ARTICLES)],
        cwd=ROOT,
        env=backend.env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    (backend.data_dir / "seed.log").write_text(proc.stdout[-5000:] + proc.stderr)
    if proc.returncode != 0:
        lines = proc.stderr.strip().splitlines() or ["no output"]
        errors = [line for line in lines if re.match(r"^[\w.]+(Error|Exception)\b", line)]
        raise RuntimeError(f"seeding failed: {(errors or lines)[-1]} (see {backend.data_dir / 'seed.log'})")
    data: dict[str, object] = json.loads(proc.stdout.strip().splitlines()[-1])
    return data


def check(ok: bool, text: str) -> tuple[bool, str]:
    return ok, ("ok: " if ok else "FAILED: ") + text


def run_backend(make: Callable[[], Backend], name: str, seconds: int, py_spy: bool) -> BackendRun:
    run = BackendRun(name)
    try:
        backend = make()
    except (ConnectionError, ImportError) as exc:
        run.skipped = str(exc)
        say(f"{name}: SKIPPED: {exc}")
        return run
    started = time.monotonic()
    say(f"{name}: migrating and seeding {METERED_ARTICLES} metered articles, 1 premium, 1 subscriber")
    try:
        data = seed(backend)
    except (RuntimeError, subprocess.TimeoutExpired, ValueError) as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        say(f"{name}: ERROR {run.error}")
        return run
    run.info = {k: str(data[k]) for k in ("database", "meter_store", "session_engine", "cache", "login")}
    say(f"{name}: seeded in {time.monotonic() - started:.1f}s ({', '.join(f'{k}={v}' for k, v in run.info.items())})")

    server = Server(backend)
    try:
        server.wait_ready()
        say(f"{name}: server up at {server.base} (master {server.proc.pid}, workers {server.worker_pids()})")
        run.scenarios = scenarios_for(backend, server, data, seconds, py_spy)
    except Exception as exc:
        run.error = f"{type(exc).__name__}: {exc}"
        say(f"{name}: ERROR {run.error}")
    finally:
        server.stop()
    say(f"{name}: done in {time.monotonic() - started:.1f}s")
    return run


@dataclass
class Load:
    """How wrk loads one scenario, and what every response must (not) contain."""

    url: str
    headers: list[str] = field(default_factory=list)
    paths: list[str] | None = None  # rotate over these (Lua request())
    tokens: list[str] | None = None  # with paths: the readers, a device token per thread and lap
    warm_tokens: list[str] | None = None  # the warm-up's readers (so the measured views are all new)
    expect: list[str] = field(default_factory=list)
    forbid: list[str] = field(default_factory=list)


def scenarios_for(
    backend: Backend, server: Server, data: dict[str, object], seconds: int, py_spy: bool
) -> list[Scenario]:
    port = server.port
    metered_paths = [str(p) for p in data["metered_paths"]]  # type: ignore[attr-defined]
    premium = str(data["premium_path"])
    premium_lead, premium_last = str(data["premium_lead"]), str(data["premium_last"])
    premium_locked = [str(t) for t in data["premium_locked"]]  # type: ignore[attr-defined]
    last_marker = str(data["last_paragraph_marker"])
    cookie = str(data["session_cookie"])
    probe_ua = {"User-Agent": "broadsheet-bench/probe"}
    out: list[Scenario] = []

    # healthz
    health = Scenario("healthz", "/healthz")
    status, _, body = get(port, "/healthz")
    health.probe_ok, health.probe = check(status == 200 and '"ok"' in body, f"{status} {body.strip()[:40]}")
    out.append(health)

    # metered: anonymous, no cookie, a new (reader, article) pair per request
    metered = Scenario("metered", "anonymous metered article (new counted view per request)")
    before = backend.counted_views()
    status, hdrs, body = get(port, metered_paths[0], probe_ua)
    last = str(data["metered_probe_last"])
    counted = backend.counted_views() - before
    metered.probe_ok, metered.probe = check(
        status == 200 and last in body and 'class="countdown"' in body and counted == 1,
        f"{status}, last paragraph {'present' if last in body else 'MISSING'}, counted views +{counted}, "
        f"sets {hdrs['set-cookie'].split('=', 1)[0] or 'no cookie'}",
    )
    out.append(metered)
    hot = Scenario("metered-hot", f"anonymous metered, {HOT_ARTICLES} hot articles (new counted view per request)")
    hot.probe_ok, hot.probe = metered.probe_ok, "as metered"
    out.append(hot)

    # paywalled: anonymous on premium
    paywalled = Scenario("paywalled", "anonymous on premium article (paywall)")
    status, _, body = get(port, premium, probe_ua)
    leaked = [t for t in premium_locked if t in body]
    paywalled.probe_ok, paywalled.probe = check(
        status == 200 and "This is a premium story" in body and premium_lead in body and not leaked,
        f"{status}, paywall text {'present' if 'This is a premium story' in body else 'MISSING'}, "
        f"locked paragraphs {'LEAKED' if leaked else 'absent'}",
    )
    out.append(paywalled)

    # free: anonymous on a story open to everyone (no meter); its page is also what nginx serves
    free_path, free_last = str(data["free_path"]), str(data["free_last"])
    free = Scenario("free", "anonymous on a free article")
    status, _, free_html = get(port, free_path, probe_ua)
    free.probe_ok, free.probe = check(
        status == 200 and free_last in free_html and 'class="paywall' not in free_html,
        f"{status}, last paragraph {'present' if free_last in free_html else 'MISSING'}",
    )
    out.append(free)

    # subscriber: session cookie (+ the csrftoken cookie a browser holds after its first page)
    subscriber = Scenario("subscriber", "subscriber on premium article (session cookie)")
    status, hdrs, body = get(port, premium, {"Cookie": cookie, **probe_ua})
    csrf = next((c for c in hdrs["set-cookie"].split("; ") if c.startswith("csrftoken=")), "")
    if csrf:
        cookie = f"{cookie}; {csrf}"
    subscriber.probe_ok, subscriber.probe = check(
        status == 200 and premium_last in body and "This is a premium story" not in body and "Log out" in body,
        f"{status}, full text {'present' if premium_last in body else 'MISSING'}, "
        f"signed in {'yes' if 'Log out' in body else 'NO'}",
    )
    out.append(subscriber)

    api = api_reads.loads(port, data)
    for a in api:
        scenario = Scenario(a.name, a.label)
        scenario.probe_ok, scenario.probe = a.probe_ok, a.probe
        out.append(scenario)

    for s in out:
        say(f"{backend.name}: probe {s.name}: {s.probe}")

    loads = {
        "healthz": Load(f"{server.base}/healthz", expect=['"ok"']),
        "metered": Load(
            server.base,
            paths=metered_paths,
            expect=['class="countdown"', last_marker],
            forbid=['class="paywall'],
        ),
        "metered-hot": Load(
            server.base,
            paths=metered_paths[:HOT_ARTICLES],
            expect=['class="countdown"', last_marker],
            forbid=['class="paywall'],
        ),
        "paywalled": Load(
            f"{server.base}{premium}",
            headers=["User-Agent: broadsheet-bench/wrk"],
            expect=["This is a premium story", premium_lead],
            forbid=premium_locked,
        ),
        "free": Load(
            f"{server.base}{free_path}",
            headers=["User-Agent: broadsheet-bench/wrk"],
            expect=[free_last],
            forbid=['class="paywall'],
        ),
        "subscriber": Load(
            f"{server.base}{premium}",
            headers=[f"Cookie: {cookie}", "User-Agent: broadsheet-bench/wrk"],
            expect=["Log out", premium_last],
            forbid=["This is a premium story"],
        ),
    }
    for a in api:
        url = f"{server.base}{a.path}" if a.paths is None else server.base
        loads[a.name] = Load(
            url, a.headers, a.paths, tokens=a.tokens, warm_tokens=a.warm_tokens, expect=a.expect, forbid=a.forbid
        )
    for s in out:
        _measure(backend, s, loads[s.name], server.all_pids(), seconds, py_spy)
    static = _nginx_scenario(backend, free_html, free_last, seconds)
    if static is not None:
        out.append(static)
    return out


def _measure(backend: Backend, s: Scenario, load: Load, pids: list[int], seconds: int, py_spy: bool) -> None:
    """Warm up (every body checked), then the measured run with the server's CPU; the result goes on `s`.

    `pids`: the server's processes, its master first and then its workers."""
    # The warm-up checks every response body in Lua; the measured run does not
    # (handing bodies to Lua would slow wrk, which shares the two cores).
    warm_script = wrk.script(
        backend.data_dir / f"{s.name}-warmup.lua",
        paths=load.paths,
        tokens=load.warm_tokens or load.tokens,
        expect=load.expect,
        forbid=load.forbid,
    )
    say(f"{backend.name}: {s.name}: warm-up {WARMUP_SECONDS}s, checking every response")
    warm = wrk.run(
        load.url, seconds=WARMUP_SECONDS, headers=load.headers, script=warm_script, script_args=[f"{s.name}-warmup"]
    )
    counts = wrk.check_counts(warm.raw)
    if counts is None:
        s.check, s.check_ok = "FAILED: wrk printed no check summary", False
    else:
        good, bad, first = counts
        s.check_ok = bad == 0 and good > 0
        s.check = f"{good}/{good + bad} ok" + (f"; first bad: {first[:160]}" if bad else "")
    measure_script = (
        wrk.script(backend.data_dir / f"{s.name}.lua", paths=load.paths, tokens=load.tokens) if load.paths else None
    )
    time.sleep(0.5)  # requests wrk abandoned at the end of the warm-up finish before we count
    metered_run = s.name.startswith("metered") or s.name == "api-metered"
    before = backend.counted_views() if metered_run else 0
    say(f"{backend.name}: {s.name}: wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} -d{seconds}s --latency")
    workers = pids[1:]
    spy_outs = [backend.data_dir / f"profile-{s.name}-{pid}.txt" for pid in workers]
    spies = (
        [profile.start(pid, max(seconds - 2, 1), out) for pid, out in zip(workers, spy_outs, strict=True)]
        if py_spy
        else []
    )
    cpu = CpuMeter(pids)
    memory = MemoryPeak(pids)
    s.result = wrk.run(
        load.url, seconds=seconds, headers=load.headers, script=measure_script, script_args=[f"{s.name}-measure"]
    )
    s.worker_split = cpu.worker_split()
    s.memory_mb = memory.stop()
    server_s, services_s, other_s, wall = cpu.stop()
    for spy in spies:
        if spy is not None:
            spy.wait(timeout=30)
    if spies:
        s.profile = profile.summary(spy_outs)
        say(f"{backend.name}: {s.name}: py-spy profile of workers {workers} in {backend.data_dir}/profile-*")
        for line in s.profile:
            print(f"    {line}")
    s.server_cpu_ms = 1000 * server_s / max(s.result.requests, 1)
    s.services_cpu_ms = 1000 * services_s / max(s.result.requests, 1)
    s.other_cores = other_s / wall
    if metered_run:
        time.sleep(0.5)  # let requests wrk abandoned at the deadline finish
        delta = backend.counted_views() - before
        answered = s.result.requests - s.result.non_2xx_3xx
        # The store may count up to CONNECTIONS more: requests in flight when wrk stopped.
        s.counted_ok = answered <= delta <= s.result.requests + wrk.CONNECTIONS
        s.note = (
            f"{delta} new counted views in the meter store for {s.result.requests} completed requests"
            f" ({'every request counted' if s.counted_ok else 'MISMATCH: not every request was a counted view'})"
        )
    r = s.result
    extra = f", {s.note}" if s.note else ""
    say(
        f"{backend.name}: {s.name}: {r.rps:.1f} req/s, p50 {r.p50_ms:.2f} ms, p99 {r.p99_ms:.2f} ms, "
        f"{r.requests} requests, non-2xx/3xx {r.non_2xx_3xx}{', ' + r.socket_errors if r.socket_errors else ''}"
        f"; CPU ms/req server {s.server_cpu_ms:.2f}, pg+redis {s.services_cpu_ms:.2f}"
        f"; worker CPU split {s.worker_split}; server memory at peak {s.memory_mb:.0f} MB"
        f"; other load {s.other_cores:.2f} cores"
        f"; warm-up body check {s.check}{extra}"
    )


def _nginx_scenario(backend: Backend, html: str, expect: str, seconds: int) -> Scenario | None:
    """nginx serving the free story's saved HTML: the same bytes, the same wrk settings."""
    exe = nginx.nginx_path()
    if exe is None:
        say(f"{backend.name}: nginx is not installed (make bench-deps): its comparison is skipped")
        return None
    s = Scenario("nginx", "nginx serving the free article's saved HTML")
    static = nginx.Nginx(exe, backend.data_dir / "nginx", html, port=free_port())
    try:
        static.wait_ready()
        status, _, body = get(static.port, "/")
        s.probe_ok, s.probe = check(
            status == 200 and body == html, f"{status}, the saved page {'byte for byte' if body == html else 'DIFFERS'}"
        )
        say(f"{backend.name}: probe nginx: {s.probe}")
        _measure(backend, s, Load(f"http://{HOST}:{static.port}/", expect=[expect]), static.pids(), seconds, False)
    finally:
        static.stop()
    return s


# --- report -------------------------------------------------------------------------------


MEMORY_TARGET_MB = 250


def fmt_ms(v: float) -> str:
    return f"{v:.1f}" if v >= 10 else f"{v:.2f}"


def table(run: BackendRun) -> list[str]:
    lines = [
        "| scenario | req/s | vs /healthz | p50 ms | p99 ms | requests | non-2xx/3xx | socket errors "
        "| server CPU ms/req | pg+redis CPU ms/req | worker CPU split % | server MB at peak | other load (cores) |",
        "|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    base = run.healthz_rps()
    for s in run.scenarios:
        r = s.result
        if r is None:
            lines.append(f"| {s.label} | - | - | - | - | - | - | - | - | - | - | - | - |")
            continue
        ratio = f"{r.rps / base:.0%}" if base else "-"
        lines.append(
            f"| {s.label} | {r.rps:.1f} | {ratio} | {fmt_ms(r.p50_ms)} | {fmt_ms(r.p99_ms)} | {r.requests} "
            f"| {r.non_2xx_3xx} | {r.socket_errors or 'none'} | {s.server_cpu_ms:.2f} "
            f"| {s.services_cpu_ms:.2f} | {s.worker_split} | {s.memory_mb:.0f} | {s.other_cores:.2f} |"
        )
    lines.append("")
    lines.append("Correctness: one request per scenario before the load (probe), and every response of the warm-up")
    lines.append("checked by wrk's Lua for the expected text (and the absence of locked paragraphs):")
    lines.append("")
    for s in run.scenarios:
        lines.append(f"- {s.name}: probe {s.probe}; warm-up {s.check or 'not run'}")
    return lines


def verdicts(run: BackendRun) -> list[str]:
    base = run.healthz_rps()
    out = []
    for s in run.scenarios:
        if s.name not in ARTICLE_SCENARIOS or s.result is None or not base:
            continue
        ratio = s.result.rps / base
        wanted = TARGET_RATIOS.get(s.name)
        ok = (wanted is None or ratio >= wanted) and s.result.p99_ms < TARGET_P99_MS
        target = f"≥{wanted:.0%}, p99 < 50 ms" if wanted is not None else "p99 < 50 ms"
        out.append(
            f"- {s.name}: {'meets' if ok else 'misses'} the target "
            f"({ratio:.0%} of /healthz, p99 {fmt_ms(s.result.p99_ms)} ms; target {target})"
        )
    peak = max((s.memory_mb for s in run.scenarios if s.name != "nginx"), default=0.0)
    if peak:
        verdict = "meets" if peak < MEMORY_TARGET_MB else "misses"
        together = f"at most {peak:.0f} MB together (PSS; {verdict} < {MEMORY_TARGET_MB} MB)"
        out.append(f"- memory: the server's processes {together}")
    by_name = {s.name: s.result for s in run.scenarios if s.result is not None}
    free, static = by_name.get("free"), by_name.get("nginx")
    if free is not None and static is not None and static.rps:
        share = free.rps / static.rps
        verdict = "meets" if share >= NGINX_TARGET else "misses"
        out.append(f"- free: {share:.0%} of nginx serving its saved page ({verdict} the target of ≥{NGINX_TARGET:.0%})")
    return out


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True, check=False)
    first = (wrk_version.stdout or wrk_version.stderr).splitlines()[0].split(" Copyright")[0]
    system = f"{platform.system()} {platform.release()}"
    return f"{os.cpu_count()} CPUs ({cpu}), {system}, Python {platform.python_version()}, {first}"


def idle_check(seconds: float = 1.0) -> str:
    """How busy the machine is before we start: a benchmark on a busy machine measures the other work."""
    busy, wall = _machine_busy_s(), time.monotonic()
    time.sleep(seconds)
    cores = (_machine_busy_s() - busy) / (time.monotonic() - wall)
    text = f"{cores:.2f} cores busy before the run"
    if cores > 0.2:
        text += " - WARNING: the machine is not idle, numbers will be low and noisy"
    say(text)
    return text


def report(runs: list[BackendRun], seconds: int, elapsed: float, idle: str) -> str:
    lines = [
        "# Broadsheet load benchmark",
        "",
        f"- date: {datetime.now(UTC).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- machine: {machine()}",
        "- server: `manage.py serve --workers 2` (gunicorn's sync worker, one thread each: a connection per "
        "request), DEBUG off, "
        f"BROADSHEET_FREE_LIMIT={FREE_LIMIT}",
        f"- load: wrk -t{wrk.THREADS} -c{wrk.CONNECTIONS} -d{seconds}s --latency after a {WARMUP_SECONDS}s warm-up, "
        "on the same machine",
        f"- metered: {METERED_ARTICLES} metered articles rotated by a wrk Lua script; no cookie; each wrk thread "
        "sends a User-Agent naming the thread and its lap over the list, so every request is a new "
        "(reader, article) pair, i.e. a new counted view (readers change every lap: a browser without the "
        "cookie is keyed by network + User-Agent + language); most articles are cold in the workers' caches",
        f"- metered-hot: the same, over the first {HOT_ARTICLES} articles only: the meter write on articles "
        "already in memory",
        "- server CPU ms/req: CPU time of the gunicorn master and workers during the measured run divided by "
        "the requests wrk completed; pg+redis CPU ms/req: the same for the PostgreSQL and Redis processes; "
        "other load: CPU used by every other process (not those, not wrk) during the run, in cores: "
        "above ~0.1 the run was disturbed by something else on the machine; worker CPU split: each gunicorn "
        "worker's share of the server's CPU - wrk's keep-alive connections stay on the worker that accepted "
        "them, and a split like 100/0 means one worker served every connection while a core idled",
        f"- load before the run: {idle}",
        f"- total time: {elapsed:.0f}s",
        "",
    ]
    for run in runs:
        lines.append(f"## {run.name}")
        lines.append("")
        if run.skipped:
            lines += [f"Skipped: {run.skipped}", ""]
            continue
        if run.info:
            lines += [", ".join(f"{k}: {v}" for k, v in run.info.items()), ""]
        lines += table(run)
        lines.append("")
        notes = [f"- {s.name}: {s.note}" for s in run.scenarios if s.note]
        lines += notes + verdicts(run)
        if run.error:
            lines.append(f"- ERROR: {run.error}")
        lines.append("")
        for s in run.scenarios:
            if s.profile:
                lines += [f"py-spy, {s.name} (both workers, --gil, profiled run):", "", "```", *s.profile, "```", ""]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--seconds", type=int, default=10, help="measured seconds per scenario (default 10)")
    parser.add_argument("--backend", choices=["sqlite", "postgres+redis"], action="append", help="only these")
    parser.add_argument(
        "--py-spy", action="store_true", help="profile one worker per measured run (needs py-spy; lowers the numbers)"
    )
    opts = parser.parse_args()
    if shutil.which("wrk") is None:
        print("wrk is not installed (make bench-deps)", file=sys.stderr)
        return 2
    if opts.py_spy and profile.py_spy() is None:
        print("py-spy is not installed (.venv/bin/pip install py-spy)", file=sys.stderr)
        return 2
    backends: list[tuple[str, Callable[[], Backend]]] = [
        ("sqlite", sqlite_backend),
        ("postgres+redis", postgres_redis_backend),
    ]
    idle = idle_check()
    started = time.monotonic()
    chosen = [(name, make) for name, make in backends if not opts.backend or name in opts.backend]
    runs = [run_backend(make, name, opts.seconds, opts.py_spy) for name, make in chosen]
    text = report(runs, opts.seconds, time.monotonic() - started, idle)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text)
    print()
    print(text)
    print(f"(written to {RESULTS.relative_to(ROOT)})")
    failed = any(r.error for r in runs) or any(
        not (s.probe_ok and s.check_ok and s.counted_ok) for r in runs for s in r.scenarios
    )
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
