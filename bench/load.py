"""Load test: 135 communes file proposals and progress reports at the same time.

Starts the real site under gunicorn (several workers; or two separate app processes on
one PostgreSQL with --processes 2), logs in one account per commune of Gia Lai, and has
each send --per-commune proposals and as many progress reports, concurrently. Then it
checks that the database holds exactly what the server accepted, that no request got a
5xx, that the server logged no "database is locked" and no traceback, and prints
throughput and latency percentiles.

    .venv/bin/python bench/load.py                          # SQLite file under /tmp
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/test
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/test --processes 2
    .venv/bin/python bench/load.py --database postgresql://postgres@127.0.0.1:5432/test --processes 2 \
        --redis redis://127.0.0.1:6379/0        # and check the processes share the login limit and figures

Only loopback addresses are used; counts and time are bounded; everything it starts or
creates (server, database, files) is removed at the end.
"""

import argparse
import http.cookiejar
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PASSWORD = "Tai-thu-tai-2025"  # noqa: S105 — accounts of a throw-away load-test database
TOKEN_RE = re.compile(r'"X-CSRFToken": "([^"]+)"')
KEY_RE = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')
DEADLINE_S = 600  # the whole run stops by itself after this


@dataclass
class Stats:
    latencies: dict[str, list[float]] = field(default_factory=dict)
    statuses: dict[int, int] = field(default_factory=dict)
    accepted: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: str, seconds: float, status: int) -> None:
        with self.lock:
            self.latencies.setdefault(kind, []).append(seconds)
            self.statuses[status] = self.statuses.get(status, 0) + 1

    def accept(self, kind: str) -> None:
        with self.lock:
            self.accepted[kind] = self.accepted.get(kind, 0) + 1


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --- database --------------------------------------------------------------------------------


def make_database(url: str | None, workdir: Path) -> tuple[str, callable]:
    """Return (SQLAlchemy URL of a fresh database, function that drops it)."""
    if not url:
        path = workdir / "load.sqlite3"
        return f"sqlite:///{path}", lambda: None
    import psycopg
    from sqlalchemy.engine import make_url

    base = make_url(url.replace("postgres://", "postgresql://"))
    name = f"giaoban_load_{uuid.uuid4().hex[:10]}"
    admin = base.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')

    def drop():
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    return base.set(drivername="postgresql+psycopg", database=name).render_as_string(hide_password=False), drop


def prepare(database_url: str, workdir: Path) -> tuple[list[tuple[str, int]], int]:
    """Schema, Gia Lai's units, one account per commune, a directive sent to every commune."""
    from datetime import timedelta

    from sqlalchemy import select

    from app import clock, create_app
    from app.admin import services as accounts
    from app.cli import run_setup
    from app.directives import services as directives
    from app.directives.models import Assignment
    from app.extensions import db
    from app.models import COMMUNE_KINDS, Field, Unit, User

    app = create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "load", "UPLOAD_FOLDER": str(workdir / "uploads"),
        "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
    })
    with app.app_context():
        run_setup(52)
        communes = db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS)).order_by(Unit.code)).all()
        for unit in communes:
            accounts.create_user(f"load.{unit.code}", "commune", unit, password=PASSWORD, must_change=False)
        coordinator, _ = accounts.create_user("load.coordinator", "coordinator",
                                              db.session.scalar(select(Unit).where(Unit.code == "TU-VP")),
                                              password=PASSWORD, must_change=False)
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Biên chế, tổ chức bộ máy"))
        directive = directives.create_directive({
            "meeting_id": None, "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
            "title": "Báo cáo tiến độ kiện toàn bộ máy", "content": "Các xã, phường báo cáo hằng tuần.",
            "field_id": field_id, "is_ongoing": False, "deadline": clock.today() + timedelta(days=30),
            "reporting_period": None}, coordinator)
        directives.assign_to_units(directive, [u.id for u in communes], "lead", coordinator)
        db.session.commit()
        by_unit = dict(db.session.execute(select(Assignment.unit_id, Assignment.id)
                                          .where(Assignment.directive_id == directive.id)).all())
        out = [(f"load.{u.code}", by_unit[u.id]) for u in communes]
        culture = db.session.scalar(select(Field.id).where(Field.name.like("Văn hóa%")))
        assert db.session.scalar(select(User.id).where(User.username == "load.coordinator"))
        db.engine.dispose()
    return out, culture


def stored_counts(database_url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from app import create_app
    from app.directives.models import ProgressReport
    from app.extensions import db
    from app.proposals.models import Proposal

    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "load"})
    with app.app_context():
        counts = {
            "proposal": db.session.scalar(select(func.count()).select_from(Proposal).where(Proposal.state == "submitted")),
            "report": db.session.scalar(select(func.count()).select_from(ProgressReport)),
        }
        db.engine.dispose()
    return counts


