"""The reports' documents (Word, PDF) and the lists' exports (Excel, CSV) as document-job kinds.

Each function reads the request as its view did (the query string, the user), refuses what the
user may not have (403, 404, 400) at once, and returns the document's builder: the request
that starts the job only checks, the job's process builds (app/docjobs).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, policy
from app.dashboard import period as periods
from app.dashboard.forms import has_errors, read_scope, scope_form
from app.docjobs.kinds import Prepared, register
from app.documents.csvfile import CSV_MIME
from app.documents.render import DOCX_MIME, render_docx, render_pdf
from app.documents.xlsx import XLSX_MIME
from app.extensions import db
from app.models import Meeting, Unit
from app.reports import briefing, builders, exports, issuing
from app.urls import parse_id

BUSINESS_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)
BRIEFING_ROLES = (policy.COORDINATOR, policy.LEADER)

PDF_MIME = "application/pdf"
DOCUMENT_MIMES = {"docx": DOCX_MIME, "pdf": PDF_MIME}
EXPORT_MIMES = {"xlsx": XLSX_MIME, "csv": CSV_MIME}


def file_date(day: date) -> str:
    return day.strftime("%d-%m-%Y")


def rendered(make: Callable, fmt: str, base_name: str) -> Prepared:
    """A report (made by make()) as a Word document or a PDF."""

    def build(progress, out) -> None:
        report = make()
        progress(50, _("Đang dàn trang tài liệu"))
        out.write(render_docx(report) if fmt == "docx" else render_pdf(report))

    return Prepared(f"{base_name}.{fmt}", DOCUMENT_MIMES[fmt], build)


def require_role(*roles: str) -> None:
    """The view's role check again (a job's process builds as a user whose role may have changed)."""
    if current_user.role not in roles:
        abort(403)


def meeting_or_404(meeting_id: int | None) -> Meeting:
    meeting = db.session.get(Meeting, meeting_id or 0)
    if meeting is None:
        abort(404)
    return meeting


def report_parts(name: str) -> tuple[Callable, str]:
    """What makes one of the four reports for this request, and its file name (no extension).

    Checks first: a report of every unit only for those who see everything (403), the meeting or
    unit asked for (404), the issuer and signer (400).
    """
    require_role(*BUSINESS_ROLES)
    if name != "unit" and not policy.sees_everything(current_user):
        abort(403)
    today = clock.today()
    if name == "meeting":
        meeting = meeting_or_404(int_arg("meeting"))
        chosen = issuing_from_request(meeting)
        return (lambda: builders.meeting_report(meeting, current_user, chosen, today),
                f"Báo cáo kiến nghị {meeting.title[:80]} {file_date(meeting.held_on)}")
    if name == "directives":
        return _followup(today)
    if name == "unit":
        unit = _unit_for_record()
        chosen = issuing_from_request()
        return (lambda: builders.unit_report(unit, current_user, chosen, today),
                f"Báo cáo {unit.name} {file_date(today)}")
    week = _week(today)
    chosen = issuing_from_request()
    return (lambda: builders.weekly_report(week, current_user, chosen, today),
            f"Báo cáo tuần {file_date(week.start)} - {file_date(week.end)}")


def briefing_parts(meeting_id: int) -> tuple[Callable, str]:
    """What makes a meeting's briefing pack, and its file name (no extension)."""
    require_role(*BRIEFING_ROLES)
    meeting = meeting_or_404(meeting_id)
    chosen = issuing_from_request(meeting)
    return (lambda: briefing.briefing_pack(meeting, current_user, chosen, clock.today()),
            briefing.file_name(meeting))


def briefing_period_parts() -> tuple[Callable, str, object]:
    """What makes the briefing pack of a period and scope (the dashboard's choices in the query
    string), its file name (no extension) and the scope; a bad range is refused (400)."""
    require_role(*BRIEFING_ROLES)
    today = clock.today()
    form = scope_form(request.args)
    scope = read_scope(form, today)
    if has_errors(form):
        abort(400)
    chosen = issuing_from_request()
    return (lambda: briefing.period_pack(scope, current_user, chosen, today), briefing.period_file_name(scope),
            scope)


