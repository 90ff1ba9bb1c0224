"""Profile the printed reports and the Excel export in-process, against a copy of the bench data.

For each URL a fresh child process logs in as bench.coordinator with Flask's test client, sends
the request once to warm up, then --requests more (a Word, PDF or Excel file as a user takes it:
its button pressed, here with the job built inside the request (DOCUMENT_JOB_PROCESSES=0), each
press a fresh build, neither the job cache nor the kept PDF layouts used, then its file read), and prints the median CPU ms, the SQL
statements (X-Query-Count), the response size and the process's peak RSS (ru_maxrss) with its
RSS before the first request, so each document's memory is seen on its own; --tracemalloc adds
the peak of Python allocations during one more request. --profile writes a
cProfile of one request per URL to bench/out/<key>.prof and prints its top functions.

    DATABASE_URL=sqlite:////tmp/docs-bench.sqlite3 .venv/bin/python bench/documents_profile.py
    ... bench/documents_profile.py --only docx,pdf --requests 3 --profile

Light on purpose: one request at a time, one process at a time (bench/run.py is the full load test).
Never point it at the bench database itself: copy it first (sqlite3 src ".backup dst").
"""

import argparse
import json
import os
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
USERNAME = "bench.coordinator"
PASSWORD = "Bench-GiaoBan-2025"  # noqa: S105 — the bench data's shared password, not a secret
CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')

URLS = {
    "html": "/reports/meeting?meeting={meeting}",
    "docx": "/reports/meeting.docx?meeting={meeting}",
    "pdf": "/reports/meeting.pdf?meeting={meeting}",
    "xlsx": "/reports/export/proposals.xlsx?from={year_from}&to={year_to}",
}


def _targets(database_url: str) -> dict:
    """The meeting with the most proposals and the last full year of data."""
    path = database_url.removeprefix("sqlite:///")
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        meeting = conn.execute(
            "SELECT meeting_id FROM proposals WHERE meeting_id IS NOT NULL GROUP BY meeting_id "
            "ORDER BY count(*) DESC, meeting_id LIMIT 1").fetchone()[0]
        last = conn.execute("SELECT max(submitted_at) FROM proposals").fetchone()[0]
    year = int(last[:4]) - 1
    return {"meeting": meeting, "year_from": f"{year}-01-01", "year_to": f"{year}-12-31"}


def _rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


DOCUMENTS = ("docx", "pdf", "xlsx")


def _take(client, key: str, url: str, token: str, press: list):
    """The page (GET), or the document: its button pressed (a fresh build each time, built in
    this process since DOCUMENT_JOB_PROCESSES is 0), then its file. Returns (press, file)."""
    if key not in DOCUMENTS:
        page = client.get(url)
        return page, page
    press.append(len(press))
    fresh = f"{url}{'&' if '?' in url else '?'}_run={os.getpid()}-{len(press)}"
    started = client.post(fresh, data={"csrf_token": token})
    if started.status_code == 200 and key == "xlsx":  # an export of at most EXPORT_IN_REQUEST_ROWS: the file itself
        return started, started
    assert started.status_code == 303, (fresh, started.status_code)
    job = urlsplit(started.headers["Location"]).path  # /documents/jobs/<id>
    file = client.get(f"{job}/file")
    assert file.status_code == 200, (job, file.status_code)
    return started, file


