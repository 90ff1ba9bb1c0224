"""Benchmark the real site under gunicorn and print one table against the /healthz floor.

    python bench/run.py                                   # scale 1 on SQLite under /tmp
    python bench/run.py --database postgresql+psycopg://postgres@127.0.0.1:5432/giaoban_bench_s1 --drop
    python bench/run.py --scale 0.1 --requests 10         # a quick smoke run

It builds the database with `flask bench-data` when it holds no data yet (else reuses it),
starts gunicorn on a free 127.0.0.1 port with BENCH_QUERY_COUNT=1, logs in as each role,
sends a bounded number of requests per scenario at concurrency 1, 4 and 16 (threads and
http.client), prints p50/p95/p99, requests per second, SQL queries per request (counted by
the server, X-Query-Count) and p50 divided by the /healthz p50 of the same concurrency, then
PASS/FAIL per budget (SPEC §12 budgets: scale 1, SQLite, concurrency 4). Scenarios whose
route the app does not have are shown as "n/a (route missing)". It stops by itself: every
cell has a request count and a time limit, and the server is stopped on the way out.

See bench/README.md.
"""

from __future__ import annotations

import argparse
import contextlib
import html
import http.client
import json
import math
import os
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "bench" / "out"
BENCH_PASSWORD = "Bench-GiaoBan-2025"  # noqa: S105 — the generated accounts' (app/benchdata/generator.py)
ROLES = ("commune", "department", "coordinator", "leader")
LEVELS = (1, 4, 16)
# The proposal list unfiltered, as its filter form sends "Tất cả": a bare /proposals/ brings back
# the filters the user set last (app.saved_lists), i.e. a 303 once a filtered list was measured.
UNFILTERED_LIST = "/proposals/?q="
CELL_SECONDS = 30.0  # no cell runs longer than this, whatever the request count
MISSING = "n/a (route missing)"


# --- scenarios ------------------------------------------------------------------------------
# path: a template filled from the targets found in the database; budget: the budget key the
# concurrency-4 row is judged against; weight: share of the request count (slow pages send
# fewer). The dashboard, report and export URLs are those of the reports branch as of its
# commit 3e118a2 (not merged here yet): edit them below if they change.


@dataclass(frozen=True)
class Scenario:
    key: str
    label: str
    role: str | None
    path: str
    method: str = "GET"
    budget: str | None = None
    weight: float = 1.0
    expect: tuple[int, ...] = (200,)
    prepare: str | None = None  # name of a per-request preparation (see Runner._prepare_*)
    # A document made by a job (app/docjobs): press its button, follow the job, download the
    # file; timed from the press to the last byte. Each request asks for a fresh build (a
    # distinct query string), so the cache, which would answer at once, is not measured.
    document: bool = False


