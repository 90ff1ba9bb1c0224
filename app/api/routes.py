"""/api/v1/: the reads. Every view starts from the feature's one scoped query for the
token's user, so a token sees exactly what its user sees in the site (404 otherwise).

The writes are in writes.py, on the same blueprint.
"""

from __future__ import annotations

from flask import g
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_smorest import Blueprint
from marshmallow import RAISE
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from app import clock, policy, reference
from app.api import auth, problems, serialize
from app.api import schemas as s
from app.api.problems import Problem
from app.dashboard import period as periods
from app.dashboard import services as dashboard
from app.directives import lists as directive_lists
from app.directives import rollups
from app.directives import visibility as directive_visibility
from app.directives.models import Assignment
from app.extensions import db, limiter
from app.listing import SortKey, decode_cursor, keyset_page
from app.meetings import services as meetings
from app.models import Field, Meeting, Unit
from app.proposals import lists as proposal_lists
from app.proposals import visibility as proposal_visibility

bp = Blueprint("api", __name__, url_prefix="/api/v1",
               description="Giao Ban's JSON API: the same data and rules as the site, for other systems.")

BUSINESS_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)
PROPOSAL_SORT = "-submitted"  # newest sent first, the list screen's default


@bp.before_request
def _authenticate():
    auth.authenticate()


bp.register_error_handler(Problem, problems.handle_problem)
bp.register_error_handler(HTTPException, problems.handle_http_exception)
bp.register_error_handler(500, problems.handle_server_error)
limiter.limit(auth.rate_limit, key_func=auth.rate_limit_key)(bp)


def require_role(*roles: str) -> None:
    if current_user.role not in roles:
        raise Problem(403, str(_l("Vai trò của tài khoản gắn với khóa này không được xem hoặc làm việc này.")))


def _not_found():
    return Problem(404)


SEARCH_MAX = 200


def check_list_args(q: str | None, after: str | None, sort: str, keys) -> None:
    """422 for search words past SEARCH_MAX and for a cursor this list did not give."""
    errors = {}
    if q and len(q) > SEARCH_MAX:
        errors["q"] = str(_l("Từ khóa tìm kiếm dài tối đa 200 ký tự."))
    if after and decode_cursor(after, sort, keys) is None:
        errors["after"] = str(_l("Con trỏ trang không hợp lệ; dùng next_cursor của trang trước."))
    if errors:
        raise Problem(422, errors=errors)


# --- who am I ---------------------------------------------------------------------------------


@bp.route("/me")
@bp.response(200, s.TokenOut)
def me():
    """The token itself: its name, scope, expiry and the user it acts as."""
    token = g.api_token
    return {"id": token.id, "name": token.name, "scope": token.scope, "user_id": current_user.id,
            "role": current_user.role, "unit_id": current_user.unit_id, "expires_on": token.expires_on}


# --- units and fields ---------------------------------------------------------------------------


@bp.route("/units")
@bp.arguments(s.UnitQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.UnitOut(many=True))
def units(q: str = "", level: str = ""):
    """Every unit (provincial bodies in their listed order, then communes), as the site lists them."""
    check_list_args(q, None, "", [])
    return serialize.conditional([serialize.unit(u) for u in reference.find_units(q, level)])


@bp.route("/units/<int:unit_id>")
@bp.response(200, s.UnitOut)
def unit(unit_id: int):
    """One unit."""
    found = db.session.get(Unit, unit_id)
    if found is None:
        raise _not_found()
    return serialize.conditional(serialize.unit(found), found.version)


@bp.route("/fields")
@bp.response(200, s.FieldOut(many=True))
def fields():
    """Every field (lĩnh vực) proposals and directives belong to."""
    rows = db.session.scalars(select(Field).order_by(Field.sort_order, Field.name))
    return serialize.conditional([serialize.field(f) for f in rows])


# --- meetings ---------------------------------------------------------------------------------


def _meeting_keys() -> list[SortKey]:
    from datetime import date

    return [SortKey(Meeting.held_on, lambda m: m.held_on, date, descending=True),
            SortKey(Meeting.id, lambda m: m.id, int, descending=True)]


@bp.route("/meetings")
@bp.arguments(s.MeetingQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.MeetingPage)
def meeting_list(per_page: int, after: str | None = None, q: str = ""):
    """Briefing meetings, newest first."""
    require_role(*meetings.MEETING_VIEW_ROLES)
    check_list_args(q, after, "-held_on", _meeting_keys())
    base = meetings.search_meetings(q or None).order_by(None)
    page = keyset_page(base, base.with_only_columns(Meeting.id), _meeting_keys(), sort="-held_on",
                       per_page=per_page, after=after, text_search=bool(q))
    return serialize.conditional(serialize.page(page, [serialize.meeting(m) for m in page.items]))


@bp.route("/meetings/<int:meeting_id>")
@bp.response(200, s.MeetingOut)
def meeting(meeting_id: int):
    """One meeting."""
    require_role(*meetings.MEETING_VIEW_ROLES)
    found = db.session.get(Meeting, meeting_id)
    if found is None:
        raise _not_found()
    return serialize.conditional(serialize.meeting(found), found.version)


# --- proposals --------------------------------------------------------------------------------


