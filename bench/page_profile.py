"""Where a page's time goes: cProfile over real requests, broken down into SQL, ORM, template and Python.

    cp: sqlite3 /tmp/giaoban-bench/bench-s1-seed1.sqlite3 ".backup /tmp/prof.sqlite3"
    DATABASE_URL=sqlite:////tmp/prof.sqlite3 .venv/bin/python bench/page_profile.py
    DATABASE_URL=... .venv/bin/python bench/page_profile.py --only list_filtered --top 30

It builds the app against DATABASE_URL in this process (no gunicorn, no other request in the
way), logs in as bench.coordinator with Flask's test client, warms each page, then profiles
`--repeat` requests of it with cProfile and adds every function's own time (tottime) to one
bucket by where its code lives:

- **SQL (driver)**: the DB-API's C calls (sqlite3's or psycopg's execute and fetch) — the
  time the database itself spends, plus crossing into it;
- **SQLAlchemy core**: statement building, compilation, the connection and result layers;
- **ORM**: `sqlalchemy.orm` — identity map, loading rows into objects, relationships;
- **template**: Jinja2, MarkupSafe and the compiled templates themselves (`templates/*.html`);
- **i18n / formatting**: Babel and gettext (translations, number and date formatting);
- **app Python**: our own modules under `app/` (services, visibility, forms, text);
- **framework**: Flask, Werkzeug, WTForms, flask_* extensions;
- **xlsx**: openpyxl / XlsxWriter and the XML writer under them (exports);
- **other**: the standard library and everything else.

Self time per bucket adds up to the profiled time; the buckets say *where* the CPU goes,
`--top` lists the functions (by own time) behind them. cProfile itself slows Python-heavy code
more than C calls, so the SQL share is a lower bound. Never point it at a database you care
about: logging in writes to it.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import secrets
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

PASSWORD = "Bench-GiaoBan-2025"  # noqa: S105 — the benchmark data's shared password
CSRF_RE = re.compile(r'"X-CSRFToken": "([^"]+)"|name="csrf_token" type="hidden" value="([^"]+)"')
# (key, label, role, path template filled from bench/run.py's find_targets). A path starting
# with "doc:" is a document: taken as a user takes it (its button: a POST with the CSRF token and
# a fresh query string, so no cached job answers; then, if it became a job, the job's page and the
# file), all of it profiled. The jobs are built inside the request here (DOCUMENT_JOB_PROCESSES=0).
PAGES = [
    ("healthz", "/healthz (floor)", None, "/healthz"),
    ("list_filtered", "proposal list, field+state+search", "coordinator",
     "/proposals/?field={field_id}&state=closed&q={search}"),
    ("list_p1", "proposal list, page 1", "coordinator", "/proposals/"),
    ("directive_list", "directive list", "coordinator", "/directives"),
    ("assignment_list", "assignments list", "coordinator", "/assignments"),
    ("proposal_long", "proposal page, long timeline", "coordinator", "/proposals/{long_proposal}"),
    ("directive_135", "directive page, 135 units", "coordinator", "/directives/{big_directive}"),
    ("home_coordinator", "coordinator home", "coordinator", "/"),
    ("home_department", "department home (queue)", "department", "/"),
    ("home_commune", "commune home", "commune", "/"),
    ("export_1000", "XLSX export, ~1,000 proposals", "coordinator",
     "doc:/reports/export/proposals.xlsx?from={export_from}&to={year_to}"),
    ("export_year", "XLSX export, a year", "coordinator",
     "doc:/reports/export/proposals.xlsx?from={year_from}&to={year_to}"),
    # The dashboard cold (its cache is off here): what the first request after a change costs.
    ("dashboard_quarter", "dashboard, a quarter, cold", "coordinator",
     "/dashboard/?period=custom&from={quarter_from}&to={quarter_to}"),
    ("dashboard_5y", "dashboard, five years, cold", "coordinator",
     "/dashboard/?period=custom&from={five_years_from}&to={today}"),
    ("briefing_period", "briefing pack for a quarter, HTML", "coordinator",
     "/reports/briefing?period=custom&from={quarter_from}&to={quarter_to}"),
]
BUCKETS = ("SQL (driver)", "SQLAlchemy core", "ORM", "template", "i18n / formatting", "app Python", "framework",
           "xlsx", "other")


def bucket(filename: str, name: str) -> str:
    """The bucket a function's own time belongs to, from where its code lives."""
    path = filename.replace("\\", "/")
    if filename == "~":  # a C function: the name says whose
        if "sqlite3" in name or "psycopg" in name or "Cursor" in name or "Connection" in name:
            return "SQL (driver)"
        if "markupsafe" in name or "jinja" in name:
            return "template"
        return "other"
    if "/psycopg" in path or "/sqlite3/" in path:
        return "SQL (driver)"
    if "/sqlalchemy/orm/" in path:
        return "ORM"
    if "/sqlalchemy/" in path or "/flask_sqlalchemy/" in path:
        return "SQLAlchemy core"
    if "/jinja2/" in path or "/markupsafe/" in path or path.endswith(".html") or "/templates/" in path:
        return "template"
    if "/babel/" in path or "/flask_babel/" in path or path.endswith("gettext.py"):
        return "i18n / formatting"
    if "/openpyxl/" in path or "/xlsxwriter/" in path or "/et_xmlfile/" in path or "/xml/" in path:
        return "xlsx"
    if path.startswith(str(REPO / "app")) or "/app/" in path and "site-packages" not in path:
        return "app Python"
    if any(part in path for part in ("/flask/", "/werkzeug/", "/wtforms/", "/flask_", "/itsdangerous/", "/blinker/")):
        return "framework"
    return "other"