# --- server ----------------------------------------------------------------------------------


def start_servers(database_url: str, workdir: Path, processes: int, workers: int,
                  shared: dict | None = None) -> tuple[list, list[str], list[Path]]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "load-shared-secret",
           "UPLOAD_FOLDER": str(workdir / "uploads"), "LOGIN_RATE_LIMIT": "100000 per hour",
           "FLASK_APP": "wsgi", **(shared or {})}
    servers, urls, logs = [], [], []
    for index in range(processes):
        port = free_port()
        log_path = workdir / f"server-{index}.log"
        log = open(log_path, "wb")  # noqa: SIM115 — closed when the server stops
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
             "--timeout", "60", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
        )
        servers.append((server, log))
        urls.append(f"http://127.0.0.1:{port}")
        logs.append(log_path)
    for url in urls:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(url + "/healthz", timeout=2) as response:  # noqa: S310 — loopback
                    if response.status == 200:
                        break
            except OSError:
                if time.monotonic() > deadline:
                    raise RuntimeError(f"server at {url} did not start") from None
                time.sleep(0.2)
    return servers, urls, logs


def stop_servers(servers) -> None:
    for server, log in servers:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


# --- one commune -------------------------------------------------------------------------------


class Session:
    def __init__(self, base: str, stats: Stats):
        self.base, self.stats = base, stats
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()), NoRedirect())
        self.token = ""

    def request(self, kind: str, path: str, data: dict | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(self.base + path, data=body, method="POST" if data is not None else "GET")
        if data is not None:
            request.add_header("X-CSRFToken", self.token)
            request.add_header("Content-Type", "application/x-www-form-urlencoded")
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                status, text = response.status, response.read().decode("utf-8", "replace")
                self.last_headers = response.headers
        except urllib.error.HTTPError as error:
            status, text = error.code, error.read().decode("utf-8", "replace")
            self.last_headers = error.headers
        self.stats.add(kind, time.perf_counter() - started, status)
        if match := TOKEN_RE.search(text):
            self.token = match.group(1)
        if status >= 500:
            self.stats.errors.append(f"{status} {kind} {path}")
        return status, text


def run_commune(base: str, username: str, assignment_id: int, field_id: int, count: int, stats: Stats,
                stop_at: float) -> None:
    session = Session(base, stats)
    session.request("page", "/login")
    status, _ = session.request("login", "/login", {"username": username, "password": PASSWORD})
    if status != 303:
        stats.errors.append(f"login {username}: {status}")
        return
    for number in range(count):
        if time.monotonic() > stop_at:
            return
        status, page = session.request("page", "/proposals/new")
        key = KEY_RE.search(page)
        if status != 200 or key is None:
            stats.errors.append(f"form {username}: {status}")
            continue
        status, _ = session.request("proposal", "/proposals/new", {
            "title": f"Kiến nghị tải thử {number + 1} của {username}", "content": "Xây dựng nhà văn hóa thôn.",
            "field_id": str(field_id), "requested_amount": "1.500.000.000", "location": "Thôn 1",
            "meeting_id": "", "idempotency_key": key.group(1), "intent": "submit",
        })
        if status == 303:
            stats.accept("proposal")
        status, _ = session.request("report", f"/assignments/{assignment_id}/report", {
            "report-text": f"Báo cáo tiến độ lần {number + 1}: đã bổ sung cán bộ.", "report-percent": str(min(100, 5 * number)),
        })
        if status == 303:
            stats.accept("report")


# --- main ----------------------------------------------------------------------------------------


def check_shared_state(urls: list[str], redis_url: str, prefix: str, logins_sent: int) -> bool:
    """With Redis: the login limit is one count for all processes, and the dashboard's figures
    made by one process are served, the same, by the others."""
    import redis

    with redis.Redis.from_url(redis_url) as server:
        counters = {key.decode(): int(server.get(key) or 0)
                    for key in server.scan_iter(f"LIMITS:LIMITER/{prefix.rstrip(':')}/*/auth.login/*")}
        figures = sum(1 for _ in server.scan_iter(f"{prefix}figures:*"))
    counted = sum(counters.values())
    print(f"login limit in Redis: {counted} attempts counted for {logins_sent} logins sent to "
          f"{len(urls)} process(es) ({len(counters)} counter(s))")
    panels, statements = [], []
    sessions = [Session(url, Stats()) for url in urls]
    for session in sessions:
        session.request("page", "/login")
        session.request("login", "/login", {"username": "load.coordinator", "password": PASSWORD})
    for session in sessions:  # logged in everywhere first: a login is audited, a new data version
        status, text = session.request("dashboard", "/dashboard/?period=quarter")
        panels.append(text[text.find('id="dashboard-panels"'):] if status == 200 else f"status {status}")
        statements.append(int(session.last_headers.get("X-Query-Count", -1)))
    with redis.Redis.from_url(redis_url) as server:
        figures = sum(1 for _ in server.scan_iter(f"{prefix}figures:*"))
    same = all(p == panels[0] for p in panels)
    print(f"dashboard through each process: statements {statements}; same figures: {same}; "
          f"figures kept in Redis: {figures}")
    return counted >= logins_sent and same and figures > 0 and statements[-1] < statements[0]


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="PostgreSQL URL (a fresh database is created there and dropped)")
    parser.add_argument("--processes", type=int, default=1, help="separate gunicorn processes sharing the database")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers per process")
    parser.add_argument("--per-commune", type=int, default=20, help="proposals (and reports) per commune")
    parser.add_argument("--concurrency", type=int, default=32, help="communes working at the same time")
    parser.add_argument("--redis", help="redis:// URL the processes share the figures cache and login limit through")
    args = parser.parse_args()
    if not 1 <= args.per_commune <= 100 or not 1 <= args.concurrency <= 135 or not 1 <= args.processes <= 4:
        parser.error("keep the load bounded: --per-commune 1..100, --concurrency 1..135, --processes 1..4")

    workdir = Path(tempfile.mkdtemp(prefix="giaoban-load-"))
    database_url, drop = make_database(args.database, workdir)
    servers = []
    try:
        communes, field_id = prepare(database_url, workdir)
        prefix = f"giaoban-load-{uuid.uuid4().hex[:10]}:"
        shared = {"CACHE_REDIS_URL": args.redis, "CACHE_KEY_PREFIX": prefix, "BENCH_QUERY_COUNT": "1"} if args.redis else None
        servers, urls, logs = start_servers(database_url, workdir, args.processes, args.workers, shared)
        stats = Stats()
        stop_at = time.monotonic() + DEADLINE_S
        started = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            for index, (username, assignment_id) in enumerate(communes):
                pool.submit(run_commune, urls[index % len(urls)], username, assignment_id, field_id,
                            args.per_commune, stats, stop_at)
        elapsed = time.perf_counter() - started
        shared_ok = check_shared_state(urls, args.redis, prefix, len(communes)) if args.redis else True
        stop_servers(servers)
        servers = []
        stored = stored_counts(database_url)
        log_text = "".join(p.read_text(errors="replace") for p in logs)
        locked = log_text.count("database is locked")
        tracebacks = log_text.count("Traceback")
        return report(args, database_url, stats, stored, elapsed, locked, tracebacks, len(communes), shared_ok)
    finally:
        stop_servers(servers)
        drop()
        shutil.rmtree(workdir, ignore_errors=True)


