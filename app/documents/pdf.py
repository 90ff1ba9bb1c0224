"""Lay out PDFs with WeasyPrint in a clean child process, one per document, within a time limit.

Why a child: laying out a big meeting takes WeasyPrint ~75 MB that a worker would keep for
good; a child gives all of it back when it exits.

Why not a fork of the worker: a forked child inherits the worker's threads' locks, its
descriptors (the listening socket, the database) and its signal handlers. Under gunicorn about
one PDF in eight forked while a lock was held; the child blocked forever, ignored SIGTERM,
outlived its killed worker and kept the port, so gunicorn could not start again.

So children come from multiprocessing's fork server: a process started with exec, holding no
descriptor but the ones it is handed (close_fds), single-threaded, with WeasyPrint already
imported, so a document starts in milliseconds instead of the ~1 s WeasyPrint takes to import.
Each worker starts its own fork server with its first PDF; it ends when the worker ends.
Where there is no fork server (Windows), each document gets a freshly spawned interpreter.
"""

import multiprocessing
import os
import threading
import time
import traceback
from multiprocessing.connection import wait

START_METHOD = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
_context = multiprocessing.get_context(START_METHOD)
PRELOAD = [__name__, "weasyprint"]
if START_METHOD == "forkserver":
    # Imported once in the fork server, so each child starts with them loaded.
    _context.set_forkserver_preload(PRELOAD)


def context():
    """The multiprocessing context clean children come from (the fork server, or spawn)."""
    return _context


def preload(module: str) -> None:
    """Have the fork server import module too, so children that need it start at once
    (effective while this process's fork server has not started yet)."""
    if module not in PRELOAD:
        PRELOAD.append(module)
    if START_METHOD == "forkserver":
        _context.set_forkserver_preload(PRELOAD)

MAX_CHILDREN = 2  # documents laid out at once by one server process (a sync worker: one)
STOP_GRACE_SECONDS = 2  # between SIGTERM and SIGKILL
_slots = threading.BoundedSemaphore(MAX_CHILDREN)


class PdfNotReady(Exception):
    """The document was not laid out in time, or its child died: the user may try again later."""

    def __init__(self, reason: str, pid: int | None = None):
        super().__init__(reason)
        self.pid = pid


def lay_out(html: str, timeout: float, *, here: bool = False) -> bytes:
    """The PDF of html, made in a child process that is killed after timeout seconds.

    here: in this process, which must itself be a clean child with a time limit (a document
    job's process, app/docjobs/pool.py).
    """
    if here:
        return _write_pdf(html)
    return run_in_child(_write_pdf, html, timeout=timeout)


def run_in_child(function, argument, *, timeout: float):
    """function(argument) in a clean child process; PdfNotReady when it takes over timeout seconds.

    The child is gone when this returns or raises: it exited, or was terminated, then killed.
    function must be importable by name (the child unpickles it).
    """
    deadline = time.monotonic() + timeout
    if not _slots.acquire(timeout=timeout):
        raise PdfNotReady(f"all {MAX_CHILDREN} PDF children of this process stayed busy")
    try:
        receiver, sender = _context.Pipe(duplex=False)
        with receiver:
            child = _context.Process(
                target=_child_main, args=(function, argument, sender), name="giaoban-pdf", daemon=True
            )
            try:
                child.start()
            finally:
                sender.close()  # the child has its own; EOF then means the child is gone
            finished = False
            try:
                if not receiver.poll(max(0.0, deadline - time.monotonic())):
                    raise PdfNotReady(f"not laid out within {timeout:g} s; child {child.pid} stopped", child.pid)
                try:
                    outcome, value = receiver.recv()
                except EOFError:
                    raise PdfNotReady(f"child {child.pid} died without an answer", child.pid) from None
                finished = True
            finally:
                _stop(child, at_once=not finished)
    finally:
        _slots.release()
    if outcome == "error":
        raise RuntimeError(f"PDF child failed:\n{value}")
    return value


def _stop(child, *, at_once: bool) -> None:
    """Wait for a child that answered; terminate, then kill, one that did not (or lingers)."""
    if not at_once:
        child.join(STOP_GRACE_SECONDS)
    if child.is_alive():
        child.terminate()
        child.join(STOP_GRACE_SECONDS)
    if child.is_alive():
        child.kill()
        child.join()
    child.close()


# --- in the child ----------------------------------------------------------------------------


def _child_main(function, argument, sender) -> None:
    exit_with_parent()
    try:
        answer = ("ok", function(argument))
    except Exception:
        answer = ("error", traceback.format_exc())
    sender.send(answer)
    sender.close()


def exit_with_parent() -> None:
    """End this child the moment the worker that asked for it ends (even by SIGKILL).

    The child's parent is the fork server, not the worker; multiprocessing hands the child the
    read end of a pipe whose write end only the worker holds, and it reads as closed when the
    worker is gone.
    """
    parent = multiprocessing.parent_process()
    if parent is None or parent.sentinel is None:
        return

    def watch() -> None:
        wait([parent.sentinel])
        os._exit(1)

    threading.Thread(target=watch, name="exit-with-parent", daemon=True).start()


def _write_pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()
