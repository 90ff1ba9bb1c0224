"""Compare two sites page by page: interleaved rounds, the median of the per-round ratios.

    # two running sites, given by URL and cookie (Redmine, another server of ours, …)
    python bench/compare.py --a http://127.0.0.1:8000 --a-cookie 'session=…' \\
        --b http://127.0.0.1:3000 --b-cookie '_redmine_session=…' \\
        --page 'filtered list|/proposals/?state=closed&q=xuong+cap|/issues?status_id=5&subject=~xuong' \\
        --page 'detail|/proposals/123|/issues/123'

    # this checkout against an older one, on the same benchmark database: both served here
    python bench/compare.py --serve-a . --serve-b /tmp/giaoban-old \\
        --database sqlite:////tmp/giaoban-bench/bench-s1-seed1.sqlite3

    # growth with the data: the same code on scale 1 (A) and scale 25 (B), each on its own database
    python bench/compare.py --serve-a . --serve-b . --pages growth \\
        --database postgresql+psycopg://postgres@127.0.0.1:5432/giaoban_bench_s1 \\
        --database-b postgresql+psycopg://postgres@127.0.0.1:5432/giaoban_bench_s25

A page is `label|path on A|path on B` (the B path defaults to A's). A path starting with
`doc:` is a document, taken as a user takes it on a served checkout: its button (POST with
the CSRF token, a fresh query string so that no cached job answers), then, if that started a
document job, the job's page until done and the file (bench/run.py's Client.document); its time
is the whole of it. On a site given by URL a `doc:` path is a plain GET. With --serve-a/--serve-b
the two checkouts are started under gunicorn on free loopback ports (the same database, the
same worker count), logged in as bench.coordinator, and the default pages are those of the
issue: the filtered proposal list, the directive and assignment lists, page 200, the proposal
with the longest timeline, the directive with 135 units, the XLSX export and /healthz.

Each round visits every page on both sites, A then B on odd rounds and B then A on even ones,
each visit a bounded burst (`--requests` at `--concurrency` threads, at most `--seconds`): the
machine's drift between rounds touches both sides alike, and the median of the per-round
ratios is what to quote. A request without an answer in `--timeout` seconds, or with an
unexpected status, counts as an error. Loopback and the addresses given only: it sends no
traffic anywhere else of its own accord, and every loop is bounded.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import statistics
import sys
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO / "bench"))

import run  # noqa: E402 — bench/ is not a package; run.py holds the server and the targets

DEFAULT_PAGES = [
    ("/healthz (floor)", "/healthz"),
    ("proposal list, field+state+search", "/proposals/?field={field_id}&state=closed&q={search}"),
    ("proposal list, page 200", "{page_200}"),
    ("directive list", "/directives"),
    ("assignments list", "/assignments"),
    ("proposal page, long timeline", "/proposals/{long_proposal}"),
    ("directive page, 135 units", "/directives/{big_directive}"),
    ("XLSX export, ~1,000 proposals", "doc:/reports/export/proposals.xlsx?from={export_from}&to={year_to}"),
]
# Issue 20, goal 3: the exports, each taken as a user takes it (button, job if any, file).
EXPORT_PAGES = [
    ("/healthz (floor)", "/healthz"),
    ("XLSX export, ~1,000 proposals", "doc:/reports/export/proposals.xlsx?from={export_from}&to={year_to}"),
    ("CSV export, ~1,000 proposals", "doc:/reports/export/proposals.csv?from={export_from}&to={year_to}"),
    ("XLSX export, a year of proposals", "doc:/reports/export/proposals.xlsx?from={year_from}&to={year_to}"),
]
# Issue 20, goal 6 (flat at 25×): the list, detail, home and dashboard pages, each side's paths
# filled from its own database.
GROWTH_PAGES = [
    ("/healthz (floor)", "/healthz"),
    ("proposal list, page 1", run.UNFILTERED_LIST),
    ("proposal list, field+state+search", "/proposals/?field={field_id}&state=closed&q={search}"),
    ("proposal list, page 200", "{page_200}"),
    ("directive list", "/directives"),
    ("assignments list", "/assignments"),
    ("proposal page, long timeline", "/proposals/{long_proposal}"),
    ("directive page, 135 units", "/directives/{big_directive}"),
    ("coordinator home", "/"),
    ("dashboard, one quarter (cache)", "/dashboard/?period=custom&from={quarter_from}&to={quarter_to}"),
    ("dashboard, five years (cache)", "/dashboard/?period=custom&from={five_years_from}&to={today}"),
]
PRESETS = {"issue": DEFAULT_PAGES, "growth": GROWTH_PAGES, "exports": EXPORT_PAGES}


@dataclass
class Site:
    name: str
    base: str
    cookie: str = ""
    client: run.Client | None = None  # a served checkout's logged-in client (documents)

    def __post_init__(self):
        parts = urllib.parse.urlsplit(self.base)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or (443 if parts.scheme == "https" else 80)
        self.https = parts.scheme == "https"
        self.prefix = parts.path.rstrip("/")

    def get(self, path: str, timeout: float) -> tuple[int, float, int]:
        """(status, ms, bytes); status 0 when no answer came in time."""
        if path.startswith("doc:"):
            path = path[4:]
            if self.client is not None:
                reply = self.client.document(path)
                return reply.status, reply.ms, len(reply.body)
        kind = http.client.HTTPSConnection if self.https else http.client.HTTPConnection
        connection = kind(self.host, self.port, timeout=timeout)
        headers = {"Cookie": self.cookie} if self.cookie else {}
        started = time.perf_counter()
        try:
            connection.request("GET", self.prefix + path, headers=headers)
            response = connection.getresponse()
            body = response.read()
            return response.status, (time.perf_counter() - started) * 1000, len(body)
        except (OSError, http.client.HTTPException):
            return run.NO_ANSWER, (time.perf_counter() - started) * 1000, 0
        finally:
            connection.close()


@dataclass
class Burst:
    times: list[float] = field(default_factory=list)
    errors: int = 0
    seconds: float = 0.0

    @property
    def rps(self) -> float:
        return len(self.times) / self.seconds if self.seconds and self.times else 0.0

    @property
    def p50(self) -> float | None:
        return statistics.median(self.times) if self.times else None

    @property
    def p95(self) -> float | None:
        return statistics.quantiles(self.times, n=20, method="inclusive")[-1] if len(self.times) > 1 else None


def burst(site: Site, path: str, requests: int, concurrency: int, seconds: float, timeout: float) -> Burst:
    result, lock, issued = Burst(), threading.Lock(), 0
    deadline = time.monotonic() + seconds

    def work():
        nonlocal issued
        while True:
            with lock:
                if issued >= requests or time.monotonic() > deadline:
                    return
                issued += 1
            status, ms, _size = site.get(path, timeout)
            with lock:
                if status == 200:
                    result.times.append(ms)
                else:
                    result.errors += 1

    site.get(path, timeout)  # warm: this page's templates and caches on one worker at least
    started = time.perf_counter()
    threads = [threading.Thread(target=work) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - started
    return result


def compare(a: Site, b: Site, pages: list[tuple[str, str, str]], rounds: int, requests: int, concurrency: int,
            seconds: float, timeout: float, log=print) -> list[str]:
    bursts: dict[tuple[str, str], list[Burst]] = {}
    for number in range(rounds):
        order = (a, b) if number % 2 == 0 else (b, a)
        for label, path_a, path_b in pages:
            for site in order:
                one = burst(site, path_a if site is a else path_b, requests, concurrency, seconds, timeout)
                bursts.setdefault((label, site.name), []).append(one)
        log(f"round {number + 1}/{rounds} done")
    lines = [
        f"A = {a.base}   B = {b.base}   {rounds} interleaved rounds, {requests} requests at concurrency "
        f"{concurrency} per page and round (at most {seconds:g} s)",
        "",
        f"{'page':<36} {'A p50':>8} {'B p50':>8} {'A req/s':>8} {'B req/s':>8} {'A÷B req/s: median':>18} "
        f"{'(min–max)':>13} {'B÷A p50':>8} {'B÷A p95':>8} {'err A/B':>8}",
    ]
    for label, _pa, _pb in pages:
        runs_a, runs_b = bursts[(label, a.name)], bursts[(label, b.name)]
        ratios = [x.rps / y.rps for x, y in zip(runs_a, runs_b, strict=True) if x.rps and y.rps]
        p50_ratios = [y.p50 / x.p50 for x, y in zip(runs_a, runs_b, strict=True) if x.p50 and y.p50]
        p95_ratios = [y.p95 / x.p95 for x, y in zip(runs_a, runs_b, strict=True) if x.p95 and y.p95]
        all_a = [t for r in runs_a for t in r.times]
        all_b = [t for r in runs_b for t in r.times]
        med = lambda v: f"{statistics.median(v):.1f}" if v else "—"  # noqa: E731
        rps = lambda rs: f"{statistics.median([r.rps for r in rs]):.1f}"  # noqa: E731
        spread = f"({min(ratios):.2f}–{max(ratios):.2f})" if ratios else ""
        lines.append(
            f"{label[:36]:<36} {med(all_a):>8} {med(all_b):>8} {rps(runs_a):>8} {rps(runs_b):>8} "
            f"{(f'{statistics.median(ratios):.2f}×' if ratios else '—'):>18} {spread:>13} "
            f"{(f'{statistics.median(p50_ratios):.2f}×' if p50_ratios else '—'):>8} "
            f"{(f'{statistics.median(p95_ratios):.2f}×' if p95_ratios else '—'):>8} "
            f"{sum(r.errors for r in runs_a):>3}/{sum(r.errors for r in runs_b):<3}")
    lines.append("")
    lines.append("ratios are medians of per-round ratios (A÷B requests per second: above 1, A serves more; "
                 "B÷A p50 and p95: above 1, A answers faster); errors: any status but 200, or no answer in time")
    return lines


def parse_page(text: str) -> tuple[str, str, str]:
    parts = text.split("|")
    if len(parts) not in (2, 3) or not all(parts):
        raise argparse.ArgumentTypeError("a page is 'label|path on A|path on B' (the B path may be left out)")
    return parts[0], parts[1], parts[2] if len(parts) == 3 else parts[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--a", help="base URL of site A (e.g. http://127.0.0.1:8000)")
    parser.add_argument("--b", help="base URL of site B")
    parser.add_argument("--a-cookie", default="", help="Cookie header for A, e.g. 'session=…'")
    parser.add_argument("--b-cookie", default="", help="Cookie header for B")
    parser.add_argument("--serve-a", help="a checkout of Giao Ban to serve as A (instead of --a)")
    parser.add_argument("--serve-b", help="a checkout of Giao Ban to serve as B (instead of --b)")
    parser.add_argument("--database", help="the database both served checkouts use (bench-data already in it)")
    parser.add_argument("--database-b", help="B's own database (default: --database); paths filled from each")
    parser.add_argument("--pages", choices=sorted(PRESETS), default="issue",
                        help="the default pages when no --page is given: the issue's, or growth (list, detail, "
                             "home, dashboard)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of each served checkout")
    parser.add_argument("--page", action="append", type=parse_page, default=[],
                        help="'label|path on A|path on B'; repeat; default: the issue's pages (served mode)")
    parser.add_argument("--rounds", type=int, default=4)
    parser.add_argument("--requests", type=int, default=40, help="requests per page, site and round")
    parser.add_argument("--concurrency", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=10.0, help="at most this long per page, site and round")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds one request may wait for its answer")
    args = parser.parse_args(argv)
    if bool(args.a) == bool(args.serve_a) or bool(args.b) == bool(args.serve_b):
        parser.error("give each side either a URL (--a/--b) or a checkout to serve (--serve-a/--serve-b)")
    if (args.serve_a or args.serve_b) and not args.database:
        parser.error("--serve-a/--serve-b need --database")

    with contextlib.ExitStack() as stack:
        sites, targets = {}, {}
        for name, url, cookie, checkout, database in (
                ("A", args.a, args.a_cookie, args.serve_a, args.database),
                ("B", args.b, args.b_cookie, args.serve_b, args.database_b or args.database)):
            if checkout:
                run.flask(Path(checkout).resolve(), database, "db", "upgrade")  # the served code's columns and indexes
                server = stack.enter_context(run.Server(Path(checkout).resolve(), database, args.workers))
                client = run.Client(server.port, args.timeout)
                client.login("bench.coordinator", run.BENCH_PASSWORD)
                sites[name] = Site(name, f"http://127.0.0.1:{server.port}", client.cookie, client)
                targets[name] = run.find_targets(database)
                targets[name]["page_200"] = page_200(client)
                targets[name].setdefault("export_from", export_from(database, targets[name]))
            else:
                sites[name] = Site(name, url, cookie)
        pages = args.page
        if not pages:
            if not targets:
                parser.error("give --page at least once when neither side is served here")
            ta = targets.get("A") or targets["B"]
            tb = targets.get("B") or ta
            pages = [(label, path.format(**ta), path.format(**tb)) for label, path in PRESETS[args.pages]
                     if "{page_200}" not in path or (ta.get("page_200") and tb.get("page_200"))]
            pages = [(label, a, b) for label, a, b in pages if "None" not in (a, b)]
        lines = compare(sites["A"], sites["B"], pages, args.rounds, args.requests, args.concurrency,
                        args.seconds, args.timeout, log=lambda m: print(m, flush=True))
    print("\n" + "\n".join(lines))
    return 0


def page_200(client: run.Client) -> str | None:
    """Page 200 of the unfiltered proposal list, following its "next" links (keyset pages)."""
    runner = run.Runner.__new__(run.Runner)
    runner.clients = {"coordinator": client}
    return runner.page_200()


def export_from(database_url: str, targets: dict) -> str:
    """The first day of a period ending with last year that holds about 1,000 proposals."""
    from datetime import date, timedelta

    from sqlalchemy import text

    year_to = date.fromisoformat(targets["year_to"])
    with run.engine_for(database_url).connect() as connection:
        days = connection.execute(text(
            "SELECT sent_at FROM proposals WHERE sent_at <= :end ORDER BY sent_at DESC LIMIT 1 OFFSET 999"),
            {"end": year_to.isoformat() + " 23:59:59"}).scalar()
    if days is None:
        return (year_to - timedelta(days=60)).isoformat()
    return str(days)[:10]


if __name__ == "__main__":
    sys.exit(main())