SCENARIOS = [
    Scenario("healthz", "/healthz (floor)", None, "/healthz"),
    Scenario("list_p1", "proposal list, coordinator, page 1", "coordinator", UNFILTERED_LIST, budget="page"),
    Scenario("list_p200", "proposal list, coordinator, page 200", "coordinator", "{page_200}", budget="page"),
    Scenario("list_filtered", "proposal list, field+state+search", "coordinator",
             "/proposals/?field={field_id}&state=closed&q={search}", budget="page"),
    Scenario("commune_home", "commune home", "commune", "/", budget="page"),
    Scenario("department_queue", "department home (queue)", "department", "/", budget="page"),
    Scenario("proposal_long", "proposal page, long timeline", "coordinator", "/proposals/{long_proposal}", budget="page"),
    Scenario("directive_135", "directive page, 135 units + not reported", "coordinator",
             "/directives/{big_directive}", budget="page"),
    Scenario("dashboard_quarter", "dashboard, one quarter", "leader",
             "/dashboard/?period=custom&from={quarter_from}&to={quarter_to}", budget="dashboard", weight=0.5),
    Scenario("dashboard_5y", "dashboard, five years", "leader",
             "/dashboard/?period=custom&from={five_years_from}&to={today}", budget="dashboard", weight=0.5),
    Scenario("dashboard_month", "dashboard, this month (first screen)", "leader", "/dashboard/?period=month",
             budget="dashboard", weight=0.5),
    Scenario("trends_weeks", "dashboard trends, 12 weeks", "leader", "/dashboard/trends?span=weeks",
             budget="dashboard", weight=0.5),
    Scenario("trends_months", "dashboard trends, 12 months", "leader", "/dashboard/trends?span=months",
             budget="dashboard", weight=0.5),
    Scenario("dashboard_xlsx", "dashboard XLSX, one quarter", "leader",
             "/dashboard/export.xlsx?period=custom&from={quarter_from}&to={quarter_to}", budget="document", weight=0.25),
    Scenario("dashboard_pdf", "dashboard summary PDF, one quarter", "leader",
             "/dashboard/summary.pdf?period=custom&from={quarter_from}&to={quarter_to}", budget="document", weight=0.25),
    Scenario("briefing_html", "briefing pack, HTML", "leader", "/reports/briefing/{meeting}",
             budget="document", weight=0.25),
    Scenario("briefing_docx", "briefing pack, DOCX", "leader", "/reports/briefing/{meeting}.docx",
             budget="document", weight=0.25, document=True),
    Scenario("briefing_pdf", "briefing pack, PDF", "leader", "/reports/briefing/{meeting}.pdf",
             budget="document", weight=0.25, document=True),
    Scenario("briefing_period_html", "briefing pack for a quarter, HTML", "leader",
             "/reports/briefing?period=custom&from={quarter_from}&to={quarter_to}", budget="document", weight=0.25),
    Scenario("briefing_period_docx", "briefing pack for a quarter, DOCX", "leader",
             "/reports/briefing.docx?period=custom&from={quarter_from}&to={quarter_to}", budget="document", weight=0.25,
             document=True),
    Scenario("briefing_period_pdf", "briefing pack for a quarter, PDF", "leader",
             "/reports/briefing.pdf?period=custom&from={quarter_from}&to={quarter_to}", budget="document", weight=0.25,
             document=True),
    Scenario("report_html", "meeting report, HTML", "coordinator", "/reports/meeting?meeting={meeting}",
             budget="document", weight=0.25),
    Scenario("report_docx", "meeting report, DOCX", "coordinator", "/reports/meeting.docx?meeting={meeting}",
             budget="document", weight=0.25, document=True),
    Scenario("report_pdf", "meeting report, PDF", "coordinator", "/reports/meeting.pdf?meeting={meeting}",
             budget="document", weight=0.25, document=True),
    Scenario("export_xlsx", "XLSX export, a year of proposals", "coordinator",
             "/reports/export/proposals.xlsx?from={year_from}&to={year_to}", budget="document", weight=0.25, document=True),
    Scenario("broadcast", "broadcast a directive to all communes (POST)", "coordinator",
             "/directives/{new_directive}/assign", method="POST", budget="broadcast", weight=0.5,
             expect=(303,), prepare="broadcast"),
    Scenario("file_proposal", "file a proposal as a commune (POST)", "commune", "/proposals/new", method="POST",
             budget="post", expect=(303,), prepare="proposal"),
]

# (limit in ms, statistic) per budget, judged on the concurrency-4 row.
BUDGETS = {
    "page": (100.0, "p95"),
    "dashboard": (300.0, "p95"),
    "broadcast": (300.0, "p95"),
    "post": (150.0, "p95"),
    "document": (3000.0, "p95"),
}
PAGE_200_RATIO = 1.5
WORKER_RSS_MB = 200.0


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Reply:
    status: int
    ms: float
    queries: int | None
    body: bytes
    location: str | None
    cpu_ms: float | None = None


