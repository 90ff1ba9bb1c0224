"""/api/v1/: the writes, each through the feature's own service (its checks, audit and
notifications), once per Idempotency-Key, refused with 412 when If-Match is stale."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from app import clock, policy
from app.api import idempotency, serialize
from app.api import schemas as s
from app.api.problems import Problem
from app.api.routes import bp, require_role, visible_assignment
from app.directives import assigning, issuing, progress, rollups
from app.directives import visibility as directive_visibility
from app.directives import workflow as directive_workflow
from app.extensions import db
from app.models import Field, Meeting
from app.proposals import changes as proposal_changes
from app.proposals import workflow as proposal_workflow
from app.service_error import ServiceError

IDEMPOTENCY_HEADER = {
    "Idempotency-Key": {"description": "Same key and body: the first answer again, nothing done twice; "
                                       "same key, other body: 409", "schema": {"type": "string", "maxLength": 200}},
}
IF_MATCH_HEADER = {
    "If-Match": {"description": "The ETag (or version) read before: 412 when the row changed since",
                 "schema": {"type": "string"}},
}


def _headers(*extra: dict) -> list[dict]:
    out = []
    for group in (IDEMPOTENCY_HEADER, *extra):
        for name, spec in group.items():
            out.append({"in": "header", "name": name, "required": False, **spec})
    return out


def _service_problem(error: ServiceError) -> Problem:
    return Problem(422, str(error), errors={error.field or "body": str(error)})


def _proposal_workflow_problem(error: proposal_workflow.WorkflowError) -> Problem:
    if isinstance(error, proposal_workflow.NotPermitted):
        return Problem(403, str(_l("Vai trò của tài khoản gắn với khóa này không được làm việc này.")))
    return Problem(409, str(_l("Hồ sơ đang ở trạng thái không cho phép thao tác này.")))


def _directive_workflow_problem(error: directive_workflow.WorkflowError) -> Problem:
    return Problem(403 if error.permission else 409, str(error))


# --- a commune files a proposal ---------------------------------------------------------------


@bp.route("/proposals", methods=["POST"])
@bp.arguments(s.ProposalIn)
@bp.response(201, s.ProposalOut)
@bp.doc(parameters=_headers())
def proposal_create(data: dict):
    """A commune files a proposal (sent to the province at once unless submit is false)."""
    require_role(policy.COMMUNE)

    def work():
        field = db.session.get(Field, data["field_id"])
        if field is None or not field.active:
            raise Problem(422, errors={"field_id": str(_l("Chọn lĩnh vực còn sử dụng."))})
        meeting = None
        if data.get("meeting_id") is not None:
            meeting = db.session.get(Meeting, data["meeting_id"])
            if meeting is None:
                raise Problem(422, errors={"meeting_id": str(_l("Không có hội nghị này."))})
        entry = proposal_changes.ProposalInput(
            title=data["title"], content=data["content"], field=field,
            requested_amount=data.get("requested_amount"), location=data.get("location") or "", meeting=meeting,
        )
        try:
            proposal = proposal_changes.create(current_user, entry)
            if data.get("submit", True):
                proposal_changes.submit(proposal, current_user)
        except ServiceError as error:
            raise _service_problem(error) from None
        except proposal_workflow.WorkflowError as error:
            raise _proposal_workflow_problem(error) from None
        db.session.flush()
        return serialize.proposal(proposal), 201, url_for("api.proposal", proposal_id=proposal.id)

    return idempotency.run(work)


# --- a unit reports progress, asks for completion ---------------------------------------------


@bp.route("/assignments/<int:assignment_id>/reports", methods=["POST"])
@bp.arguments(s.ReportIn)
@bp.response(201, s.ReportOut)
@bp.doc(parameters=_headers(IF_MATCH_HEADER))
def assignment_report(data: dict, assignment_id: int):
    """The unit reports progress on its assignment (text and percent done)."""
    require_role(policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)

    def work():
        assignment = visible_assignment(assignment_id)
        idempotency.check_if_match(assignment)
        try:
            report = progress.add_report(assignment, current_user, data["text"], data["percent"])
        except directive_workflow.WorkflowError as error:
            raise _directive_workflow_problem(error) from None
        except ServiceError as error:
            raise _service_problem(error) from None
        db.session.flush()
        return serialize.report(report), 201, url_for("api.assignment", assignment_id=assignment.id)

    return idempotency.run(work)


@bp.route("/assignments/<int:assignment_id>/completion", methods=["POST"])
@bp.arguments(s.CompletionIn)
@bp.response(200, s.AssignmentOut)
@bp.doc(parameters=_headers(IF_MATCH_HEADER))
def assignment_completion(data: dict, assignment_id: int):
    """The unit asks the coordinator to confirm its assignment done (today is the day it asked)."""
    require_role(policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)

    def work():
        assignment = visible_assignment(assignment_id)
        idempotency.check_if_match(assignment)
        try:
            progress.request_completion(assignment, current_user, clock.today(), data.get("note") or None)
        except directive_workflow.WorkflowError as error:
            raise _directive_workflow_problem(error) from None
        except ServiceError as error:
            raise _service_problem(error) from None
        db.session.flush()
        return serialize.assignment(assignment, clock.today(), rollups.due_soon_days()), 200, None

    return idempotency.run(work)


# --- the coordinator issues a directive and assigns it ----------------------------------------


def _check_directive(data: dict) -> dict:
    errors = {}
    if data.get("field_id") is None or (field := db.session.get(Field, data["field_id"])) is None or not field.active:
        errors["field_id"] = str(_l("Chọn lĩnh vực."))
    if data.get("meeting_id") is not None and db.session.get(Meeting, data["meeting_id"]) is None:
        errors["meeting_id"] = str(_l("Không có hội nghị này."))
    if data.get("is_ongoing"):
        if not data.get("reporting_period"):
            errors["reporting_period"] = str(_l("Chọn kỳ báo cáo cho nhiệm vụ thường xuyên."))
    elif data.get("deadline") is None:
        errors["deadline"] = str(_l("Nhập hạn hoàn thành, hoặc chọn Thường xuyên."))
    if errors:
        raise Problem(422, errors=errors)
    return {key: data.get(key) for key in ("meeting_id", "issued_by_name", "issued_by_title", "title", "content",
                                           "field_id", "deadline", "is_ongoing", "reporting_period")}


def _assign(directive, wanted: dict) -> dict:
    try:
        unit_ids = assigning.units_for_scope(wanted["scope"], [str(i) for i in wanted.get("unit_ids") or []])
        result = assigning.assign_to_units(directive, unit_ids, wanted.get("role") or directive_workflow.LEAD,
                                           current_user)
    except ServiceError as error:
        raise _service_problem(error) from None
    return {"directive_id": directive.id, "created": result.created, "skipped": result.skipped}


@bp.route("/directives", methods=["POST"])
@bp.arguments(s.DirectiveIn)
@bp.response(201, s.DirectiveCreated)
@bp.doc(parameters=_headers())
def directive_create(data: dict):
    """The coordinator issues a directive and, with "assign", assigns it in the same call
    (scope all_communes: every active commune)."""
    require_role(policy.COORDINATOR)

    def work():
        directive = issuing.create_directive(_check_directive(data), current_user)
        assigned = _assign(directive, data["assign"]) if data.get("assign") else None
        db.session.flush()
        rollup = rollups.counts_by_directive([directive.id], clock.today(), current_user)[directive.id]
        body = {"directive": serialize.directive(directive, rollup), "assigned": assigned}
        return body, 201, url_for("api.directive", directive_id=directive.id)

    return idempotency.run(work)


@bp.route("/directives/<int:directive_id>/assignments", methods=["POST"])
@bp.arguments(s.AssignIn)
@bp.response(200, s.AssignOut)
@bp.doc(parameters=_headers(IF_MATCH_HEADER))
def directive_assign(data: dict, directive_id: int):
    """The coordinator assigns a directive to units (all communes in one call); units that
    already have it are skipped."""
    require_role(policy.COORDINATOR)

    def work():
        directive = db.session.scalar(directive_visibility.visible_directives(current_user).where(
            directive_visibility.Directive.id == directive_id))
        if directive is None:
            raise Problem(404)
        idempotency.check_if_match(directive)
        return _assign(directive, data), 200, None

    return idempotency.run(work)
