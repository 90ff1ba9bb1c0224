"""Where a meeting report PDF's build spends its time, stage by stage, in one process.

As a document job builds it (app/reports/documents.py): the report's data (builders), its HTML
(render_html), WeasyPrint's parse, style and layout (HTML.render) and the PDF written with its
fonts subset and embedded (Document.write_pdf). Each stage is timed --requests times after one
warm-up (the warm-up also loads the fonts, as the fork server's first job does); --profile
writes a cProfile of one whole build to bench/out/report_pdf_stages.prof and prints its top.

    DATABASE_URL=sqlite:////tmp/<copy>.sqlite3 nice -n 15 .venv/bin/python bench/report_pdf_stages.py
    ... bench/report_pdf_stages.py --requests 5 --profile

Never point it at the bench database itself: copy it first (sqlite3 src ".backup dst").
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "bench" / "out"
USERNAME = "bench.coordinator"
STAGES = ("data", "html", "layout", "write", "total")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=3)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--meeting", type=int, help="default: the meeting with the most proposals")
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url or "giaoban-bench" in database_url:
        sys.exit("Set DATABASE_URL to a copy of the bench database.")

    from flask_login import login_user
    from sqlalchemy import func, select
    from weasyprint import HTML

    from app import clock, create_app
    from app.documents.render import render_html
    from app.extensions import db
    from app.models import User
    from app.proposals.models import Proposal
    from app.reports import builders, issuing

    app = create_app()
    with app.app_context():
        meeting_id = args.meeting or db.session.execute(
            select(Proposal.meeting_id).where(Proposal.meeting_id.is_not(None)).group_by(Proposal.meeting_id)
            .order_by(func.count().desc(), Proposal.meeting_id).limit(1)).scalar_one()
        user_id = db.session.scalar(select(User.id).where(User.username == USERNAME))

    def build(times: dict | None) -> bytes:
        with app.test_request_context("/"):
            login_user(db.session.get(User, user_id))
            from app.models import Meeting

            started = time.perf_counter()
            meeting = db.session.get(Meeting, meeting_id)
            user = db.session.get(User, user_id)
            chosen = issuing.Issuing(user.unit, user.unit) if meeting.issuing_unit is None else \
                issuing.Issuing(meeting.issuing_unit, meeting.issuing_unit)
            report = builders.meeting_report(meeting, user, chosen, clock.today())
            t1 = time.perf_counter()
            html = render_html(report, for_pdf=True)
            t2 = time.perf_counter()
            document = HTML(string=html).render()
            t3 = time.perf_counter()
            data = document.write_pdf()
            t4 = time.perf_counter()
            db.session.rollback()
        if times is not None:
            for key, value in zip(STAGES, (t1 - started, t2 - t1, t3 - t2, t4 - t3, t4 - started), strict=True):
                times.setdefault(key, []).append(value * 1000)
            times.setdefault("pages", []).append(len(document.pages))
            times.setdefault("bytes", []).append(len(data))
        return data

    first: dict = {}
    build(first)  # as a job's fresh process builds: fonts and caches cold
    times: dict = {}
    for _ in range(args.requests):
        build(times)
    print(f"meeting {meeting_id}: {times['pages'][0]} pages, {times['bytes'][0] / 1024:.0f} KB")
    print("first build in this process: " + ", ".join(f"{key} {first[key][0]:.0f} ms" for key in STAGES))
    for key in STAGES:
        print(f"{key:<8} median {statistics.median(times[key]):7.0f} ms   all {[round(t) for t in times[key]]}")
    if args.profile:
        import cProfile
        import pstats

        OUT.mkdir(exist_ok=True)
        profiler = cProfile.Profile()
        profiler.runcall(build, None)
        path = OUT / "report_pdf_stages.prof"
        profiler.dump_stats(path)
        stats = pstats.Stats(str(path))
        stats.sort_stats("cumulative").print_stats(40)
        stats.sort_stats("tottime").print_stats(30)


if __name__ == "__main__":
    main()
