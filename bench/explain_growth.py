"""EXPLAIN ANALYZE of the queries of the assignments list and the coordinator's home queues
(issue 20, goal 6): each view is run once through the app's own functions, the statements it
sends are captured, then each is explained with its parameters. PostgreSQL only.

    DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/giaoban_bench_s25 \\
        .venv/bin/python bench/explain_growth.py [--plans] [--only NAME]
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import event, func, select  # noqa: E402

from app import clock, create_app  # noqa: E402
from app.directives import panels, services, status  # noqa: E402
from app.directives.models import Assignment, ExtensionRequest  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import User  # noqa: E402
from app.proposals import panels as proposal_panels  # noqa: E402


def scenarios(user, commune):
    on = clock.today()
    busiest = db.session.scalar(
        select(Assignment.unit_id).where(Assignment.state == "in_progress")
        .group_by(Assignment.unit_id).order_by(func.count().desc()).limit(1)
    )

    def page(filters, who=user):
        return lambda: services.assignments_page(who, filters, on, per_page=25)

    pending = db.session.scalar(select(func.count()).select_from(ExtensionRequest).where(ExtensionRequest.state == "pending"))
    print(f"today {on:%d/%m/%Y}; pending extension requests {pending}; busiest unit {busiest}")
    return {
        "list: open (default)": page({}),
        "list: overdue": page({"status": status.OPEN_OVERDUE}),
        "list: awaiting": page({"status": "awaiting"}),
        "list: extension": page({"status": "extension"}),
        "list: unit filter (busiest unit)": page({"unit_id": busiest}),
        "list: search 'kinh tế'": page({"q": "kinh tế"}),
        "list: commune account, open": page({}, commune),
        "home: overdue queue": lambda: panels.overdue(user),
        "home: extension-request queue": lambda: panels.extension_requests(user),
        "home: awaiting queue": lambda: panels.awaiting_confirmation(user),
        "home: chưa đồng ý queue": lambda: proposal_panels.disagreed(user),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--plans", action="store_true", help="print every plan, not only the times")
    parser.add_argument("--only", help="run the scenarios whose name contains this")
    args = parser.parse_args()
    app = create_app()
    with app.app_context(), app.test_request_context("/"):
        user = db.session.scalar(select(User).where(User.username == "bench.coordinator"))
        commune = db.session.scalar(select(User).where(User.username == "bench.commune"))
        for name, run in scenarios(user, commune).items():
            if args.only and args.only not in name:
                continue
            captured = []

            def grab(conn, cursor, statement, parameters, context, executemany, captured=captured):
                captured.append((statement, parameters))

            event.listen(db.engine, "before_cursor_execute", grab)
            try:
                run()
            finally:
                event.remove(db.engine, "before_cursor_execute", grab)
            print(f"== {name}")
            for statement, parameters in captured:
                if not statement.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                raw = db.session.connection().connection.dbapi_connection
                with raw.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, parameters)
                    plan = [row[0] for row in cursor.fetchall()]
                took = next((line for line in plan if line.startswith("Execution Time")), "?")
                uses = sorted(set(re.findall(r"using (\w+)", "\n".join(plan))))
                head = " ".join(statement.split())[:90]
                print(f"  {took:32} {', '.join(uses)[:80]:80} {head}")
                if args.plans:
                    print("\n".join("      " + line for line in plan))
            db.session.rollback()


if __name__ == "__main__":
    main()
