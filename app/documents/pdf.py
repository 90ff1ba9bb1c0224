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


def lay_out(html: str, timeout: float, *, here: bool = False, cache_dir: str | None = None) -> bytes:
    """The PDF of html, made in a child process that is killed after timeout seconds.

    here: in this process, which must itself be a clean child with a time limit (a document
    job's process, app/docjobs/pool.py).
    cache_dir: where the PDFs of the last LAYOUT_CACHE_FILES pages are kept, by their HTML; the
    same HTML again is that PDF at once, without WeasyPrint (see layout_key).
    """
    key = layout_key(html) if cache_dir else None
    if key is not None and (kept := cached_layout(cache_dir, key)) is not None:
        return kept
    data = _write_pdf(html) if here else run_in_child(_write_pdf, html, timeout=timeout)
    if key is not None:
        keep_layout(cache_dir, key, data)
    return data


# --- the PDFs already laid out, by their HTML ------------------------------------------------
#
# WeasyPrint's PDF is a function of the HTML it is given (with its fonts and its own version):
# the same page laid out again is the same document. A report's HTML takes a tenth of a second
# to make and its layout seconds (a big meeting: ~70 pages, ~9,000 lines of text), so a report
# asked again after the data changed elsewhere (a new data version, hence a new job) is laid out
# only when its own text changed. Files are kept in the folder given, the least recently used
# removed past LAYOUT_CACHE_FILES; a file being written is never read (a rename finishes it).

LAYOUT_CACHE_FILES = 64
_FONTS = ("LiberationSerif-Regular.ttf", "LiberationSerif-Bold.ttf", "LiberationSerif-Italic.ttf",
          "LiberationSerif-BoldItalic.ttf")


def layout_key(html: str) -> str:
    """What a PDF depends on: the HTML, WeasyPrint's version and the shipped fonts' files."""
    import hashlib

    from weasyprint import __version__ as weasyprint_version

    digest = hashlib.sha256(f"weasyprint {weasyprint_version}\n".encode())
    fonts = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(__file__))), "static", "fonts")
    for name in _FONTS:
        try:
            stat = os.stat(os.path.join(fonts, name))
        except OSError:
            continue
        digest.update(f"{name} {stat.st_size} {stat.st_mtime_ns}\n".encode())
    digest.update(html.encode())
    return digest.hexdigest()


def cached_layout(folder: str, key: str) -> bytes | None:
    path = os.path.join(folder, f"{key}.pdf")
    try:
        with open(path, "rb") as handle:
            data = handle.read()
        os.utime(path)  # recently used: kept longer
    except OSError:
        return None
    return data


def keep_layout(folder: str, key: str, data: bytes) -> None:
    """Keep data as the PDF of key; a failure only costs the next build its layout."""
    try:
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{key}.pdf")
        temporary = f"{path}.{os.getpid()}.part"
        with open(temporary, "wb") as handle:
            handle.write(data)
        os.replace(temporary, path)
        _trim(folder)
    except OSError:
        return


def _trim(folder: str) -> None:
    """Remove the least recently used PDFs past LAYOUT_CACHE_FILES."""
    kept = []
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name.endswith(".pdf"):
                try:
                    kept.append((entry.stat().st_mtime_ns, entry.path))
                except OSError:
                    continue
    kept.sort(reverse=True)
    for _mtime, path in kept[LAYOUT_CACHE_FILES:]:
        try:
            os.remove(path)
        except OSError:
            continue


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
