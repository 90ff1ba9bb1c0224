"""Work handed down inside a unit: the panel's actions on a proposal or assignment page,
"Việc của tôi", and the head's view of the unit's items by officer."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, abort, flash, make_response, redirect, render_template, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from app import policy
from app.delegation import people, services, workflow
from app.delegation.models import ASSIGNMENT, PROPOSAL, DelegationDraft
from app.delegation.panels import (
    assignment_item,
    by_officer,
    make_form,
    my_work,
    not_handed_down,
    panel,
    proposal_item,
)
from app.directives.visibility import get_assignment_or_404
from app.errors import render_error
from app.extensions import db
from app.htmx import wants_fragment
from app.main.panels import register_panel
from app.proposals.visibility import get_proposal_or_404

bp = Blueprint("delegation", __name__)
UNIT_ROLES = (policy.COMMUNE, policy.DEPARTMENT)
CHANGED_MEANWHILE = _l("Việc đã thay đổi trong lúc bạn thao tác; xem lại rồi làm tiếp.")


def _item_or_404(kind: str, item_id: int):
    """The item through its own scoped query (other units: 404), as an item of the user's unit."""
    if kind == PROPOSAL:
        item = proposal_item(get_proposal_or_404(item_id, current_user), current_user)
    else:
        item = assignment_item(get_assignment_or_404(item_id, current_user), current_user)
    if item is None:
        abort(404)
    return item


def _item_url(item) -> str:
    if item.kind == PROPOSAL:
        return url_for("proposals.detail", proposal_id=item.id)
    return url_for("directives.assignment", assignment_id=item.id)


def _draft_input(form) -> services.DraftInput:
    return services.DraftInput(kind=form.kind.data, text=form.text.data or "", outcome=form.outcome.data or None,
                               planned_on=form.planned_on.data, percent=form.percent.data)


def _assign(item, user, form):
    services.assign(item, user, form.officer_id.data or None, form.co_officer_ids.data or [],
                    form.internal_deadline.data)


@dataclass(frozen=True)
class Action:
    """One move of the panel: the service call and what the user is told."""

    perform: Callable
    message: str
    sends: bool = False  # may send a draft out: then the item's page changes, not only the panel


ACTIONS = {
    workflow.ASSIGN: Action(_assign, _l("Đã giao việc cho cán bộ.")),
    workflow.REASSIGN: Action(_assign, _l("Đã giao lại việc.")),
    workflow.UNASSIGN: Action(lambda i, u, f: services.unassign(i, u), _l("Đã thu hồi phân công, việc trở về đơn vị.")),
    workflow.SUBMIT: Action(lambda i, u, f: services.submit(i, u, _draft_input(f)), _l("Đã gửi dự thảo."), sends=True),
    workflow.WITHDRAW: Action(lambda i, u, f: services.withdraw(i, u), _l("Đã rút dự thảo để sửa.")),
    workflow.APPROVE: Action(lambda i, u, f: services.approve(i, u), _l("Đã duyệt và gửi đi dưới tên đơn vị."), sends=True),
    workflow.RETURN: Action(lambda i, u, f: services.return_draft(i, u, f.note.data), _l("Đã trả lại dự thảo cho cán bộ.")),
}


def _panel_response(item, status=200, overrides=None, notice=None, notice_kind="success"):
    context = panel(item, current_user, overrides, notice, notice_kind)
    if context is None:  # the unit no longer hands work down (its head was unmarked meanwhile)
        return redirect(_item_url(item), 303)
    if wants_fragment():
        response = make_response(render_template("delegation/_panel.html", dp=context), status)
        response.vary.add("HX-Request")
        return response
    return redirect(_item_url(item), 303)


ACTION_PATH = "<any(" + ",".join(ACTIONS) + "):action>"


@bp.route(f"/delegation/proposals/<int:proposal_id>/{ACTION_PATH}", methods=["POST"])
@policy.role_required(*UNIT_ROLES)
def act_on_proposal(proposal_id, action):
    """Take one delegation move from a proposal's page."""
    return _act(PROPOSAL, proposal_id, action)


@bp.route(f"/delegation/assignments/<int:assignment_id>/{ACTION_PATH}", methods=["POST"])
@policy.role_required(*UNIT_ROLES)
def act_on_assignment(assignment_id, action):
    """Take one delegation move from an assignment's page."""
    return _act(ASSIGNMENT, assignment_id, action)


def _act(kind, item_id, action):
    """Take one delegation move from the item's page; htmx swaps the panel."""
    item = _item_or_404(kind, item_id)
    try:
        services.check_permitted(action, current_user, item)
    except workflow.NotPermitted:
        return render_error(403)
    delegation = services.delegation_of(item)
    form = make_form(action, item, delegation, formdata=True)
    if not form.validate_on_submit():
        if not wants_fragment():
            flash(" ".join(e for errors in form.errors.values() for e in errors), "error")
        return _panel_response(item, 400, {action: form}) if wants_fragment() else redirect(_item_url(item), 303)
    try:
        result = ACTIONS[action].perform(item, current_user._get_current_object(), form)
        db.session.commit()
    except workflow.NotPermitted:
        db.session.rollback()
        return render_error(403)
    except (workflow.InvalidState, StaleDataError):
        db.session.rollback()
        return _panel_response(item, 409, notice=str(CHANGED_MEANWHILE), notice_kind="error")
    except services.DelegationError as error:
        db.session.rollback()
        target = getattr(form, error.field or "", None)
        if target is not None:
            target.errors = [*target.errors, str(error)]
            return _panel_response(item, 400, {action: form})
        return _panel_response(item, 400, {action: form}, str(error), "error")
    message = str(ACTIONS[action].message)
    sent = ACTIONS[action].sends and getattr(result, "state", None) == DelegationDraft.SENT
    if sent and wants_fragment():
        # What left the unit shows on the item's own component: reload the page.
        flash(message, "success")
        response = make_response("", 200)
        response.headers["HX-Redirect"] = _item_url(item)
        return response
    if wants_fragment():
        return _panel_response(item, notice=message)
    flash(message, "success")
    return redirect(_item_url(item), 303)


@bp.route("/my-work")
@policy.role_required(*UNIT_ROLES)
def mine():
    """Việc của tôi: the items given to me, and for a head the drafts waiting and the unit by officer."""
    head = people.is_head(current_user)
    return render_template(
        "delegation/mine.html",
        rows=my_work(current_user),
        groups=by_officer(current_user) if head else [],
        waiting=not_handed_down(current_user) if head else [],
        head=head,
        hands_down=people.hands_down(current_user.unit_id),
    )


@register_panel(UNIT_ROLES, order=1)
def _my_work_panel(user):
    """Shown first on an officer's home (and a head's: what waits for approval)."""
    if not people.hands_down(user.unit_id):
        return None
    if people.is_head(user):
        from app.delegation.panels import awaiting_approval

        return "delegation/_home_head.html", {"rows": awaiting_approval(user)}
    return "delegation/_home_mine.html", {"rows": my_work(user)}
