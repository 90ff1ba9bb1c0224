"""Render page 1 of each report in each header layout from a fresh demo database, as PNGs for
docs/documents.md, and print the table of every seeded body's header (Markdown).

    .venv/bin/python tools/document_samples.py docs/documents

Needs poppler-utils (pdftoppm). The database is a temporary SQLite file made as `flask demo`
makes one; the PDFs come from the same builders and renderer as /reports/<name>.pdf.
"""

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from flask_migrate import upgrade
from sqlalchemy import select

from app import clock, create_app
from app.cli import run_setup
from app.dashboard import period as periods
from app.demo import load_demo
from app.demo_mode import mark_demo_database
from app.documents.headers import header_of
from app.documents.model import build_header
from app.documents.render import render_pdf
from app.extensions import db
from app.models import COMMUNE_KINDS, Meeting, Unit, User
from app.reports import builders
from app.reports.issuing import Issuing

# layout -> (body issuing, unit drafting)
LAYOUTS = {
    "state-body": ("SXD", "SXD"),
    "party-advisory-body": ("TU-VP", "TU-VP"),
    "tinh-uy": ("TU", "TU-VP"),
    "ubnd-tinh": ("UBND", "UB-VP"),
    "commune": ("Xã Ia Boòng", "Xã Ia Boòng"),
}
REPORTS = ("meeting", "directives", "unit", "weekly")
DPI = 45
PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"


def _unit(ref: str) -> Unit:
    return db.session.scalar(select(Unit).where((Unit.code == ref) | (Unit.name == ref)))


def _report(name: str, issuing: Issuing, user: User, meeting: Meeting):
    today = clock.today()
    if name == "meeting":
        return builders.meeting_report(meeting, user, issuing, today)
    if name == "directives":
        return builders.followup_report_for_meeting(meeting, user, issuing, today)
    if name == "unit":
        record = issuing.issuer if issuing.issuer.is_commune or issuing.issuer.code == "SXD" else _unit("Xã Ia Boòng")
        return builders.unit_report(record, user, issuing, today)
    start, end = periods.unit_bounds(periods.WEEK, today)
    return builders.weekly_report(periods.Period(periods.WEEK, start, end, today), user, issuing, today)


def header_table() -> str:
    rows = ["| Mã | Dòng cơ quan chủ quản | Tên cơ quan | Số, ký hiệu | Người ký | Thể thức |",
            "|---|---|---|---|---|---|"]
    bodies = db.session.scalars(select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS)).order_by(Unit.sort_order))
    commune = _unit("Xã Ia Boòng")
    for unit in [*bodies, commune]:
        data = header_of(unit, 52)
        header = build_header(data, clock.today())
        number = f"{header.number_prefix} …{header.number_suffix}"
        rows.append(f"| {unit.code if not unit.is_commune else unit.name} | {data.superior or '—'} | "
                    f"{' / '.join(data.name_lines)} | {number} | {' / '.join(data.signer)} | "
                    f"{'Đảng (HD 36)' if data.party else 'Nhà nước (NĐ 30)'} |")
    return "\n".join(rows)


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/demo.sqlite3", "SECRET_KEY": "samples-only",
            "UPLOAD_FOLDER": f"{tmp}/uploads", "PROVINCE_CODE": 52, "PDF_TIMEOUT_SECONDS": 300,
        })
        with app.app_context():
            upgrade()
            mark_demo_database()
            db.session.commit()
            run_setup(52)
            load_demo()
            db.session.commit()
            user = db.session.scalar(select(User).where(User.username == "vanphong.demo"))
            meeting = db.session.scalar(select(Meeting).order_by(Meeting.id))
            with app.test_request_context():
                for layout, (issuer, drafter) in LAYOUTS.items():
                    issuing = Issuing(_unit(issuer), _unit(drafter))
                    for name in REPORTS:
                        pdf = Path(tmp) / f"{name}-{layout}.pdf"
                        pdf.write_bytes(render_pdf(_report(name, issuing, user, meeting)))
                        command = [PDFTOPPM, "-r", str(DPI), "-f", "1", "-l", "1", "-singlefile", "-png",
                                   str(pdf), str(out / f"{name}-{layout}")]
                        subprocess.run(command, check=True)  # noqa: S603 — our own files, fixed arguments
                        print(out / f"{name}-{layout}.png")
            print(header_table())


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/documents"))