def _followup(today: date) -> tuple[Callable, str]:
    meeting_id = int_arg("meeting")
    if meeting_id:
        meeting = meeting_or_404(meeting_id)
        chosen = issuing_from_request(meeting)
        return (lambda: builders.followup_report_for_meeting(meeting, current_user, chosen, today),
                f"Báo cáo thực hiện chỉ đạo {meeting.title[:80]} {file_date(meeting.held_on)}")
    form = scope_form(request.args)
    scope = read_scope(form, today)
    if has_errors(form):
        abort(400)
    chosen = issuing_from_request()
    p = scope.period
    return (lambda: builders.followup_report_for_period(scope, current_user, chosen, today),
            f"Báo cáo thực hiện chỉ đạo {file_date(p.start)} - {file_date(p.end)}")


def issuing_from_request(meeting: Meeting | None = None) -> issuing.Issuing:
    """In whose name the report is issued (?issuer=, one of the bodies the user's unit drafts
    for; for a meeting's reports also the meeting's issuing body) and who signs it
    (?signer_title=, lines; ?signer_name=). A body outside those choices is refused (400)."""
    preferred = meeting.issuing_unit if meeting is not None else None
    choices = issuing.bodies_for(current_user.unit, preferred)
    wanted = int_arg("issuer")
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


def int_arg(name: str) -> int | None:
    return parse_id(request.args.get(name))


def _unit_for_record() -> Unit:
    """The unit whose record is asked for: staff of a unit get their own, never another's (404)."""
    unit_id = int_arg("unit")
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


# --- the document-job kinds -------------------------------------------------------------------


def report_document(name: str, fmt: str) -> Prepared:
    """One of the four reports as .docx or .pdf."""
    make, base_name = report_parts(name)
    return rendered(make, fmt, base_name)


def briefing_document(meeting_id: int, fmt: str) -> Prepared:
    """A meeting's briefing pack as .docx or .pdf."""
    make, base_name = briefing_parts(meeting_id)
    return rendered(make, fmt, base_name)


def briefing_period_document(fmt: str) -> Prepared:
    """A period's briefing pack as .docx or .pdf."""
    make, base_name, _scope = briefing_period_parts()
    return rendered(make, fmt, base_name)


def export_document(list_name: str, fmt: str) -> Prepared:
    """The proposal or assignments list as filtered on screen, as .xlsx or .csv."""
    require_role(*BUSINESS_ROLES)
    write_file = exports.FILES[list_name]

    def build(progress, out) -> None:
        write_file(current_user, fmt, out)  # row by row into the job's file

    return Prepared(f"{exports.TITLES[list_name]} {file_date(clock.today())}.{fmt}", EXPORT_MIMES[fmt], build)


def dashboard_scope():
    """The dashboard's period and scope from the query string, for those who see the dashboard;
    a bad range is refused (400: its own page redirects to the dashboard, which says why)."""
    require_role(*BRIEFING_ROLES)
    form = scope_form(request.args)
    scope = read_scope(form, clock.today())
    if has_errors(form):
        abort(400)
    return scope


def dashboard_document(what: str, fmt: str) -> Prepared:
    """The dashboard's own documents for the scope asked: every table as .xlsx, or the first
    screen's summary as .pdf or .docx (what the user's role and unit may see, as on screen)."""
    from app.dashboard import exports as dashboard_exports
    from app.dashboard.routes import dashboard_context

    scope = dashboard_scope()
    if what == "xlsx":
        def build_workbook(progress, out) -> None:
            context = dashboard_context(scope)
            progress(60, _("Đang ghi bảng tính"))
            data, _name = dashboard_exports.dashboard_workbook(current_user, scope, context)
            out.write(data)

        return Prepared(dashboard_exports.workbook_name(scope), XLSX_MIME, build_workbook)
    today = clock.today()
    chosen = issuing.Issuing(current_user.unit, current_user.unit)
    return rendered(lambda: briefing.dashboard_summary(current_user, scope, chosen, today), fmt,
                    dashboard_exports.summary_base_name(scope))


register("report", report_document)
register("briefing", briefing_document)
register("briefing_period", briefing_period_document)
register("export", export_document)
register("dashboard", dashboard_document)