def login(app, username: str):
    client = app.test_client()
    match = CSRF_RE.search(client.get("/login").get_data(as_text=True))
    reply = client.post("/login", data={"csrf_token": match.group(1) or match.group(2), "username": username,
                                        "password": PASSWORD})
    if reply.status_code not in (302, 303):
        raise SystemExit(f"login as {username} failed: HTTP {reply.status_code}")
    home = CSRF_RE.search(client.get("/").get_data(as_text=True))
    client.csrf = (home.group(1) or home.group(2)) if home else match.group(1) or match.group(2)
    return client


class Answer:
    """What a page or a document gave: its status, headers (X-Query-Count, X-CPU-Ms) summed over
    the requests it took."""

    def __init__(self, status_code: int, queries: int, cpu_ms: float):
        self.status_code = status_code
        self.headers = {"X-Query-Count": str(queries), "X-CPU-Ms": str(cpu_ms)}


def take(client, url: str):
    """A page (GET), or a document ("doc:" path) as a user takes it: its button, then the job."""
    if not url.startswith("doc:"):
        return client.get(url)
    path = url[4:]
    fresh = f"{path}{'&' if '?' in path else '?'}_run={secrets.token_hex(6)}"
    replies = [client.post(fresh, data={"csrf_token": client.csrf})]
    if replies[0].status_code == 303:
        job = urlsplit(replies[0].headers["Location"]).path
        replies.append(client.get(job))
        replies.append(client.get(job + "/file"))
    for reply in replies:
        reply.get_data()
        reply.close()
    return Answer(replies[-1].status_code, sum(int(r.headers.get("X-Query-Count", "0")) for r in replies),
                  sum(float(r.headers.get("X-CPU-Ms", "0")) for r in replies))


def profile_page(client, url: str, repeat: int) -> tuple[dict, pstats.Stats, dict]:
    take(client, url)
    take(client, url)  # warm: templates compiled, caches filled
    walls, queries = [], []
    profiler = cProfile.Profile()
    for _ in range(repeat):
        started = time.perf_counter()
        profiler.enable()
        response = take(client, url)
        profiler.disable()
        walls.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"{url}: HTTP {response.status_code}")
        queries.append(int(response.headers.get("X-Query-Count", "0")))
    stats = pstats.Stats(profiler)
    totals = dict.fromkeys(BUCKETS, 0.0)
    for (filename, _line, name), (_cc, _nc, tottime, _ct, _callers) in stats.stats.items():
        totals[bucket(filename, name)] += tottime
    figures = {"wall_ms": statistics.median(walls), "queries": statistics.median(queries)}
    return {k: v * 1000 / repeat for k, v in totals.items()}, stats, figures


def unprofiled(client, url: str, repeat: int) -> float:
    """Median CPU ms of the request without the profiler (X-CPU-Ms)."""
    cpu = []
    for _ in range(repeat):
        cpu.append(float(take(client, url).headers["X-CPU-Ms"]))
    return statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="profiled requests per page (after two warm-ups)")
    parser.add_argument("--only", default="", help="page keys, comma-separated: " + ", ".join(p[0] for p in PAGES))
    parser.add_argument("--top", type=int, default=0, help="also print the N functions with the most own time")
    args = parser.parse_args()
    if not os.environ.get("DATABASE_URL"):
        raise SystemExit("set DATABASE_URL to a copy of the benchmark database")
    os.environ["BENCH_QUERY_COUNT"] = "1"
    os.environ.setdefault("LOGIN_RATE_LIMIT", "1000 per minute")
    sys.path.insert(0, str(REPO / "bench"))
    from compare import export_from  # noqa: PLC0415
    from run import find_targets  # noqa: PLC0415 — bench/ is not a package

    from app import create_app

    targets = find_targets(os.environ["DATABASE_URL"])
    targets["export_from"] = export_from(os.environ["DATABASE_URL"], targets)
    app = create_app()
    app.config["DASHBOARD_CACHE_SECONDS"] = 0  # every dashboard request counted afresh
    app.config["DOCUMENT_JOB_PROCESSES"] = 0  # a document job is built inside its request, profiled
    only = {k for k in args.only.split(",") if k}
    # One signed-in client per role the chosen pages need (bench-data's accounts: bench.<role>).
    clients = {None: app.test_client()}
    for role in sorted({role for key, _label, role, _path in PAGES if role and (not only or key in only)}):
        clients[role] = login(app, f"bench.{role}")
    header = f"{'page':<36} {'CPU ms':>7} {'prof ms':>8} {'SQL':>5}  " + "  ".join(f"{b:>{max(6, len(b))}}" for b in BUCKETS)
    print(header)
    for key, label, role, path in PAGES:
        if only and key not in only:
            continue
        url = path.format(**targets)
        cpu = unprofiled(clients[role], url, args.repeat)
        totals, stats, figures = profile_page(clients[role], url, args.repeat)
        profiled = sum(totals.values())
        shares = "  ".join(f"{100 * totals[b] / profiled:>{max(5, len(b) - 1)}.0f}%" for b in BUCKETS)
        print(f"{label:<36} {cpu:>7.1f} {profiled:>8.1f} {figures['queries']:>5.0f}  {shares}")
        if args.top:
            stats.sort_stats("tottime").print_stats(args.top)


if __name__ == "__main__":
    main()
