"""Printed reports (print page, Word, PDF) and the Excel exports of the lists.

/reports/<name> is the print-ready page; /reports/<name>.docx and .pdf the same report as a
download, with the same query string. Leaders and coordinators see every report; commune and
department staff their own unit's record and exports of what they may see; admins nothing.
"""

import unicodedata
from datetime import date, datetime
from urllib.parse import quote

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for
from flask_login import current_user
from sqlalchemy import select

from app import clock, policy
from app.dashboard import period as periods
from app.dashboard.forms import has_errors, read_scope, scope_args, scope_form
from app.documents.csvfile import CSV_MIME
from app.documents.pdf import PdfNotReady
from app.documents.render import DOCX_MIME, render_docx, render_html, render_pdf
from app.documents.xlsx import XLSX_MIME
from app.extensions import db
from app.meetings import services as meetings
from app.models import LEADING_KIND, Meeting, Unit
from app.reports import briefing, builders, exports, issuing
from app.urls import parse_id

bp = Blueprint("reports", __name__)

BUSINESS_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)
PDF_MIME = "application/pdf"
EXPORT_MIMES = {"xlsx": XLSX_MIME, "csv": CSV_MIME}
REPORT_NAMES = ("meeting", "directives", "unit", "weekly")
# The briefing packs (a meeting's, a period's): the roles the dashboard is for.
PACK_ROLES = (policy.COORDINATOR, policy.LEADER)
ISSUING_ARGS = ("issuer", "signer_title", "signer_name")


# --- helpers ------------------------------------------------------------------------------


def ascii_name(name: str) -> str:
    """The file name without marks, for clients that ignore filename* (đ becomes d)."""
    name = name.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFKD", name)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).encode("ascii", "ignore").decode("ascii")


def safe_file_name(name: str) -> str:
    """A file name any system accepts: no path separators or reserved characters."""
    cleaned = "".join("-" if c in '\\/:*?"<>|' else c for c in name)
    return " ".join(cleaned.split())[:150]


def download(data: bytes, mimetype: str, file_name: str) -> Response:
    """An attachment with its Vietnamese name (filename*, RFC 6266) and a plain fallback."""
    file_name = safe_file_name(file_name)
    response = Response(data, mimetype=mimetype)
    response.headers["Content-Disposition"] = (
        f'attachment; filename="{ascii_name(file_name)}"; filename*=UTF-8\'\'{quote(file_name, safe="")}'
    )
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _file_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def _deliver(report, fmt: str, file_name: str, endpoint: str = ".report", back: str | None = None, **values):
    """The report as a print page, a Word document or a PDF; endpoint with values (and the
    query string's choices) makes the other formats' links."""
    if fmt == "docx":
        return download(render_docx(report), DOCX_MIME, file_name + ".docx")
    # The same query string for the other formats (never url_for's own _external, _scheme, ...).
    # Choices left empty (issuer, signer) are not carried over.
    args = {k: v for k, v in request.args.items()
            if k not in ("fmt", *values) and not k.startswith("_") and not (k in ISSUING_ARGS and not v.strip())}
    args.update(values)
    if fmt == "pdf":
        try:
            return download(render_pdf(report), PDF_MIME, file_name + ".pdf")
        except PdfNotReady as error:
            return _pdf_not_ready(error, endpoint, args)
    toolbar = {
        "back": back or url_for(".index"),
        "docx": url_for(endpoint, fmt="docx", **args),
        "pdf": url_for(endpoint, fmt="pdf", **args),
    }
    response = Response(render_html(report, toolbar=toolbar), mimetype="text/html")
    return response


def _pdf_not_ready(error: PdfNotReady, endpoint: str, args: dict):
    """Tell the user the PDF was not made in time (its child is already stopped); offer the rest."""
    current_app.logger.warning("PDF of %s not made: %s", request.full_path, error)
    page = render_template(
        "reports/pdf_not_ready.html",
        docx_url=url_for(endpoint, fmt="docx", **args),
        print_url=url_for(endpoint, **args),
    )
    return page, 503, {"Retry-After": "60"}


