"""Batches written on more than one database connection at once.

Most of what a new story costs the database is its own work (the row, its
indexes, the search index's `to_tsvector` in the trigger), done by the one
server process serving a connection. With `count` writer threads, each with its
own connection (Django's are per thread), that many batches are written at
once, each in its own transaction as before; the results come back in the
order the batches were handed in. With `count` 0 a batch is written at once,
in the caller's thread (and its transaction, if it has one).
"""

from __future__ import annotations

import queue
import threading
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future

from django.db import connections

PENDING_PER_WRITER = 2  # batches waiting for a writer: enough to keep it busy, few enough to bound memory


class Writers[T]:
    def __init__(self, count: int) -> None:
        self._jobs: queue.Queue[tuple[Future[T], Callable[[], T]] | None] = queue.Queue()
        self._pending: deque[Future[T]] = deque()
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(count)]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        try:
            while (job := self._jobs.get()) is not None:
                future, write = job
                try:
                    future.set_result(write())
                except BaseException as exc:  # handed to the caller, which raises it
                    future.set_exception(exc)
        finally:
            connections.close_all()  # this thread's own connections

    def submit(self, write: Callable[[], T]) -> list[T]:
        """Hand a batch's write in; returns the results now due, in order (waiting while too many are pending)."""
        future: Future[T] = Future()
        if not self._threads:
            future.set_result(write())
        else:
            self._jobs.put((future, write))
        self._pending.append(future)
        due: list[T] = []
        most = PENDING_PER_WRITER * len(self._threads)
        while self._pending and (self._pending[0].done() or len(self._pending) > most):
            due.append(self._pending.popleft().result())
        return due

    def finish(self) -> list[T]:
        """Every result still to come, in order."""
        due = [future.result() for future in self._pending]
        self._pending.clear()
        return due

    def stop(self) -> None:
        """Let the threads end once their work is done (and close their connections)."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()