# The job's element polls (hx-get) while its document is being made (templates/docjobs/_job.html).
JOB_WAITING = re.compile(rb'<div id="document-job" class="document-job"\s+hx-get=')
# The status given to a request that got no answer in time (or whose connection failed): it
# counts as an error in its cell, never silently dropped.
NO_ANSWER = 0
REQUEST_TIMEOUT = 120.0


class Client:
    """One logged-in browser: a session cookie and its CSRF token, usable from many threads."""

    def __init__(self, port: int, timeout: float = REQUEST_TIMEOUT):
        self.port = port
        self.timeout = timeout
        self.cookie = ""
        self.csrf = ""

    def request(self, method: str, path: str, form: dict | None = None) -> Reply:
        headers = {"Cookie": self.cookie} if self.cookie else {}
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form, doseq=True).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=self.timeout)
        started = time.perf_counter()
        try:
            try:
                connection.request(method, path, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
            except (OSError, http.client.HTTPException):
                # A timeout or a dropped connection: an answer the user never got.
                return Reply(NO_ANSWER, (time.perf_counter() - started) * 1000, None, b"", None)
            elapsed = (time.perf_counter() - started) * 1000
            count = response.getheader("X-Query-Count")
            cpu = response.getheader("X-CPU-Ms")
            cookie = response.getheader("Set-Cookie")
            if cookie and cookie.startswith("session="):
                self.cookie = cookie.split(";", 1)[0]
            return Reply(response.status, elapsed, int(count) if count else None, data, response.getheader("Location"),
                         float(cpu) if cpu else None)
        finally:
            connection.close()

    def document(self, path: str) -> Reply:
        """A document as a user takes it: its button (POST), the job's page until done, the file."""
        started = time.perf_counter()
        fresh = f"{path}{'&' if '?' in path else '?'}_run={secrets.token_hex(6)}"
        pressed = self.request("POST", fresh, {"csrf_token": self.csrf})
        if pressed.status != 303 or not pressed.location:
            return pressed
        job = urllib.parse.urlsplit(pressed.location).path
        while True:
            page = self.request("GET", job)
            if page.status != 200 or not JOB_WAITING.search(page.body):
                break
            if (time.perf_counter() - started) > self.timeout:
                return Reply(NO_ANSWER, (time.perf_counter() - started) * 1000, None, b"", None)
            time.sleep(0.1)
        reply = self.request("GET", job + "/file") if page.status == 200 else page
        reply.ms = (time.perf_counter() - started) * 1000
        return reply

    def login(self, username: str, password: str) -> None:
        page = self.request("GET", "/login")
        self.csrf = _csrf_of(page.body)
        reply = self.request("POST", "/login", {"csrf_token": self.csrf, "username": username, "password": password})
        if reply.status != 303:
            raise SystemExit(f"login as {username} failed: HTTP {reply.status}")
        home = self.request("GET", "/")
        self.csrf = _csrf_of(home.body) or self.csrf


def _csrf_of(body: bytes) -> str:
    text = body.decode("utf-8", "replace")
    match = re.search(r'"X-CSRFToken": "([^"]+)"', text) or re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', text)
    return match.group(1) if match else ""


# --- the server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """gunicorn on 127.0.0.1, stopped (and its workers with it) when the block ends."""

    def __init__(self, app_dir: Path, database_url: str, workers: int):
        self.app_dir = app_dir
        self.database_url = database_url
        self.workers = workers
        self.port = free_port()
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        env = dict(os.environ, DATABASE_URL=self.database_url, SECRET_KEY=secrets.token_urlsafe(32),
                   BENCH_QUERY_COUNT="1", PYTHONDONTWRITEBYTECODE="1")
        command = [sys.executable, "-m", "gunicorn", "--workers", str(self.workers), "--bind",
                   f"127.0.0.1:{self.port}", "--chdir", str(self.app_dir), "--timeout", "120",
                   "--log-level", "warning", "wsgi:app"]
        self.process = subprocess.Popen(command, env=env, start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit("gunicorn exited while starting")
            with contextlib.suppress(OSError):
                if Client(self.port).request("GET", "/healthz").status == 200:
                    return self
            time.sleep(0.3)
        self.stop()
        raise SystemExit("gunicorn did not answer /healthz within 60 s")

    def __exit__(self, *exc) -> None:
        self.stop()

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.send_signal(signal.SIGTERM)  # the master stops its workers
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)  # its own session: only what we started
            self.process.wait(timeout=10)

    def worker_memory_mb(self) -> list[tuple[float, float]]:
        """(current RSS, peak RSS) in MB of each worker."""
        out = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                status = (entry / "status").read_text()
                if f"\nPPid:\t{self.process.pid}\n" not in status:
                    continue
                values = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
                rss = int(values["VmRSS"].split()[0]) / 1024
                peak = int(values["VmHWM"].split()[0]) / 1024
                out.append((rss, peak))
        return out


# --- the database ---------------------------------------------------------------------------


def flask(app_dir: Path, database_url: str, *args: str) -> None:
    env = dict(os.environ, DATABASE_URL=database_url, FLASK_APP="wsgi", SECRET_KEY=secrets.token_urlsafe(32))
    subprocess.run([sys.executable, "-m", "flask", *args], cwd=app_dir, env=env, check=True)


def engine_for(url: str):
    from sqlalchemy import create_engine

    return create_engine(url)


def has_data(url: str) -> bool:
    from sqlalchemy import text
    from sqlalchemy.exc import SQLAlchemyError

    try:
        with engine_for(url).connect() as connection:
            return bool(connection.execute(text("SELECT count(*) FROM proposals")).scalar())
    except SQLAlchemyError:
        return False


def ensure_postgres_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (parsed.database,)).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{parsed.database}"')


