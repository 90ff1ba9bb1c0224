"""Report PDFs under gunicorn: how long they take, what they leave behind, whether the port is free.

    .venv/bin/python bench/pdf_timing.py                       # this checkout, demo data
    .venv/bin/python bench/pdf_timing.py --app-dir /tmp/old    # another checkout, same data
    .venv/bin/python bench/pdf_timing.py --only load           # just the second part

Both parts serve the demo database (made once in $TMPDIR/giaoban-pdf-timing) with the
README's gunicorn command, logged in as the demo coordinator and leader.

1. timing: one worker (so the first PDF measured is that worker's first), one request at a
   time. Per report: the first request, then the median and slowest of --requests more; then
   the resident memory (VmRSS) of each process the server started.
2. load: --workers 2, 4 clients share 40 PDFs (as tests/serving/test_pdf_under_gunicorn.py);
   counts 200s, other answers and requests without an answer after --client-timeout s; then
   SIGTERM, the processes of that server still alive after 15 s, and whether gunicorn starts
   again on the same port.
"""

import argparse
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.live_server import (  # noqa: E402 — after the path is set
    Client,
    demo_env,
    free_port,
    kill_marked,
    make_demo,
    marked_processes,
    parent_pid,
    serving,
    start_gunicorn,
    stop,
    wait_for,
    wait_until_gone,
)

DATA_DIR = Path(tempfile.gettempdir()) / "giaoban-pdf-timing"
TIMED = ("/reports/weekly.pdf", "/reports/meeting.pdf?meeting=1", "/reports/unit.pdf?unit=71")
LOAD = ("/reports/unit.pdf?unit=71", "/reports/unit.pdf?unit=58", "/reports/unit.pdf?unit=148",
        "/reports/meeting.pdf?meeting=1", "/reports/directives.pdf?meeting=1", "/reports/weekly.pdf")


def rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def timed_get(client: Client, path: str) -> float:
    started = time.perf_counter()
    status, _headers, body = client.get(path)
    elapsed = (time.perf_counter() - started) * 1000
    if status != 200 or not body.startswith(b"%PDF-"):
        print(f"  {path}: {status} after {elapsed:.0f} ms")
        return float("nan")
    return elapsed


def timing(env: dict, app_dir: Path, requests: int) -> None:
    with tempfile.TemporaryDirectory() as tmp, \
            serving(env, Path(tmp) / "server.log", workers=1, cwd=app_dir) as (url, server):
        client = Client(url, timeout=45)
        assert client.log_in("vanphong.demo") == 303
        print(f"timing: {app_dir}, one gunicorn worker, one request at a time")
        print(f"{'report':<34} {'first ms':>9} {'median ms':>10} {'max ms':>8}")
        for path in TIMED:
            first = timed_get(client, path)
            times = [timed_get(client, path) for _ in range(requests)]
            print(f"{path:<34} {first:>9.0f} {statistics.median(times):>10.0f} {max(times):>8.0f}")
        for pid, cmdline in sorted(marked_processes(env["LIVE_SERVER_MARKER"]).items()):
            role = "master" if pid == server.pid else "worker" if parent_pid(pid) == server.pid else cmdline[:70]
            print(f"  pid {pid:>7}  {rss_mb(pid):6.1f} MB  {role}")


def _share(client: Client, paths: list[str]) -> list[tuple[int | str, float]]:
    out = []
    for path in paths:
        started = time.perf_counter()
        try:
            status, _headers, body = client.get(path)
            outcome = status if status != 200 or body.startswith(b"%PDF-") else "200 without a PDF"
        except TimeoutError:
            outcome = "no answer"
        except OSError as error:
            outcome = type(error).__name__
        out.append((outcome, time.perf_counter() - started))
    return out


def load(env: dict, app_dir: Path, client_timeout: float) -> None:
    marker = env["LIVE_SERVER_MARKER"]
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        server = start_gunicorn(env, port, Path(tmp) / "server.log", workers=2, cwd=app_dir)
        try:
            url = f"http://127.0.0.1:{port}"
            wait_for(url + "/healthz", server)
            clients = [Client(url, timeout=client_timeout) for _ in range(4)]
            for index, client in enumerate(clients):
                assert client.log_in(("vanphong.demo", "lanhdao.demo")[index % 2]) == 303
            paths = [LOAD[i % len(LOAD)] for i in range(40)]
            started = time.perf_counter()
            with ThreadPoolExecutor(4) as pool:
                results = [r for share in pool.map(_share, clients, [paths[i::4] for i in range(4)]) for r in share]
            wall = time.perf_counter() - started
            outcomes: dict = {}
            for outcome, _seconds in results:
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
            answered = sorted(seconds for outcome, seconds in results if outcome == 200)
            print(f"load: {app_dir}, gunicorn --workers 2, 4 clients, 40 PDFs in {wall:.1f} s")
            print(f"  outcomes: {outcomes}")
            if answered:
                print(f"  200s: median {statistics.median(answered):.2f} s, slowest {answered[-1]:.2f} s")
            during = marked_processes(marker)
            print(f"  processes of the server before stopping: {len(during)}")
            code = stop(server)
            left = wait_until_gone(marker)
            print(f"  SIGTERM: master exit code {code}; still alive after 15 s: {len(left)}")
            for pid, cmdline in left.items():
                print(f"    pid {pid} {rss_mb(pid):.0f} MB parent {parent_pid(pid)}: {cmdline[:70]}")
            again = start_gunicorn(env, port, Path(tmp) / "again.log", workers=2, cwd=app_dir)
            try:
                wait_for(url + "/healthz", again, timeout=15)
                print("  restart on the same port: answers /healthz")
            except RuntimeError as error:
                log = (Path(tmp) / "again.log").read_text()
                reason = "Address already in use" if "Address already in use" in log else str(error)
                print(f"  restart on the same port: fails ({reason})")
            finally:
                stop(again)
        finally:
            stop(server)
            kill_marked(marker)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--app-dir", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--requests", type=int, default=10, help="timed PDFs per report after the first")
    parser.add_argument("--client-timeout", type=float, default=45, help="seconds a client waits for an answer")
    parser.add_argument("--only", choices=("timing", "load"), help="run one part")
    args = parser.parse_args()

    DATA_DIR.mkdir(exist_ok=True)
    env = demo_env(DATA_DIR)
    if not (DATA_DIR / "live.sqlite3").exists():
        make_demo(env)
    env["PYTHONPATH"] = str(args.app_dir)
    if args.only in (None, "timing"):
        timing(env, args.app_dir, args.requests)
    if args.only in (None, "load"):
        load(env, args.app_dir, args.client_timeout)


if __name__ == "__main__":
    main()
