"""Count the SQL statements each request runs, for the benchmark only.

Off unless BENCH_QUERY_COUNT is set (environment: BENCH_QUERY_COUNT=1). When on, every
response carries an X-Query-Count header with the number of statements the request sent
to the database, so bench/run.py can print "queries per request" measured server-side, and
X-CPU-Ms with the CPU time the worker spent on it (a sync worker serves one request at a
time), which stays meaningful when other processes crowd the machine.
Never turn it on in production: it tells anyone how much work a page costs.
"""

import time

from flask import Flask, g, has_app_context
from sqlalchemy import event

from app.extensions import db

HEADER = "X-Query-Count"
CPU_HEADER = "X-CPU-Ms"


def init_query_count(app: Flask) -> None:
    """Install the counter on app's engine when BENCH_QUERY_COUNT is on; do nothing otherwise."""
    if not app.config.get("BENCH_QUERY_COUNT"):
        return
    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", _count)

    def _start_counting():
        g.bench_query_count = 0
        g.bench_cpu_start = time.process_time()

    # First of all before_request hooks, so the user loaded for the login check counts too.
    app.before_request_funcs.setdefault(None, []).insert(0, _start_counting)

    @app.after_request
    def _report_count(response):
        response.headers[HEADER] = str(g.get("bench_query_count", 0))
        if "bench_cpu_start" in g:
            response.headers[CPU_HEADER] = f"{(time.process_time() - g.bench_cpu_start) * 1000:.1f}"
        return response


def _count(conn, cursor, statement, parameters, context, executemany):
    if has_app_context() and "bench_query_count" in g:
        g.bench_query_count += 1
