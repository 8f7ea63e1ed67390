"""nginx serving one saved page: the ceiling a static file server reaches on this machine.

`bench/run.py` saves the free story's HTML as the site served it, starts Debian's nginx
on a loopback port with as many workers as gunicorn has, and loads it with the same wrk
settings, so the free story's rate can be read as a share of it.
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import time
from pathlib import Path

CONF = """worker_processes {workers};
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {root}/tmp;
    proxy_temp_path {root}/tmp;
    fastcgi_temp_path {root}/tmp;
    uwsgi_temp_path {root}/tmp;
    scgi_temp_path {root}/tmp;
    default_type "text/html; charset=utf-8";
    server {{
        listen 127.0.0.1:{port};
        root {root};
        location / {{ try_files /page.html =404; }}
    }}
}}
"""


def nginx_path() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if Path(p).exists()), None)


class Nginx:
    """One nginx master and its workers, serving `html` at every path, until `stop()`."""

    def __init__(self, exe: str, root: Path, html: str, *, port: int, workers: int = 2) -> None:
        self.port = port
        root.mkdir(parents=True, exist_ok=True)
        (root / "tmp").mkdir(exist_ok=True)
        root.chmod(0o755)
        (root / "page.html").write_text(html)
        conf = root / "nginx.conf"
        conf.write_text(CONF.format(workers=workers, root=root, port=port))
        argv = [exe, "-p", str(root), "-c", str(conf), "-e", str(root / "error.log"), "-g", "daemon off;"]
        self.proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)

    def pids(self) -> list[int]:
        """The master first, then its workers."""
        try:
            children = Path(f"/proc/{self.proc.pid}/task/{self.proc.pid}/children").read_text().split()
        except OSError:
            return [self.proc.pid]
        return [self.proc.pid, *(int(c) for c in children)]

    def wait_ready(self, timeout: float = 10.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited ({self.proc.returncode})")
            if len(self.pids()) > 1:
                return
            time.sleep(0.1)
        raise RuntimeError("nginx started no workers")

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGQUIT)  # graceful: the workers finish and exit
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