def report(args, database_url, stats, stored, elapsed, locked, tracebacks, communes, shared_ok=True) -> int:
    total = sum(stats.statuses.values())
    server_errors = sum(n for status, n in stats.statuses.items() if status >= 500)
    backend = "PostgreSQL" if database_url.startswith("postgresql") else "SQLite"
    print(f"\nGiao Ban load test — {backend}, {args.processes} process(es) × {args.workers} workers, "
          f"{communes} communes × {args.per_commune}, {args.concurrency} at a time")
    print(f"{'kind':<10}{'requests':>9}{'p50 ms':>9}{'p95 ms':>9}{'p99 ms':>9}")
    for kind, values in sorted(stats.latencies.items()):
        print(f"{kind:<10}{len(values):>9}{percentile(values, 50):>9.0f}{percentile(values, 95):>9.0f}{percentile(values, 99):>9.0f}")
    all_values = [v for values in stats.latencies.values() for v in values]
    print(f"{'all':<10}{total:>9}{percentile(all_values, 50):>9.0f}{percentile(all_values, 95):>9.0f}{percentile(all_values, 99):>9.0f}")
    print(f"throughput: {total / elapsed:.1f} requests/s over {elapsed:.1f} s; statuses: {dict(sorted(stats.statuses.items()))}")
    lost = 0
    for kind in ("proposal", "report"):
        accepted = stats.accepted.get(kind, 0)
        lost += max(0, accepted - stored[kind])
        print(f"{kind}s: sent {communes * args.per_commune}, accepted {accepted}, stored {stored[kind]}, "
              f"lost {accepted - stored[kind]}")
    print(f"5xx: {server_errors}; 'database is locked' in server logs: {locked}; tracebacks: {tracebacks}")
    for error in stats.errors[:10]:
        print("  error:", error)
    exact = all(stats.accepted.get(k, 0) == stored[k] for k in ("proposal", "report"))
    everything = all(stats.accepted.get(k, 0) == communes * args.per_commune for k in ("proposal", "report"))
    ok = exact and everything and not server_errors and not locked and not tracebacks and not stats.errors and shared_ok
    print("RESULT:", "PASS" if ok else "FAIL")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
