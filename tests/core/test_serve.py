"""`broadsheet serve`: gunicorn's command line."""

from __future__ import annotations

from broadsheet.core.management.commands.serve import server_argv


def test_two_sites_on_one_host_do_not_share_a_control_socket() -> None:
    argv = server_argv("/venv/bin/gunicorn", bind="127.0.0.1:8114", workers=2, threads=1, log=False)
    assert "--no-control-socket" in argv and "--access-logfile" not in argv
    assert argv[:4] == ["/venv/bin/gunicorn", "broadsheet.wsgi:application", "--bind", "127.0.0.1:8114"]
    assert "--access-logfile" in server_argv("g", bind="b", workers=1, threads=1, log=True)
