"""bench/run.py counts a request that gets no answer in time as an error, never drops it."""

import importlib.util
import socket
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _load(name: str, relative: str):
    spec = importlib.util.spec_from_file_location(name, ROOT / relative)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _silent_server():
    """A real loopback socket that accepts and never answers."""
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    held = []
    stop = threading.Event()

    def accept():
        listener.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
                held.append(connection)
            except OSError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    return listener, stop, held


def test_a_request_without_an_answer_counts_as_an_error():
    run = _load("bench_run", "bench/run.py")
    listener, stop, held = _silent_server()
    try:
        client = run.Client(listener.getsockname()[1], timeout=0.3)
        started = time.monotonic()
        reply = client.request("GET", "/proposals/")
        assert time.monotonic() - started < 5
        cell = run.Cell(run.SCENARIOS[1], 4)
        cell.add(reply)
        assert cell.errors == 1
        assert cell.error_statuses == {run.NO_ANSWER: 1}
        assert cell.times == []
    finally:
        stop.set()
        listener.close()
        for connection in held:
            connection.close()
