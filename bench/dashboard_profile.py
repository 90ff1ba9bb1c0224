"""Measure the leaders' dashboard and home page in-process, with a handful of requests.

A light companion to bench/run.py (which loads the machine's cores with gunicorn): it builds
the app against DATABASE_URL, logs in as bench.leader with Flask's test client and times each
page a few times, printing the median CPU ms (X-CPU-Ms), wall ms and SQL statements
(X-Query-Count) per URL. --save keeps each page's HTML (tokens blanked) and --compare diffs
against a saved run, so a change can be checked to leave every figure as it was.

    cp: sqlite3 /tmp/giaoban-bench/bench-s1-seed1.sqlite3 ".backup /tmp/dash-bench.sqlite3"
    DATABASE_URL=sqlite:////tmp/dash-bench.sqlite3 .venv/bin/python bench/dashboard_profile.py \\
        --save /tmp/dash-before
    ... change the code ...
    DATABASE_URL=sqlite:////tmp/dash-bench.sqlite3 .venv/bin/python bench/dashboard_profile.py \\
        --compare /tmp/dash-before

--profile KEY runs cProfile over one more request of that page and prints the top functions.
--statements KEY records the SQL of one more request of that page and runs each statement alone
through Python's sqlite3 (best of seven, process CPU), so that a statement's cost can be read
without the machine's load deciding (SQLite only).
Never point it at a database you care about: logging in writes to it.
"""

from __future__ import annotations

import argparse
import cProfile
import difflib
import os
import pstats
import re
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

USERNAME = "bench.leader"
PASSWORD = "Bench-GiaoBan-2025"  # noqa: S105 — the benchmark data's shared password
PAGES = {
    "quarter": "/dashboard/?period=custom&from=2025-07-01&to=2025-09-30",
    "five_years": "/dashboard/?period=custom&from=2021-11-28&to=2026-11-28",
    "month": "/dashboard/?period=month",
    "home": "/",
}
CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')
# Per-session values that differ between runs without meaning anything.
VOLATILE_RE = re.compile(r'("X-CSRFToken": "|name="csrf_token"[^>]*? value="|nonce=")[^"]*|(In lúc )[0-9/: ]+')


def build_client(cache: bool = True):
    os.environ["BENCH_QUERY_COUNT"] = "1"
    os.environ.setdefault("LOGIN_RATE_LIMIT", "1000 per minute")
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to a copy of the benchmark database")
    from app import create_app

    app = create_app()
    if not cache:
        app.config["DASHBOARD_CACHE_SECONDS"] = 0
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    match = CSRF_RE.search(page)
    reply = client.post("/login", data={
        "csrf_token": match.group(1) or match.group(2), "username": USERNAME, "password": PASSWORD,
    })
    if reply.status_code not in (302, 303):
        raise SystemExit(f"login as {USERNAME} failed: HTTP {reply.status_code}")
    return app, client


def measure(client, url: str, repeat: int) -> tuple[dict, str]:
    client.get(url)  # warm-up: templates compiled, caches filled
    cpu, wall, queries, body = [], [], [], ""
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        wall.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        cpu.append(float(response.headers["X-CPU-Ms"]))
        queries.append(int(response.headers["X-Query-Count"]))
        body = response.get_data(as_text=True)
    figures = {
        "cpu_ms": statistics.median(cpu), "wall_ms": statistics.median(wall),
        "max_wall_ms": max(wall), "queries": statistics.median(queries), "bytes": len(body),
    }
    return figures, VOLATILE_RE.sub(lambda m: m.group(1) or m.group(2), body)


def profile(client, url: str, top: int) -> None:
    profiler = cProfile.Profile()
    profiler.enable()
    client.get(url)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(os.environ.get("PROFILE_SORT", "cumulative")).print_stats(top)


def statements(app, client, url: str) -> None:
    """Each SQL statement of one request of url, timed alone: best of seven, process CPU ms."""
    import sqlite3

    from sqlalchemy import event

    from app.extensions import db

    recorded = []

    def record(_conn, _cursor, statement, parameters, _context, _executemany):
        recorded.append((statement, parameters))

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        client.get(url)
    finally:
        event.remove(engine, "before_cursor_execute", record)
    path = engine.url.database
    connection = sqlite3.connect(path)
    total = 0.0
    for statement, parameters in recorded:
        if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
            continue  # the session's own writes (the login's last-seen time)
        best = float("inf")
        for _ in range(7):
            started = time.process_time()
            connection.execute(statement, parameters).fetchall()
            best = min(best, (time.process_time() - started) * 1000)
        total += best
        print(f"{best:8.2f} ms  {' '.join(statement.split())[:150]}")
        if os.environ.get("STATEMENTS_FULL") and best > 1:
            print(statement, parameters)
            for row in connection.execute("EXPLAIN QUERY PLAN " + statement, parameters):
                print("   plan:", row[-1])
    print(f"{total:8.2f} ms  all {len(recorded)} statements")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="timed requests per page (after one warm-up)")
    parser.add_argument("--only", default=",".join(PAGES), help=f"pages to measure, of {', '.join(PAGES)}")
    parser.add_argument("--save", type=Path, help="write each page's HTML to this folder")
    parser.add_argument("--compare", type=Path, help="diff each page's HTML against a --save folder")
    parser.add_argument("--profile", choices=list(PAGES), help="cProfile one more request of this page")
    parser.add_argument("--statements", choices=list(PAGES), help="time each SQL statement of this page alone")
    parser.add_argument("--top", type=int, default=40, help="functions --profile prints")
    parser.add_argument("--no-cache", action="store_true", help="count every request afresh (app/datacache.py off)")
    args = parser.parse_args()

    _app, client = build_client(cache=not args.no_cache)
    keys = [key for key in args.only.split(",") if key]
    print(f"{'page':<12} {'cpu ms':>9} {'wall ms':>9} {'max wall':>9} {'queries':>8} {'bytes':>9}")
    differ = False
    for key in keys:
        figures, body = measure(client, PAGES[key], args.repeat)
        print(f"{key:<12} {figures['cpu_ms']:>9.0f} {figures['wall_ms']:>9.0f} {figures['max_wall_ms']:>9.0f} "
              f"{figures['queries']:>8.0f} {figures['bytes']:>9}")
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            (args.save / f"{key}.html").write_text(body, encoding="utf-8")
        if args.compare:
            before = (args.compare / f"{key}.html").read_text(encoding="utf-8")
            if before != body:
                differ = True
                diff = difflib.unified_diff(before.splitlines(), body.splitlines(), "before", "after", lineterm="", n=1)
                print("\n".join(list(diff)[:60]))
            else:
                print(f"{'':<12} same HTML as {args.compare / (key + '.html')}")
    if args.profile:
        profile(client, PAGES[args.profile], args.top)
    if args.statements:
        statements(_app, client, PAGES[args.statements])
    if differ:
        raise SystemExit("pages differ from the saved run")


if __name__ == "__main__":
    main()