def _issuing(meeting: Meeting | None = None) -> issuing.Issuing:
    """In whose name the report is issued (?issuer=, one of the bodies the user's unit drafts
    for; for a meeting's reports also the meeting's issuing body) and who signs it
    (?signer_title=, lines; ?signer_name=). A body outside those choices is refused (400)."""
    preferred = meeting.issuing_unit if meeting is not None else None
    choices = issuing.bodies_for(current_user.unit, preferred)
    wanted = _int_arg("issuer")
    if wanted is None:
        if request.args.get("issuer", "").strip():
            abort(400)
        issuer = issuing.default_issuer(choices, preferred)
    else:
        issuer = next((body for body in choices if body.id == wanted), None)
        if issuer is None:
            abort(400)
    title = request.args.get("signer_title", "").strip()
    name = " ".join(request.args.get("signer_name", "").split())
    if len(title) > issuing.MAX_SIGNER_TITLE or len(name) > issuing.MAX_SIGNER_NAME:
        abort(400)
    # Drafted by the user's unit for itself or the body it serves; a meeting's report issued by
    # another body is that body's own.
    drafter = current_user.unit if issuer in issuing.bodies_for(current_user.unit) else issuer
    return issuing.Issuing(issuer, drafter, title, name)


def _int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


# --- the index ------------------------------------------------------------------------------


@bp.route("/")
@policy.role_required(*BUSINESS_ROLES)
def index():
    """List the reports the user may print, with their choices."""
    sees_all = policy.sees_everything(current_user)
    form = scope_form(request.args) if sees_all else None
    units = []
    if sees_all:
        units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True), Unit.kind != LEADING_KIND)))
        units.sort(key=lambda u: u.order_key)
    return render_template(
        "reports/index.html",
        sees_all=sees_all,
        form=form,
        meetings=meetings.recent_meetings(30) if sees_all else [],
        units=units,
        today=clock.today(),
        issuers=issuing.bodies_for(current_user.unit),
        signer=issuing.Issuing(current_user.unit, current_user.unit).signer_lines,
    )


# --- the reports ----------------------------------------------------------------------------


@bp.route("/<any(meeting,directives,unit,weekly):name>", defaults={"fmt": "html"})
@bp.route("/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>")
@policy.role_required(*BUSINESS_ROLES)
def report(name, fmt):
    """One report as a print page, .docx or .pdf."""
    if name != "unit" and not policy.sees_everything(current_user):
        abort(403)
    today = clock.today()
    if name == "meeting":
        meeting = db.session.get(Meeting, _int_arg("meeting") or 0)
        if meeting is None:
            abort(404)
        built = builders.meeting_report(meeting, current_user, _issuing(meeting), today)
        file_name = f"Báo cáo kiến nghị {meeting.title[:80]} {_file_date(meeting.held_on)}"
    elif name == "directives":
        built, file_name = _followup(today)
    elif name == "unit":
        unit = _unit_for_record()
        built = builders.unit_report(unit, current_user, _issuing(), today)
        file_name = f"Báo cáo {unit.name} {_file_date(today)}"
    else:
        week = _week(today)
        built = builders.weekly_report(week, current_user, _issuing(), today)
        file_name = f"Báo cáo tuần {_file_date(week.start)} - {_file_date(week.end)}"
    return _deliver(built, fmt, file_name, name=name)


def _followup(today: date):
    meeting_id = _int_arg("meeting")
    if meeting_id:
        meeting = db.session.get(Meeting, meeting_id)
        if meeting is None:
            abort(404)
        built = builders.followup_report_for_meeting(meeting, current_user, _issuing(meeting), today)
        return built, f"Báo cáo thực hiện chỉ đạo {meeting.title[:80]} {_file_date(meeting.held_on)}"
    form = scope_form(request.args)
    scope = read_scope(form, today)
    if has_errors(form):
        abort(400)
    built = builders.followup_report_for_period(scope, current_user, _issuing(), today)
    p = scope.period
    return built, f"Báo cáo thực hiện chỉ đạo {_file_date(p.start)} - {_file_date(p.end)}"


