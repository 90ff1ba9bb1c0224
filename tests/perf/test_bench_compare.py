"""bench/compare.py compares two real HTTP sites in interleaved rounds and counts errors."""

import http.server
import importlib.util
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _compare_module():
    sys.path.insert(0, str(ROOT / "bench"))
    spec = importlib.util.spec_from_file_location("bench_compare", ROOT / "bench" / "compare.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["bench_compare"] = module
    spec.loader.exec_module(module)
    return module


def _serve(delay: float, cookies: list):
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 — http.server's name
            cookies.append(self.headers.get("Cookie"))
            time.sleep(delay)
            status = 404 if self.path.endswith("/missing") else 200
            self.send_response(status)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def test_two_sites_compared_page_by_page():
    compare = _compare_module()
    cookies_a, cookies_b = [], []
    fast, slow = _serve(0.0, cookies_a), _serve(0.05, cookies_b)
    try:
        a = compare.Site("A", f"http://127.0.0.1:{fast.server_address[1]}", "session=a")
        b = compare.Site("B", f"http://127.0.0.1:{slow.server_address[1]}/prefix", "_redmine_session=b")
        lines = compare.compare(a, b, [("list", "/x", "/y"), ("broken on B", "/x", "/missing")],
                                rounds=2, requests=6, concurrency=2, seconds=5, timeout=5, log=lambda m: None)
    finally:
        for server in (fast, slow):
            server.shutdown()
            server.server_close()
    assert set(cookies_a) == {"session=a"} and set(cookies_b) == {"_redmine_session=b"}
    row = next(line for line in lines if line.startswith("list"))
    ratio = float(row.split("×")[0].split()[-1])
    assert ratio > 2  # A answers at once, B after 50 ms: A serves several times more per second
    broken = next(line for line in lines if line.startswith("broken on B"))
    assert broken.rstrip().endswith("0/12")  # every request to B's missing page counted as an error