@bp.route("/proposals")
@bp.arguments(s.ProposalQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.ProposalPage)
@bp.alt_response(304, description="Not modified (If-None-Match)")
def proposal_list(per_page: int, after: str | None = None, **filters):
    """Proposals this token's user sees, with the list screen's filters; keyset pages, newest sent first."""
    require_role(*BUSINESS_ROLES)
    check_list_args(filters.get("q"), after, PROPOSAL_SORT, proposal_lists.sort_keys(PROPOSAL_SORT))
    wanted = proposal_lists.ListFilters(
        q=filters.get("q") or "", state=filters.get("state") or "", field_id=filters.get("field_id"),
        commune_id=filters.get("commune_id"), department_id=filters.get("department_id"),
        lead_id=filters.get("lead_id"), meeting_id=filters.get("meeting_id"),
        timeliness=filters.get("timeliness") or "", date_from=filters.get("date_from"),
        date_to=filters.get("date_to"),
    )
    page = proposal_lists.list_page(current_user, wanted, PROPOSAL_SORT, per_page=per_page, after=after,
                                    today=clock.today())
    return serialize.conditional(serialize.page(page, [serialize.proposal(p) for p in page.items]))


@bp.route("/proposals/<int:proposal_id>")
@bp.response(200, s.ProposalOut)
@bp.alt_response(304, description="Not modified (If-None-Match)")
def proposal(proposal_id: int):
    """One proposal; its ETag starts with the version that If-Match takes."""
    found = db.session.scalar(proposal_visibility.visible_proposals(current_user).where(
        proposal_visibility.Proposal.id == proposal_id))
    if found is None:
        raise _not_found()
    return serialize.conditional(serialize.proposal(found), found.version)


# --- directives and assignments ---------------------------------------------------------------


def _directive_body(directive) -> dict:
    rollup = rollups.counts_by_directive([directive.id], clock.today(), current_user)[directive.id]
    return serialize.directive(directive, rollup)


@bp.route("/directives")
@bp.arguments(s.DirectiveQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.DirectivePage)
def directive_list(per_page: int, after: str | None = None, **filters):
    """Directives this token's user sees, newest first, each with its roll-up by status class."""
    require_role(*BUSINESS_ROLES)
    sort = directive_lists.DEFAULT_DIRECTIVE_SORT
    check_list_args(filters.get("q"), after, sort, directive_lists.DIRECTIVE_SORTS[sort]())
    today = clock.today()
    page = directive_lists.directives_page(current_user, filters, today, directive_lists.DEFAULT_DIRECTIVE_SORT,
                                           per_page=per_page, after=after)
    rolled = rollups.counts_by_directive([d.id for d in page.items], today, current_user)
    rows = [serialize.directive(d, rolled[d.id]) for d in page.items]
    return serialize.conditional(serialize.page(page, rows))


@bp.route("/directives/<int:directive_id>")
@bp.response(200, s.DirectiveOut)
def directive(directive_id: int):
    """One directive with its roll-up (of the assignments this token's user sees)."""
    require_role(*BUSINESS_ROLES)
    found = db.session.scalar(directive_visibility.visible_directives(current_user).where(
        directive_visibility.Directive.id == directive_id))
    if found is None:
        raise _not_found()
    return serialize.conditional(_directive_body(found), found.version)


@bp.route("/assignments")
@bp.arguments(s.AssignmentQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.AssignmentPage)
def assignment_list(per_page: int, after: str | None = None, **filters):
    """Assignments this token's user sees, due soonest first, each with its status class today."""
    require_role(*BUSINESS_ROLES)
    check_list_args(filters.get("q"), after, "due", directive_lists.assignment_sort_keys())
    today = clock.today()
    page = directive_lists.assignments_page(current_user, filters, today, per_page=per_page, after=after)
    soon = rollups.due_soon_days()
    return serialize.conditional(serialize.page(page, [serialize.assignment(a, today, soon) for a in page.items]))


def visible_assignment(assignment_id: int) -> Assignment:
    found = db.session.scalar(directive_visibility.visible_assignments(current_user).where(
        Assignment.id == assignment_id))
    if found is None:
        raise _not_found()
    return found


@bp.route("/assignments/<int:assignment_id>")
@bp.response(200, s.AssignmentOut)
def assignment(assignment_id: int):
    """One assignment with its status class today; its ETag starts with the version If-Match takes."""
    require_role(*BUSINESS_ROLES)
    found = visible_assignment(assignment_id)
    return serialize.conditional(serialize.assignment(found, clock.today(), rollups.due_soon_days()), found.version)


# --- figures ----------------------------------------------------------------------------------


@bp.route("/figures")
@bp.arguments(s.FiguresQuery, location="query", as_kwargs=True, unknown=RAISE)
@bp.response(200, s.FiguresOut)
def figures(period: str | None = None, date_from=None, date_to=None, field_id=None, unit_id=None):
    """The dashboard's numbers for a period: tasks per status class and both rates, overall and per
    unit, and proposals by state and timeliness; computed by the dashboard's own functions, over
    what this token's user sees."""
    require_role(*BUSINESS_ROLES)
    try:
        chosen = periods.resolve(period, clock.today(), date_from, date_to)
    except periods.PeriodError as error:
        raise Problem(422, str(error), errors={"date_from": str(error)}) from None
    unit_row = None
    if unit_id is not None:
        unit_row = db.session.get(Unit, unit_id)
        if unit_row is None:
            raise Problem(422, errors={"unit_id": str(_l("Không có đơn vị này."))})
    scope = dashboard.Scope(period=chosen, field_id=field_id, unit=unit_row)
    tasks = dashboard.assignment_summary(current_user, scope)
    props = dashboard.proposal_summary(current_user, scope)
    body = {
        "period_from": chosen.start.isoformat(), "period_to": chosen.end.isoformat(),
        "as_of": chosen.as_of.isoformat(),
        "assignments": serialize.counts(tasks.counts),
        "units": [{"unit": serialize.unit_ref(row.unit), "counts": serialize.counts(row.counts)}
                  for row in tasks.bodies + tasks.communes],
        "proposals": {
            "total": props.total.value,
            "by_state": {state: count.value for state, _label, count in props.by_state},
            "timeliness": {key: count.value for key, _label, count in props.timeliness},
        },
    }
    return serialize.conditional(body)