def _unit_for_record() -> Unit:
    """The unit whose record is asked for: staff of a unit get their own, never another's (404)."""
    unit_id = _int_arg("unit")
    if not policy.sees_everything(current_user):
        if unit_id not in (None, current_user.unit_id):
            abort(404)
        return current_user.unit
    unit = db.session.get(Unit, unit_id) if unit_id else None
    if unit is None:
        abort(404)
    return unit


def _date_arg(name: str) -> date | None:
    """A date from the query string, typed 05/01/2026 or sent as 2026-01-05; None when bad."""
    raw = request.args.get(name, "").strip()
    for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(raw, fmt).date()
        except ValueError:
            continue
    return None


def _week(today: date) -> periods.Period:
    """The week (Monday to Sunday) containing ?on=dd/mm/yyyy, this week by default."""
    start, end = periods.unit_bounds(periods.WEEK, _date_arg("on") or today)
    return periods.Period(periods.WEEK, start, end, today)


# --- Excel exports of the lists -------------------------------------------------------------


def _export(build, kind: str):
    data, title = build(current_user, kind)
    return download(data, EXPORT_MIMES[kind], f"{title} {_file_date(clock.today())}.{kind}")


@bp.route("/export/proposals.xlsx")
@policy.role_required(*BUSINESS_ROLES)
def export_proposals():
    """The proposal list as filtered (and sorted) on screen, every page, as .xlsx."""
    return _export(exports.proposals_file, "xlsx")


@bp.route("/export/proposals.csv")
@policy.role_required(*BUSINESS_ROLES)
def export_proposals_csv():
    """The proposal list as filtered (and sorted) on screen, every page, as .csv (UTF-8 with BOM)."""
    return _export(exports.proposals_file, "csv")


@bp.route("/export/assignments.xlsx")
@policy.role_required(*BUSINESS_ROLES)
def export_assignments():
    """The assignments list as filtered on screen, every page, as .xlsx."""
    return _export(exports.assignments_file, "xlsx")


@bp.route("/export/assignments.csv")
@policy.role_required(*BUSINESS_ROLES)
def export_assignments_csv():
    """The assignments list as filtered on screen, every page, as .csv (UTF-8 with BOM)."""
    return _export(exports.assignments_file, "csv")


# --- the briefing pack ------------------------------------------------------------------------


@bp.route("/briefing/<int:meeting_id>", defaults={"fmt": "html"})
@bp.route("/briefing/<int:meeting_id>.<any(docx,pdf):fmt>")
@policy.role_required(*PACK_ROLES)
def briefing_pack(meeting_id, fmt):
    """The pack for the next giao ban: what became of this meeting's conclusions and proposals."""
    meeting = db.session.get(Meeting, meeting_id)
    if meeting is None:
        abort(404)
    built = briefing.briefing_pack(meeting, current_user, _issuing(meeting), clock.today())
    return _deliver(built, fmt, briefing.file_name(meeting), ".briefing_pack",
                    url_for("meetings.detail", meeting_id=meeting_id), meeting_id=meeting_id)


@bp.route("/briefing", defaults={"fmt": "html"})
@bp.route("/briefing.<any(docx,pdf):fmt>")
@policy.role_required(*PACK_ROLES)
def briefing_period(fmt):
    """The pack for a period and scope (the dashboard's choices): its figures, directives and proposals."""
    today = clock.today()
    form = scope_form(request.args)
    scope = read_scope(form, today)
    if has_errors(form):
        abort(400)
    built = briefing.period_pack(scope, current_user, _issuing(), today)
    return _deliver(built, fmt, briefing.period_file_name(scope), ".briefing_period",
                    url_for("dashboard.index", **scope_args(scope)))