def drop_postgres_database(url: str) -> None:
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    admin = parsed.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)')


def find_targets(url: str) -> dict:
    """Ids and dates the scenarios need, picked from the data (worst cases where it matters)."""
    from sqlalchemy import text

    from app import clock

    today = clock.today()
    with engine_for(url).connect() as connection:
        one = lambda sql, **kw: connection.execute(text(sql), kw).scalar()  # noqa: E731
        communes = one("SELECT count(*) FROM units WHERE kind IN ('xa', 'phuong', 'dac_khu') AND active")
        targets = {
            "long_proposal": one("SELECT proposal_id FROM proposal_events GROUP BY proposal_id "
                                 "ORDER BY count(*) DESC, proposal_id LIMIT 1"),
            # The newest broadcast to every commune: its units are still working and many have not reported.
            "big_directive": one("SELECT directive_id FROM assignments GROUP BY directive_id HAVING count(*) = :n "
                                 "ORDER BY directive_id DESC LIMIT 1", n=communes),
            "field_id": one("SELECT id FROM fields WHERE active ORDER BY sort_order, id LIMIT 1"),
            "meeting": one("SELECT meeting_id FROM proposals WHERE meeting_id IS NOT NULL GROUP BY meeting_id "
                           "ORDER BY count(*) DESC, meeting_id LIMIT 1"),
        }
    quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
    previous_quarter_end = quarter_start - timedelta(days=1)
    targets.update(
        search=urllib.parse.quote_plus("xuong cap"),  # "xuống cấp", typed without marks
        today=today.isoformat(),
        quarter_from=date(previous_quarter_end.year, 3 * ((previous_quarter_end.month - 1) // 3) + 1, 1).isoformat(),
        quarter_to=previous_quarter_end.isoformat(),
        five_years_from=(today - timedelta(days=5 * 365)).isoformat(),
        year_from=date(today.year - 1, 1, 1).isoformat(),
        year_to=date(today.year - 1, 12, 31).isoformat(),
    )
    return targets


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Cell:
    scenario: Scenario
    level: int
    times: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    errors: int = 0
    # Unexpected answers by HTTP status, e.g. {429: 3}: printed with the cell so a failure says why.
    error_statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0
    note: str = ""

    def add(self, reply: Reply) -> None:
        """Count one answer: its time when it is the expected one, else an error by status (0: none in time)."""
        if reply.status in self.scenario.expect:
            self.times.append(reply.ms)
            if reply.queries is not None:
                self.queries.append(reply.queries)
            if reply.cpu_ms is not None:
                self.cpu.append(reply.cpu_ms)
        else:
            self.errors += 1
            self.error_statuses[reply.status] = self.error_statuses.get(reply.status, 0) + 1

    def pct(self, q: float) -> float | None:
        """Nearest-rank percentile of the response times."""
        if not self.times:
            return None
        ordered = sorted(self.times)
        return ordered[min(len(ordered) - 1, max(0, math.ceil(q / 100 * len(ordered)) - 1))]

    @property
    def rps(self) -> float | None:
        return len(self.times) / self.seconds if self.seconds else None


class Runner:
    def __init__(self, server: Server, targets: dict, base_requests: int, log: Callable[[str], None],
                 timeout: float = REQUEST_TIMEOUT):
        self.timeout = timeout
        self.server = server
        self.targets = targets
        self.base_requests = base_requests
        self.log = log
        self.clients: dict[str | None, Client] = {None: Client(server.port, timeout)}
        self.routes = RouteTable()

    def login(self) -> None:
        for role in ROLES:
            client = Client(self.server.port, self.timeout)
            client.login(f"bench.{role}", BENCH_PASSWORD)
            self.clients[role] = client

    def resolve(self, scenario: Scenario) -> tuple[str | None, str]:
        """The scenario's URL, or None and why not (no such route, too few pages)."""
        if scenario.path == "{page_200}":
            path = self.page_200()
            return path, "" if path else "n/a (fewer than 200 pages)"
        path = scenario.path.format(**self.targets, new_directive=0)
        return (path, "") if self.routes.exists(scenario.method, path) else (None, MISSING)

    def page_200(self) -> str | None:
        """Page 200 of the unfiltered list: ?page=200 when pages are numbered, else follow "next" links."""
        client = self.clients["coordinator"]
        path = UNFILTERED_LIST
        body = client.request("GET", path).body.decode()
        numbered = re.search(r"Trang 1 / ([\d.]+)", body)  # the OFFSET pages before keyset pagination
        if numbered:
            return "/proposals/?page=200" if int(numbered.group(1).replace(".", "")) >= 200 else None
        for _ in range(199):
            match = re.search(r'<a [^>]*rel="next"[^>]*>', body)
            href = re.search(r'href="([^"]+)"', match.group(0)) if match else None
            if href is None:
                return None
            path = html.unescape(href.group(1))
            body = client.request("GET", path).body.decode()
        return path

    def run(self, scenario: Scenario, path: str, level: int) -> Cell:
        cell = Cell(scenario, level)
        total = max(8, round(self.base_requests * {1: 1, 4: 2, 16: 4}.get(level, 2) * scenario.weight))
        client = self.clients[scenario.role]
        # Requests that need a fresh object (a directive to broadcast) get it before the clock starts.
        requests = [self.prepare(scenario, client, path) for _ in range(total + 2)]
        lock = threading.Lock()
        issued = 0
        deadline = time.monotonic() + CELL_SECONDS

        def work():
            nonlocal issued
            while True:
                with lock:
                    if issued >= total or time.monotonic() > deadline:
                        return
                    issued += 1
                    target, form = requests[issued + 1]
                if scenario.document:
                    reply = client.document(target)
                else:
                    reply = client.request(scenario.method, target, form)
                with lock:
                    cell.add(reply)

        # Two requests first: templates compiled, caches and connections warm.
        for target, form in requests[:2]:
            if scenario.document:
                client.document(target)
            else:
                client.request(scenario.method, target, form)
        started = time.perf_counter()
        threads = [threading.Thread(target=work) for _ in range(level)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        cell.seconds = time.perf_counter() - started
        if issued < total:
            cell.note = f"time limit: {issued}/{total}"
        return cell

    def prepare(self, scenario: Scenario, client: Client, path: str) -> tuple[str, dict | None]:
        """The request to send: a fresh directive to broadcast, a new proposal's form."""
        if scenario.prepare == "broadcast":
            created = client.request("POST", "/directives/new", {
                "csrf_token": client.csrf, "meeting_id": "0", "issued_by_name": "Lương Văn Trọng",
                "issued_by_title": "Bí thư Tỉnh ủy", "title": "Báo cáo kết quả giảm nghèo quý này",
                "content": "Các xã, phường báo cáo kết quả thực hiện công tác giảm nghèo, an sinh xã hội.",
                "field_id": str(self.targets["field_id"]), "timing": "dated",
                "deadline": (date.fromisoformat(self.targets["today"]) + timedelta(days=30)).isoformat(), "reporting_period": "",
            })
            directive_id = re.search(r"/directives/(\d+)/assign", created.location or "")
            if directive_id is None:
                raise SystemExit(f"could not create a directive to broadcast (HTTP {created.status})")
            return f"/directives/{directive_id.group(1)}/assign", {
                "csrf_token": client.csrf, "scope": "all_communes", "role": "lead"}
        if scenario.prepare == "proposal":
            return path, {
                "csrf_token": client.csrf, "title": "Đề nghị hỗ trợ kinh phí sửa chữa đường liên thôn",
                "content": "Tuyến đường đất dài 5 km, mùa mưa lầy lội, học sinh đi học khó khăn.",
                "field_id": str(self.targets["field_id"]), "requested_amount": "1.500.000.000",
                "location": "Thôn 3", "meeting_id": "", "idempotency_key": secrets.token_urlsafe(24),
                "intent": "submit",
            }
        return path, None


class RouteTable:
    """Whether the app (the code gunicorn runs) has a route for a method and path."""

    def __init__(self):
        from werkzeug.exceptions import MethodNotAllowed, NotFound
        from werkzeug.routing import RequestRedirect

        from app import create_app

        app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "route-table", "TESTING": True})
        self.adapter = app.url_map.bind("127.0.0.1")
        self.missing = (NotFound, MethodNotAllowed)
        self.redirect = RequestRedirect

    def exists(self, method: str, path: str) -> bool:
        try:
            self.adapter.match(urllib.parse.urlsplit(path).path, method=method)
        except self.redirect:
            return True  # e.g. /dashboard -> /dashboard/: the route is there
        except self.missing:
            return False
        return True


# --- the table ------------------------------------------------------------------------------


def fmt(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(cells: list[Cell], missing: list[tuple[Scenario, str]], memory: list[tuple[float, float]], meta: dict) -> list[str]:
    floor = {c.level: c.pct(50) for c in cells if c.scenario.key == "healthz"}
    by_key = {(c.scenario.key, c.level): c for c in cells}
    lines = [
        f"Giao Ban benchmark — {meta['database']} — scale {meta['scale']} — {meta['workers']} gunicorn workers — "
        f"nproc {os.cpu_count()} — load {meta['load_before']} → {meta['load_after']}",
        "",
        f"{'scenario':<44} {'c':>3} {'req':>5} {'err':>4} {'p50':>8} {'p95':>8} {'p99':>8} {'req/s':>7} "
        f"{'SQL/req':>8} {'CPU ms':>7} {'p50/floor':>9}  budget (c=4)",
    ]
    verdicts = []
    for cell in cells:
        s = cell.scenario
        queries = statistics.median(cell.queries) if cell.queries else None
        cpu = statistics.median(cell.cpu) if cell.cpu else None
        ratio = cell.pct(50) / floor[cell.level] if cell.pct(50) and floor.get(cell.level) else None
        verdict = ""
        if s.budget and cell.level == 4:
            limit, stat = BUDGETS[s.budget]
            value = cell.pct(95 if stat == "p95" else 50)
            ok = value is not None and value <= limit and cell.errors == 0
            verdict = f"{stat} ≤ {limit:.0f} ms: {'PASS' if ok else 'FAIL'}"
            verdicts.append((s.label, verdict))
        lines.append(
            f"{s.label[:44]:<44} {cell.level:>3} {len(cell.times):>5} {cell.errors:>4} {fmt(cell.pct(50)):>8} "
            f"{fmt(cell.pct(95)):>8} {fmt(cell.pct(99)):>8} {fmt(cell.rps):>7} {fmt(queries, 0):>8} "
            f"{fmt(cpu):>7} {fmt(ratio):>9}  {verdict}{('  ' + cell.note) if cell.note else ''}"
        )
    for s, why in missing:
        lines.append(f"{s.label[:44]:<44} {'-':>3} {'':>5} {'':>4} {why}")
    lines.append("")
    first, deep = by_key.get(("list_p1", 4)), by_key.get(("list_p200", 4))
    if first and deep and first.pct(50) and deep.pct(50):
        ratio = deep.pct(50) / first.pct(50)
        ratio95 = deep.pct(95) / first.pct(95)
        verdict = "PASS" if ratio <= PAGE_200_RATIO else "FAIL"
        lines.append(f"page 200 / page 1 at c=4: p50 {ratio:.2f}×, p95 {ratio95:.2f}× (≤ {PAGE_200_RATIO}× on p50): {verdict}")
    if memory:
        peak = max(p for _r, p in memory)
        verdict = "PASS" if peak < WORKER_RSS_MB else "FAIL"
        lines.append(f"gunicorn workers: RSS now {', '.join(f'{r:.0f}' for r, _p in memory)} MB; "
                     f"peak {peak:.0f} MB (< {WORKER_RSS_MB:.0f} MB): {verdict}")
    failed = [label for label, v in verdicts if v.endswith("FAIL")]
    lines.append(f"budgets at c=4: {len(verdicts) - len(failed)} PASS, {len(failed)} FAIL"
                 + (f" ({'; '.join(failed)})" if failed else ""))
    return lines


# --- main -----------------------------------------------------------------------------------


def wait_for_quiet(limit: float, at_most: float) -> None:
    """Sleep until the 1-minute load average drops below limit, or at_most seconds pass."""
    deadline = time.monotonic() + at_most
    while os.getloadavg()[0] >= limit and time.monotonic() < deadline:
        print(f"waiting for load < {limit} (now {os.getloadavg()[0]:.2f})", flush=True)
        time.sleep(15)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="SQLite or PostgreSQL URL (default: a SQLite file under /tmp)")
    parser.add_argument("--scale", type=float, default=1.0, help="bench-data scale when the database is built")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rebuild", action="store_true", help="empty the database first (SQLite file: delete it)")
    parser.add_argument("--drop", action="store_true", help="delete the database afterwards (file or PostgreSQL db)")
    parser.add_argument("--requests", type=int, default=30, help="requests per scenario at concurrency 1 (×2 at 4, ×4 at 16)")
    parser.add_argument("--levels", default=",".join(map(str, LEVELS)), help="concurrency levels, e.g. 1,4,16")
    parser.add_argument("--workers", type=int, default=2 * (os.cpu_count() or 1) + 1, help="gunicorn workers")
    parser.add_argument("--request-timeout", type=float, default=REQUEST_TIMEOUT,
                        help="seconds a request may wait for its answer; one that does not get it counts as an error")
    parser.add_argument("--only", default="", help="comma-separated scenario keys (healthz always runs)")
    parser.add_argument("--app-dir", default=str(REPO), help="the code to serve (default: this checkout)")
    parser.add_argument("--wait-load", type=float, default=None,
                        help="first wait until the 1-minute load average is below this (shared machines)")
    parser.add_argument("--wait-max", type=float, default=900, help="seconds --wait-load waits at most")
    args = parser.parse_args(argv)

    # A SIGTERM (timeout, CI) unwinds like Ctrl-C, so the server below is always stopped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    app_dir = Path(args.app_dir).resolve()
    sys.path.insert(0, str(app_dir))
    url = args.database or f"sqlite:////tmp/giaoban-bench/bench-s{args.scale:g}-seed{args.seed}.sqlite3"
    is_sqlite = url.startswith("sqlite")
    if is_sqlite:
        path = Path(url.split("sqlite:///", 1)[1])
        path.parent.mkdir(parents=True, exist_ok=True)
        if args.rebuild:
            for suffix in ("", "-wal", "-shm"):
                Path(str(path) + suffix).unlink(missing_ok=True)
    else:
        if args.rebuild:
            drop_postgres_database(url)
        ensure_postgres_database(url)
    levels = [int(v) for v in args.levels.split(",") if v]
    only = {k for k in args.only.split(",") if k}
    scenarios = [s for s in SCENARIOS if not only or s.key in only or s.key == "healthz"]

    try:
        # A database kept from an earlier run gets the served code's indexes and columns.
        flask(app_dir, url, "db", "upgrade")
        if not has_data(url):
            started = time.perf_counter()
            flask(app_dir, url, "bench-data", "--scale", f"{args.scale:g}", "--seed", str(args.seed))
            print(f"bench-data built the database in {time.perf_counter() - started:.1f} s", flush=True)
        targets = find_targets(url)
        if args.wait_load is not None:
            wait_for_quiet(args.wait_load, args.wait_max)
        meta = {"database": "SQLite" if is_sqlite else "PostgreSQL", "scale": f"{args.scale:g}",
                "workers": args.workers, "load_before": " ".join(f"{v:.2f}" for v in os.getloadavg())}
        cells, missing = [], []
        with Server(app_dir, url, args.workers) as server:
            runner = Runner(server, targets, args.requests, lambda m: print(m, flush=True), args.request_timeout)
            runner.login()
            for scenario in scenarios:
                path, why = runner.resolve(scenario)
                if path is None:
                    missing.append((scenario, why))
                    print(f"{scenario.key}: {why}", flush=True)
                    continue
                for level in levels:
                    cell = runner.run(scenario, path, level)
                    cells.append(cell)
                    why = f" (HTTP {cell.error_statuses}; 0 = no answer in time)" if cell.errors else ""
                    print(f"{scenario.key} c={level}: {len(cell.times)} ok, {cell.errors} errors{why}, "
                          f"p50 {fmt(cell.pct(50))} ms", flush=True)
            memory = server.worker_memory_mb()
        meta["load_after"] = " ".join(f"{v:.2f}" for v in os.getloadavg())
        lines = report(cells, missing, memory, meta)
        print("\n" + "\n".join(lines))
        OUT.mkdir(parents=True, exist_ok=True)
        stamp = time.strftime("%Y%m%d-%H%M%S")
        (OUT / f"bench-{stamp}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        (OUT / f"bench-{stamp}.json").write_text(json.dumps({
            "meta": meta, "targets": targets,
            "cells": [{"scenario": c.scenario.key, "level": c.level, "times_ms": c.times, "queries": c.queries,
                       "cpu_ms": c.cpu, "errors": c.errors, "seconds": c.seconds} for c in cells],
            "missing": [s.key for s, _why in missing],
        }, ensure_ascii=False, indent=1), encoding="utf-8")
        return 0
    finally:
        if args.drop:
            if is_sqlite:
                for suffix in ("", "-wal", "-shm"):
                    Path(str(path) + suffix).unlink(missing_ok=True)
            else:
                drop_postgres_database(url)


if __name__ == "__main__":
    sys.exit(main())
