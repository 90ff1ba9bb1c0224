"""A bounded pool of clean processes that build the queued document jobs.

Each server process (a gunicorn worker, `flask run`) starts its pool lazily, on the first job
it queues or is asked about: a thread that claims queued jobs from the database one UPDATE at
a time (so several workers, even several hosts, never build the same job twice) and runs each
in a new process, killed after DOCUMENT_JOB_TIMEOUT_SECONDS. At most DOCUMENT_JOB_PROCESSES
jobs run at once in the whole server, whatever its number of workers: the claim counts the
running jobs in the database (services.claim). The thread ends when nothing is queued or running.

The processes are never forks of the (threaded) server worker: they come from
multiprocessing's fork server (an exec'd, single-threaded process with the app's modules and
WeasyPrint already imported; see app/documents/pdf.py for why) or, where there is none, are
freshly spawned interpreters. Each creates its own app and database session from the worker's
settings, builds one document with the builders the routes name (app/docjobs/kinds.py),
writes its progress to the job row and exits, giving back all its memory.

A job whose process died with its worker (a restart, SIGKILL) is found by
services.recover_lost: on start of a pool and whenever its user's page asks how it goes.
"""

from __future__ import annotations

import os
import threading
import time

from flask import Flask

from app import clock
from app.docjobs import services
from app.documents import pdf
from app.extensions import db

_context = pdf.context()
pdf.preload(__name__)
pdf.preload("app.docjobs.warm")  # every module of the app, imported once in the fork server
STOP_GRACE_SECONDS = 2
IDLE_WAIT_SECONDS = 0.25

_pools: dict[int, Pool] = {}
_pools_lock = threading.Lock()


def wake(app: Flask) -> None:
    """Make sure this process's pool runs and looks at the queue now."""
    if app.config["DOCUMENT_JOB_PROCESSES"] <= 0:
        return
    with _pools_lock:
        pool = _pools.get(id(app))
        if pool is None or pool.pid != os.getpid():
            pool = _pools[id(app)] = Pool(app)
    pool.wake()


def watched_here(app: Flask) -> set[int]:
    """The jobs this process's pool is building now."""
    pool = _pools.get(id(app))
    return set(pool.children) if pool is not None and pool.pid == os.getpid() else set()


def idle(app: Flask) -> bool:
    """True when this process's pool builds nothing and its thread has ended."""
    pool = _pools.get(id(app))
    return pool is None or pool.pid != os.getpid() or pool.idle()


class Pool:
    def __init__(self, app: Flask):
        self.app = app
        self.pid = os.getpid()
        self.size = app.config["DOCUMENT_JOB_PROCESSES"]
        self.timeout = app.config["DOCUMENT_JOB_TIMEOUT_SECONDS"]
        self.children: dict[int, tuple] = {}  # job id -> (process, deadline)
        self._lock = threading.Lock()
        self._woken = threading.Event()
        self._thread: threading.Thread | None = None
        self._recovered = False

    def idle(self) -> bool:
        with self._lock:
            return self._thread is None

    def wake(self) -> None:
        with self._lock:
            self._woken.set()
            if self._thread is None:
                self._thread = threading.Thread(target=self._loop, name="giaoban-documents", daemon=True)
                self._thread.start()

    def _loop(self) -> None:
        while True:
            self._woken.clear()
            try:
                with self.app.app_context():
                    try:
                        if not self._recovered:
                            services.recover_lost(set(self.children))
                            self._recovered = True
                        self._reap()
                        queued = self._fill()
                    finally:
                        db.session.remove()
            except Exception:
                self.app.logger.exception("document pool")
                queued = True
            with self._lock:
                if not self.children and not queued and not self._woken.is_set():
                    self._thread = None
                    return
            self._woken.wait(self._next_wait())

    def _next_wait(self) -> float:
        """Until the next look: at most IDLE_WAIT_SECONDS, and no later than a build's deadline."""
        deadlines = [deadline for _process, deadline in list(self.children.values())]
        if not deadlines:
            return IDLE_WAIT_SECONDS
        return max(0.0, min(IDLE_WAIT_SECONDS, min(deadlines) - time.monotonic()))

    def _fill(self) -> bool:
        """Start queued jobs while a place is free; True when some are left waiting.

        A place: fewer than DOCUMENT_JOB_PROCESSES builds here, and as few in the whole server
        (every worker's pool, every host on the database; services.claim counts them).
        """
        while True:
            job_id = services.next_queued()
            if job_id is None:
                return False
            if len(self.children) >= self.size:
                return True
            if not services.claim(job_id, None, limit=self.size):
                if services.still_queued(job_id):  # the server's places are taken: look again soon
                    services.recover_lost(set(self.children))  # places held by builds that died
                    return True
                continue  # another pool took it
            process = _context.Process(
                target=child_main, args=(_plain_config(self.app), job_id, _pinned_now()),
                name=f"giaoban-document-{job_id}", daemon=True,
            )
            process.start()
            self.children[job_id] = (process, time.monotonic() + self.timeout)
            services.set_worker(job_id, process.pid)

    def _reap(self) -> None:
        for job_id, (process, deadline) in list(self.children.items()):
            if process.is_alive() and time.monotonic() < deadline:
                continue
            timed_out = process.is_alive()
            _stop(process)
            del self.children[job_id]
            services.discard_partial(job_id)
            services.fail(job_id, services.timeout_message(self.timeout) if timed_out else services.crash_message())


def _stop(process) -> None:
    """Wait for a process that ended; terminate, then kill, one that did not."""
    if process.is_alive():
        process.terminate()
        process.join(STOP_GRACE_SECONDS)
    if process.is_alive():
        process.kill()
    process.join()
    process.close()


def _plain_config(app: Flask) -> dict:
    """The worker's settings a new process can be given (names, numbers, texts)."""
    return {key: value for key, value in app.config.items() if key.isupper() and _plain(value)}


def _plain(value) -> bool:
    if value is None or isinstance(value, str | int | float | bool):
        return True
    if isinstance(value, list | tuple):
        return all(_plain(v) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    return False


def _pinned_now():
    return clock.now() if clock.is_pinned() else None


# --- in the job's process ------------------------------------------------------------------


def child_main(config: dict, job_id: int, pinned_now) -> None:
    """Build one job in this fresh process, then exit."""
    pdf.exit_with_parent()
    if pinned_now is not None:
        clock.pin(pinned_now)
    from app import create_app

    app = create_app({**config, "PDF_IN_PROCESS": True})
    with app.app_context():
        services.run(job_id)
        db.session.remove()
        db.engine.dispose()
