"""Printed reports (print page, Word, PDF) and the Excel exports of the lists.

/reports/<name> is the print-ready page; /reports/<name>.docx and .pdf the same report as a
download, with the same query string. Leaders and coordinators see every report; commune and
department staff their own unit's record and exports of what they may see; admins nothing.
"""

import io

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from app import clock, database, policy
from app.dashboard.forms import scope_args, scope_form
from app.docjobs import kinds
from app.docjobs.routes import offer_or_start
from app.documents.delivery import ascii_name, download, safe_file_name
from app.documents.render import render_html
from app.extensions import db
from app.meetings import services as meetings
from app.models import LEADING_KIND, Unit
from app.reports import exports, issuing
from app.reports.documents import (
    BRIEFING_ROLES,
    BUSINESS_ROLES,
    briefing_parts,
    briefing_period_parts,
    report_parts,
)

bp = Blueprint("reports", __name__)

__all__ = ["ascii_name", "bp", "download", "safe_file_name"]
REPORT_NAMES = ("meeting", "directives", "unit", "weekly")
ISSUING_ARGS = ("issuer", "signer_title", "signer_name")
DOCUMENT_METHODS = ("GET", "POST")  # GET offers the button, POST starts the document's job


def _same_args() -> dict:
    """The same query string for the other formats (never url_for's own _external, _scheme, ...).
    Choices left empty (issuer, signer) are not carried over."""
    return {k: v for k, v in request.args.items()
            if k not in ("name", "fmt") and not k.startswith("_") and not (k in ISSUING_ARGS and not v.strip())}


def _print_page(report, back: str, endpoint: str, **values) -> Response:
    """The report's print page, its toolbar linking back and to its Word and PDF (endpoint with
    values and this request's choices; a query argument named as a path value is not carried)."""
    args = {k: v for k, v in _same_args().items() if k not in values}
    toolbar = {
        "back": back,
        "docx": url_for(endpoint, fmt="docx", **values, **args),
        "pdf": url_for(endpoint, fmt="pdf", **values, **args),
    }
    return Response(render_html(report, toolbar=toolbar), mimetype="text/html")


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
@bp.route("/<any(meeting,directives,unit,weekly):name>.<any(docx,pdf):fmt>", methods=DOCUMENT_METHODS)
@policy.role_required(*BUSINESS_ROLES)
def report(name, fmt):
    """One report as a print page; as .docx or .pdf through a document job."""
    if fmt != "html":
        return offer_or_start("report", {"name": name, "fmt": fmt}, _("Tải báo cáo"))
    make, _file_name = report_parts(name)
    return _print_page(make(), url_for(".index"), ".report", name=name)


# --- Excel exports of the lists -------------------------------------------------------------


EXPORT_ROUTE = {"methods": DOCUMENT_METHODS}


def _export(list_name: str, kind: str):
    """A list's export: sent in this request when it holds at most EXPORT_IN_REQUEST_ROWS rows
    (counted first, no further than that), which takes well under a second; a bigger one is a
    document job with its progress bar (docs/architecture.md, "Documents: jobs").

    GET and POST alike: the small file is only read from the database, and the button (POST,
    with its CSRF token) gets the same file as a link would, so the page stays where it is."""
    parameters = {"list_name": list_name, "fmt": kind}
    limit = current_app.config["EXPORT_IN_REQUEST_ROWS"]
    with database.reads_only():  # other requests write, and other exports build, meanwhile
        if limit > 0 and exports.COUNTS[list_name](current_user, limit) <= limit:
            prepared = kinds.prepare("export", parameters)  # the job's own checks and file name
            buffer = io.BytesIO()
            exports.FILES[list_name](current_user, kind, buffer, in_memory=True)
            return download(buffer.getvalue(), prepared.mime, prepared.file_name)
    return offer_or_start("export", parameters, _("Tải danh sách"))


@bp.route("/export/proposals.xlsx", **EXPORT_ROUTE)
@policy.role_required(*BUSINESS_ROLES)
def export_proposals():
    """The proposal list as filtered (and sorted) on screen, every page, as .xlsx."""
    return _export("proposals", "xlsx")


@bp.route("/export/proposals.csv", **EXPORT_ROUTE)
@policy.role_required(*BUSINESS_ROLES)
def export_proposals_csv():
    """The proposal list as filtered (and sorted) on screen, every page, as .csv (UTF-8 with BOM)."""
    return _export("proposals", "csv")


@bp.route("/export/assignments.xlsx", **EXPORT_ROUTE)
@policy.role_required(*BUSINESS_ROLES)
def export_assignments():
    """The assignments list as filtered on screen, every page, as .xlsx."""
    return _export("assignments", "xlsx")


@bp.route("/export/assignments.csv", **EXPORT_ROUTE)
@policy.role_required(*BUSINESS_ROLES)
def export_assignments_csv():
    """The assignments list as filtered on screen, every page, as .csv (UTF-8 with BOM)."""
    return _export("assignments", "csv")


# --- the briefing pack ------------------------------------------------------------------------


@bp.route("/briefing/<int:meeting_id>", defaults={"fmt": "html"})
@bp.route("/briefing/<int:meeting_id>.<any(docx,pdf):fmt>", methods=DOCUMENT_METHODS)
@policy.role_required(*BRIEFING_ROLES)
def briefing_pack(meeting_id, fmt):
    """The pack for the next giao ban: what became of this meeting's conclusions and proposals."""
    if fmt != "html":
        return offer_or_start("briefing", {"meeting_id": meeting_id, "fmt": fmt}, _("Tải hồ sơ giao ban"))
    make, _file_name = briefing_parts(meeting_id)
    return _print_page(make(), url_for("meetings.detail", meeting_id=meeting_id), ".briefing_pack",
                       meeting_id=meeting_id)


@bp.route("/briefing", defaults={"fmt": "html"})
@bp.route("/briefing.<any(docx,pdf):fmt>", methods=DOCUMENT_METHODS)
@policy.role_required(*BRIEFING_ROLES)
def briefing_period(fmt):
    """The pack for a period and scope (the dashboard's choices): its figures, directives and proposals."""
    if fmt != "html":
        return offer_or_start("briefing_period", {"fmt": fmt}, _("Tải hồ sơ giao ban"))
    make, _file_name, scope = briefing_period_parts()
    return _print_page(make(), url_for("dashboard.index", **scope_args(scope)), ".briefing_period")