def measure(key: str, url: str, requests: int, profile: bool, tracemalloc_peak: bool) -> dict:
    """Run in the child: log in, warm up, time `requests` requests of url (a document: pressed)."""
    os.environ["BENCH_QUERY_COUNT"] = "1"
    os.environ["LOGIN_RATE_LIMIT"] = "1000 per minute"
    os.environ["DOCUMENT_JOB_PROCESSES"] = "0"  # the job built inside the press's request
    os.environ["PDF_LAYOUT_CACHE"] = "0"  # every PDF laid out
    sys.path.insert(0, str(ROOT))
    from app import create_app

    app = create_app()  # configured from the environment, as gunicorn's workers are
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    token = match.group(1) or match.group(2)
    answer = client.post("/login", data={"username": USERNAME, "password": PASSWORD, "csrf_token": token})
    assert answer.status_code == 303, answer.status_code
    match = CSRF_RE.search(client.get("/").get_data(as_text=True))  # the signed-in session's token
    token = match.group(1) or match.group(2)
    rss_before = _rss_mb()
    presses: list = []
    warm, _file = _take(client, key, url, token, presses)
    assert warm.status_code in (200, 303), (url, warm.status_code)
    cpu, statements = [], []
    for _ in range(requests):
        started = time.process_time()
        pressed, response = _take(client, key, url, token, presses)
        cpu.append((time.process_time() - started) * 1000)
        statements.append(int(pressed.headers.get("X-Query-Count", -1)))
    result = {
        "key": key, "url": url, "cpu_ms": statistics.median(cpu), "cpu_all": [round(c) for c in cpu],
        "statements": statistics.median(statements), "bytes": len(response.get_data()),
        "rss_before_mb": rss_before, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "python_peak_mb": None,
    }
    if tracemalloc_peak:
        # One more request with Python's allocations traced: the most the request held at once
        # (C libraries' own memory, e.g. Pango's, is not in it; the RSS peak above has it).
        import tracemalloc

        tracemalloc.start()
        _take(client, key, url, token, presses)
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    if profile:
        import cProfile
        import pstats

        OUT.mkdir(exist_ok=True)
        profiler = cProfile.Profile()
        profiler.runcall(_take, client, key, url, token, presses)
        path = OUT / f"{key}.prof"
        profiler.dump_stats(path)
        stats = pstats.Stats(str(path), stream=sys.stderr)
        stats.sort_stats("cumulative").print_stats(35)
        stats.sort_stats("tottime").print_stats(25)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3, help="timed requests per URL (after one warm-up)")
    parser.add_argument("--only", default=",".join(URLS), help="keys among " + ",".join(URLS))
    parser.add_argument("--profile", action="store_true", help="cProfile one more request per URL")
    parser.add_argument("--tracemalloc", action="store_true", help="trace one more request's Python allocations")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        key, url = args.child.split(" ", 1)
        print(json.dumps(measure(key, url, args.requests, args.profile, args.tracemalloc)))
        return
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("sqlite:///") or "giaoban-bench" in database_url:
        sys.exit("Set DATABASE_URL=sqlite:////tmp/<your copy>.sqlite3 (a copy of the bench database).")
    targets = _targets(database_url)
    print(f"meeting {targets['meeting']}, year {targets['year_from']} .. {targets['year_to']}")
    print(f"{'url':<62} {'CPU ms':>7} {'stmts':>6} {'KB':>6} {'RSS0 MB':>8} {'peak MB':>8} {'py MB':>6}  all CPU ms")
    for key in args.only.split(","):
        url = URLS[key].format(**targets)
        child = [sys.executable, __file__, "--child", f"{key} {url}", "--requests", str(args.requests)]
        child += ["--profile"] if args.profile else []
        child += ["--tracemalloc"] if args.tracemalloc else []
        done = subprocess.run(child, stdout=subprocess.PIPE, text=True, check=True)
        r = json.loads(done.stdout.strip().splitlines()[-1])
        python_peak = "" if r["python_peak_mb"] is None else f"{r['python_peak_mb']:.0f}"
        print(f"{url:<62} {r['cpu_ms']:>7.0f} {r['statements']:>6.0f} {r['bytes'] / 1024:>6.0f} "
              f"{r['rss_before_mb']:>8.0f} {r['peak_rss_mb']:>8.0f} {python_peak:>6}  {r['cpu_all']}", flush=True)


if __name__ == "__main__":
    main()
