"""The PDF child process: clean (no inherited descriptors), one per document, killed at its time
limit even when it ignores SIGTERM, and gone when the process that asked for it dies."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.documents import pdf
from tests.live_server import ROOT, process_state


def _descriptors(_argument) -> tuple[int, list[str]]:
    """In the child: its pid and what its open descriptors point at."""
    targets = []
    for fd in os.listdir("/proc/self/fd"):
        try:
            targets.append(os.readlink(f"/proc/self/fd/{fd}"))
        except OSError:
            continue
    return os.getpid(), targets


def _stubborn(_argument) -> None:
    """In the child: ignore SIGTERM and never finish, as a child stuck in a C library would."""
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    while True:
        time.sleep(1)


def _fail(_argument) -> None:
    raise ValueError("a layout bug")


def _note_pid_and_wait(path: str) -> None:
    """In the child: write its pid where the test can read it, then never finish."""
    Path(path).write_text(str(os.getpid()))
    while True:
        time.sleep(1)


def _gone_within(pid: int, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while process_state(pid) is not None:
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def test_each_document_gets_a_fresh_child_holding_none_of_the_parents_descriptors(tmp_path):
    with socket.socket() as listening, open(tmp_path / "database.sqlite3", "wb"):
        listening.bind(("127.0.0.1", 0))
        listening.listen()
        inode = f"socket:[{os.fstat(listening.fileno()).st_ino}]"
        first_pid, first_targets = pdf.run_in_child(_descriptors, None, timeout=30)
        second_pid, _second = pdf.run_in_child(_descriptors, None, timeout=30)

    assert inode not in first_targets
    assert str(tmp_path / "database.sqlite3") not in first_targets
    assert first_pid != second_pid != os.getpid()
    assert process_state(first_pid) is None and process_state(second_pid) is None


def test_a_child_that_ignores_sigterm_is_killed_at_its_time_limit():
    started = time.monotonic()
    with pytest.raises(pdf.PdfNotReady) as raised:
        pdf.run_in_child(_stubborn, None, timeout=0.5)
    elapsed = time.monotonic() - started

    assert raised.value.pid and process_state(raised.value.pid) is None
    assert elapsed < 0.5 + pdf.STOP_GRACE_SECONDS + 3  # the time limit, the grace, a fork server start


def test_an_error_in_the_child_is_raised_in_the_parent_with_its_traceback():
    with pytest.raises(RuntimeError, match="ValueError: a layout bug"):
        pdf.run_in_child(_fail, None, timeout=30)


def test_the_child_ends_when_the_process_that_asked_for_it_is_killed(tmp_path):
    pid_file = tmp_path / "child.pid"
    code = (
        "from app.documents import pdf\n"
        "from tests.documents.test_pdf_child import _note_pid_and_wait\n"
        "if __name__ == '__main__':\n"
        f"    pdf.run_in_child(_note_pid_and_wait, {str(pid_file)!r}, timeout=120)\n"
    )
    parent = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT)
    child = None
    try:
        deadline = time.monotonic() + 30
        while not pid_file.exists() or not pid_file.read_text():
            assert parent.poll() is None and time.monotonic() < deadline
            time.sleep(0.1)
        child = int(pid_file.read_text())
        assert process_state(child) is not None

        parent.kill()  # as gunicorn's master kills a worker past its timeout
        parent.wait()

        assert _gone_within(child, 5)
    finally:
        parent.kill()
        parent.wait()
        if child is not None and process_state(child) is not None:
            os.kill(child, signal.SIGKILL)  # the test failed: leave nothing behind
