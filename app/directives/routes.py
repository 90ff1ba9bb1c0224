"""Directive screens: list, page with roll-up, issue and edit, assign, comments, assignments."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from app import clock, deadline_choice, idempotency, locking, policy
from app.attachments import pending, storage
from app.delegation import panels as delegation_panels
from app.delegation import people as delegation_people
from app.directives import (
    choices,
    notices,
    nudging,
    panels,  # noqa: F401  (registers the home-page panels)
    reminders,  # noqa: F401  (registers `flask remind`'s assignment deadlines)
    services,
    status,
    workflow,
)
from app.directives.forms import (
    AssignForm,
    CommentForm,
    CompletionForm,
    DeadlinePreviewForm,
    DirectiveFilterForm,
    DirectiveForm,
    ExtensionDecisionForm,
    ExtensionForm,
    NudgeForm,
    ReportForm,
    ResumeForm,
    ReviewForm,
    RowFilterForm,
    StopForm,
)
from app.directives.models import Directive
from app.extensions import db
from app.forms import IdempotentForm
from app.htmx import is_htmx, render, wants_fragment
from app.listing import cursor_args
from app.models import COMMUNE_KINDS, Meeting
from app.notifications import mark_object_read
from app.saved_lists import services as saved_lists
from app.text import clean
from app.urls import parse_id

bp = Blueprint("directives", __name__)

storage.register_owner("directive", services.can_see_directive)
storage.register_owner("progress_report", services.can_see_report)

VIEW_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)
# Target ids of the swappable components; tests use them too.
DIRECTIVES_TABLE_ID = "directives-table"
ASSIGNMENTS_TABLE_ID = "assignments-table"
ASSIGNMENT_LIST_ID = "assignment-list"
ASSIGNMENT_PANEL_ID = "assignment-panel"
COMMENTS_ID = "directive-comments"
UNIT_PICKER_ID = "unit-picker"
DEADLINE_PREVIEW_ID = "deadline_by-preview"
# Query-string arguments that belong to one page, not to the list's filters.
PAGING_ARGS = ("page", "after", "before")
IDS = {
    "directives_table": DIRECTIVES_TABLE_ID,
    "assignments_table": ASSIGNMENTS_TABLE_ID,
    "assignment_list": ASSIGNMENT_LIST_ID,
    "assignment_panel": ASSIGNMENT_PANEL_ID,
    "comments": COMMENTS_ID,
    "unit_picker": UNIT_PICKER_ID,
}


@bp.record_once
def _register_template_globals(state):
    # Globals, not context: macros imported by other blueprints' pages (home panels) need them.
    state.app.jinja_env.globals.update(
        directive_status_labels=status.LABELS,
        format_rate=status.format_rate,
        total_label=status.TOTAL_LABEL,
    )


@bp.context_processor
def inject_directive_helpers():
    return {
        "ids": IDS,
        "role_labels_assignment": workflow.ROLE_LABELS,
        "event_labels": services.EVENT_LABELS,
        "directive_event_labels": services.DIRECTIVE_EVENT_LABELS,
        "directive_field_labels": services.DIRECTIVE_FIELD_LABELS,
    }


def _status_code(form, ok: int = 200) -> int:
    return 400 if any(f.errors for f in form) else ok


# --- directive list and page ----------------------------------------------------------------


@bp.route("/directives")
@policy.role_required(*VIEW_ROLES)
def index():
    """List the directives the user sees, filtered; htmx gets only the table."""
    form = DirectiveFilterForm(formdata=request.args)
    form.status.choices = choices.status_choices([("", _("Tất cả"))])
    form.field_id.choices = [("", _("Tất cả"))] + choices.field_choices()
    form.meeting_id.choices = [("", _("Tất cả"))] + choices.meeting_choices(_("Tất cả"))[1:]
    form.unit_id.choices = choices.unit_choices() if policy.sees_everything(current_user) else [("", _("Tất cả"))]
    form.issuer.choices = [("", _("Tất cả"))] + [(name, name) for name in services.issuers(current_user)]
    form.validate()
    filters = {f.name: f.data for f in form if not f.errors and f.name not in ("sort",)}
    if not policy.sees_everything(current_user):
        filters.pop("unit_id", None)
    if filters.get("status") not in status.ALL_KEYS:
        filters["status"] = None
    on = clock.today()
    sort = request.args.get("sort", services.DEFAULT_DIRECTIVE_SORT)
    if sort not in services.DIRECTIVE_SORTS:
        sort = services.DEFAULT_DIRECTIVE_SORT
    after, before = cursor_args()
    page = services.directives_page(current_user, filters, on, sort, per_page=current_app.config["PAGE_SIZE"],
                                    after=after, before=before)
    counts = services.counts_by_directive([d.id for d in page.items], on, current_user)
    args = {k: v for k, v in request.args.items() if v and k not in PAGING_ARGS}
    return render(
        "directives/index.html", "directives/_table.html", _status_code(form),
        form=form, page=page, counts=counts, args=args,
    )


def _detail_context(directive: Directive, comment_form=None) -> dict:
    on, soon = clock.today(), services.due_soon_days()
    rows = services.assignment_rows(directive, current_user, on, soon)
    counts = status.count_statuses(r.status for r in rows)
    row_form = RowFilterForm(formdata=request.args)
    row_form.status.choices = choices.status_choices([("", _("Tất cả")), ("awaiting", _("Chờ xác nhận hoàn thành"))])
    row_form.validate()
    comment_form = comment_form or CommentForm()
    comment_form.issue_key()
    shown = services.filter_rows(
        rows, row_form.status.data, row_form.role.data, row_form.unit_q.data if not row_form.unit_q.errors else "",
    )
    return {
        "directive": directive,
        "rows": rows,
        "shown": shown,
        "counts": counts,
        "awaiting": sum(1 for r in rows if r.assignment.state == workflow.AWAITING_CONFIRMATION),
        "not_reported": services.not_reported(rows),
        "row_form": row_form,
        "attachments": services.attachments_of("directive", directive.id),
        "comments": services.directive_events(directive, ("comment",)),
        "history": services.directive_events(directive) if policy.sees_everything(current_user) else [],
        "comment_form": comment_form,
        "sees_all": policy.sees_everything(current_user),
        "can_comment": current_user.role == policy.LEADER,
        "can_manage": current_user.role == policy.COORDINATOR,
        "nudge_form": NudgeForm(formdata=None),
        "nudged_recently": nudging.recently_nudged((r.assignment.id for r in rows), clock.now())
        if current_user.role == policy.COORDINATOR else set(),
        "nudge_gap_hours": nudging.gap_hours(),
        "today": on,
    }


@bp.route("/directives/<int:directive_id>")
@policy.role_required(*VIEW_ROLES)
def detail(directive_id):
    """Show a directive, its roll-up and its assignments; htmx filters get only the table."""
    directive = services.get_directive_or_404(directive_id, current_user)
    if mark_object_read(current_user.id, notices.DIRECTIVE, directive.id):  # its bell entries are now read
        db.session.commit()
    context = _detail_context(directive)
    return render("directives/detail.html", "directives/_assignments.html", _status_code(context["row_form"]), **context)


# --- issue, edit, assign --------------------------------------------------------------------


def _prepare_directive_form(form: DirectiveForm, directive: Directive | None = None) -> None:
    form.meeting_id.choices = choices.meeting_choices(_("— Không gắn với hội nghị —"))
    form.field_id.choices = [(0, _("— Chọn lĩnh vực —"))] + choices.field_choices(directive.field_id if directive else None)


@bp.route("/directives/new", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def create():
    """Issue a directive, optionally from a meeting; then go on to assign it."""
    form = DirectiveForm()
    _prepare_directive_form(form)
    if request.method == "GET":
        form.issue_key()
        form.meeting_id.data = 0
        form.field_id.data = 0
        meeting_id = parse_id(request.args.get("meeting_id"))
        if meeting_id and (meeting := db.session.get(Meeting, meeting_id)):
            form.meeting_id.data = meeting.id
            form.issued_by_name.data = meeting.chair_name
            form.issued_by_title.data = meeting.chair_title
    key = form.clean_idempotency_key()
    if request.method == "POST" and (done := idempotency.replay(key, current_user)):
        return done  # the same form sent again (Back, then "Ban hành"): no second directive
    held = pending.from_form(current_user) if request.method == "POST" else []
    if form.validate_on_submit() and (files := storage.check_form_files(form.files)) is not None:
        directive = services.create_directive(form.data_for_service(), current_user, files)
        db.session.flush()
        pending.adopt(held, "directive", directive.id, current_user)
        target = url_for("directives.assign", directive_id=directive.id)
        idempotency.remember(key, current_user, target)
        if done := idempotency.commit_or_replay(key, current_user):
            return done
        flash(_("Đã ban hành chỉ đạo. Hãy chọn đơn vị thực hiện."), "success")
        return redirect(target, 303)
    if request.method == "POST":
        held = pending.refused_files(form.files, held, current_user)
    return render_template("directives/form.html", form=form, directive=None, held=held), _status_code(form)


@bp.route("/directives/deadline-preview")
@policy.role_required(policy.COORDINATOR)
def deadline_preview():
    """Show the deadline the directive form's choice gives, before it is saved."""
    form = DeadlinePreviewForm(formdata=request.args)
    text, error = deadline_choice.preview(form, form.deadline, clock.today())
    return render_template("_deadline_preview.html", preview_id=DEADLINE_PREVIEW_ID, text=text, error=error,
                           preview_url=url_for("directives.deadline_preview"))


@bp.route("/directives/<int:directive_id>/edit", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def edit(directive_id):
    """Edit a directive; its assignments and their history stay."""
    directive = services.get_directive_or_404(directive_id, current_user)
    if request.method == "GET":
        form = DirectiveForm(obj=directive)
        form.meeting_id.data = directive.meeting_id or 0
        form.field_id.data = directive.field_id or 0
        form.timing.data = "ongoing" if directive.is_ongoing else "dated"
        form.reporting_period.data = directive.reporting_period or ""
        form.version.data = str(directive.version)
    else:
        form = DirectiveForm()
    _prepare_directive_form(form, directive)
    if request.method == "GET":
        return render_template("directives/form.html", form=form, directive=directive)
    held = pending.from_form(current_user)
    if form.validate_on_submit():
        if locking.is_stale(directive, form.version.data):
            _show_conflict(form, directive)
            held = pending.refused_files(form.files, held, current_user)
            return render_template("directives/form.html", form=form, directive=directive, held=held), 409
        files = storage.check_form_files(form.files)
        if files is not None:
            services.update_directive(directive, form.data_for_service(), current_user, files)
            pending.adopt(held, "directive", directive.id, current_user)
            if not locking.commit():
                directive = services.get_directive_or_404(directive_id, current_user)
                _show_conflict(form, directive)
                return render_template("directives/form.html", form=form, directive=directive), 409
            flash(_("Đã lưu chỉ đạo."), "success")
            return redirect(url_for("directives.detail", directive_id=directive.id), 303)
    held = pending.refused_files(form.files, held, current_user)
    return render_template("directives/form.html", form=form, directive=directive, held=held), _status_code(form)


def _show_conflict(form, directive: Directive) -> None:
    """A refused edit: the other person's values on top, the form moved onto their version."""
    locking.conflict(directive, form, ["issued_by_name", "issued_by_title", "title", "content", "field_id", "deadline"],
                     {"field_id": lambda d: d.field.name if d.field else None})
    form.content.errors.append(str(locking.CONFLICT_MESSAGE))


def _picker_context(directive: Directive, values) -> dict:
    """The unit picker's state: search, level, and which units are ticked (kept across searches)."""
    q = clean(values.get("unit_q") or "").strip()[:100]  # a POST sends it in the body, which no form field reads
    level = values.get("level") if values.get("level") in ("commune", "province") else ""
    selected = {number for v in values.getlist("unit_ids") if (number := parse_id(v))}
    units = services.picker_units(q, level)
    assigned = services.assigned_unit_ids(directive)
    shown_ids = {u.id for u in units}
    if values.get("select") == "all":
        selected |= shown_ids - assigned
    elif values.get("select") == "none":
        selected -= shown_ids
    return {
        "units": units,
        "unit_q": q,
        "level": level,
        "selected": selected,
        "hidden_selected": sorted(selected - shown_ids),
        "assigned": assigned,
        "commune_kinds": COMMUNE_KINDS,
    }


@bp.route("/directives/<int:directive_id>/assign", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def assign(directive_id):
    """Assign a directive to all communes, all provincial bodies or picked units, as lead or support."""
    directive = services.get_directive_or_404(directive_id, current_user)
    if request.method == "GET" and request.args.get("scope"):
        form = AssignForm(formdata=request.args, meta={"csrf": False})
    else:
        form = AssignForm()
    picker_error = None
    if form.validate_on_submit():
        try:
            unit_ids = services.units_for_scope(form.scope.data, request.form.getlist("unit_ids"))
            result = services.assign_to_units(directive, unit_ids, form.role.data, current_user)
        except services.ServiceError as error:
            if error.field == "unit_ids":
                picker_error = str(error)
            else:
                getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            if result.created:
                flash(_("Đã giao nhiệm vụ cho %(n)s đơn vị.", n=result.created), "success")
            if result.skipped:
                flash(_("%(n)s đơn vị đã được giao trước đó, không giao lại.", n=result.skipped), "info")
            return redirect(url_for("directives.detail", directive_id=directive.id), 303)
    picker = _picker_context(directive, request.values)
    code = 400 if picker_error or any(f.errors for f in form) else 200
    if wants_fragment():
        return render("directives/assign.html", "directives/_unit_picker.html", code,
                      directive=directive, form=form, picker_error=picker_error, **picker)
    return render_template("directives/assign.html", directive=directive, form=form,
                           picker_error=picker_error, **picker), code


@bp.route("/directives/<int:directive_id>/nudge", methods=["POST"])
@policy.role_required(policy.COORDINATOR)
def nudge(directive_id):
    """Remind the units that have not reported (all, or the ones ticked), with an optional message."""
    directive = services.get_directive_or_404(directive_id, current_user)
    form = NudgeForm()
    if form.validate_on_submit():
        rows = services.assignment_rows(directive, current_user, clock.today(), services.due_soon_days())
        picked = form.assignment_ids.data if request.form.get("to") == "picked" else None
        try:
            result = nudging.nudge(directive, rows, current_user, picked, form.message.data or "")
        except services.ServiceError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            if result.reminded:
                flash(_("Đã đôn đốc %(n)s đơn vị (thông báo và thư điện tử).", n=len(result.reminded)), "success")
            if result.skipped:
                flash(_("%(n)s đơn vị vừa được đôn đốc trong %(h)s giờ qua, không nhắc lại: %(names)s.",
                        n=len(result.skipped), h=nudging.gap_hours(),
                        names=", ".join(a.unit.name for a in result.skipped)), "info")
            return redirect(url_for("directives.detail", directive_id=directive.id) + "#not-reported", 303)
    context = _detail_context(directive)
    context["nudge_form"] = form
    context["nudge_open"] = True
    return render_template("directives/detail.html", **context), 400


@bp.route("/directives/<int:directive_id>/comments", methods=["POST"])
@policy.role_required(policy.LEADER)
def comment(directive_id):
    """Add a leader's comment; htmx swaps the comments block in place."""
    directive = services.get_directive_or_404(directive_id, current_user)
    form = CommentForm()
    key = form.clean_idempotency_key()
    target = url_for("directives.detail", directive_id=directive.id) + "#" + COMMENTS_ID
    if idempotency.done_url(key, current_user):  # sent twice: the comment is there once
        if not is_htmx():
            return redirect(target, 303)
        form = CommentForm(formdata=None)
        form.issue_key()
        return render("directives/detail.html", "directives/_comments.html", 200,
                      **_detail_context(directive, comment_form=form))
    if form.validate_on_submit():
        services.add_comment(directive, current_user, form.text.data)
        idempotency.remember(key, current_user, target)
        if (done := idempotency.commit_or_replay(key, current_user)) and not is_htmx():
            return done
        if not is_htmx():
            flash(_("Đã ghi ý kiến chỉ đạo."), "success")
            return redirect(target, 303)
        form = CommentForm(formdata=None)
        form.issue_key()
    context = _detail_context(directive, comment_form=form)
    return render("directives/detail.html", "directives/_comments.html", _status_code(form), **context)


# --- assignments ----------------------------------------------------------------------------


@bp.route("/assignments")
@policy.role_required(*VIEW_ROLES)
def assignments():
    """A unit's assignments (or, for the coordinator, everyone's), due soonest first."""
    back = saved_lists.remember(current_user, "assignments", request.args)
    db.session.commit()
    if back and not wants_fragment():  # from the navigation: the filters used last
        return redirect(url_for("directives.assignments") + "?" + back, 303)
    form, filters, on = choices.assignment_list_filters()
    soon = services.due_soon_days()
    after, before = cursor_args()
    page = services.assignments_page(current_user, filters, on, per_page=current_app.config["PAGE_SIZE"],
                                     after=after, before=before)
    items = [(a, a.directive, a.unit, a.status_on(on, soon)) for a in page.items]
    # Kept for the pager and the Excel link; url_for's own arguments (_external, ...) are not ours.
    args = {k: v for k, v in request.args.items() if v and k not in PAGING_ARGS and not k.startswith("_")}
    return render(
        "directives/assignments.html", "directives/_assignment_list.html", _status_code(form),
        form=form, page=page, items=items, args=args, sees_all=policy.sees_everything(current_user),
        as_of=on if on != clock.today() else None,
    )


# URL action -> (form class, who may use it at all)
ACTION_FORMS = {
    "report": (ReportForm, workflow.UNIT),
    "complete": (CompletionForm, workflow.UNIT),
    "extend": (ExtensionForm, workflow.UNIT),
    "review": (ReviewForm, workflow.COORDINATOR),
    "decide": (ExtensionDecisionForm, workflow.COORDINATOR),
    "stop": (StopForm, workflow.COORDINATOR),
    "resume": (ResumeForm, workflow.COORDINATOR),
}
# Which URL action's form offers each workflow action.
FORM_FOR_ACTION = {
    workflow.REPORT: "report",
    workflow.REQUEST_COMPLETION: "complete",
    workflow.REQUEST_EXTENSION: "extend",
    workflow.CONFIRM: "review",
    workflow.SEND_BACK: "review",
    workflow.APPROVE_EXTENSION: "decide",
    workflow.REFUSE_EXTENSION: "decide",
    workflow.SUSPEND: "stop",
    workflow.CANCEL: "stop",
    workflow.RESUME: "resume",
}


# What an officer of a unit whose head approves writes as a draft (app/delegation), not here.
DRAFTED_ACTIONS = (workflow.REPORT, workflow.REQUEST_COMPLETION)


def _panel_context(assignment, forms: dict | None = None, notice: str | None = None, notice_kind: str = "success",
                   held=()) -> dict:
    on, soon = clock.today(), services.due_soon_days()
    actions = services.allowed_actions(current_user, assignment)
    if delegation_people.must_draft(current_user, assignment.unit_id):
        actions = [a for a in actions if a not in DRAFTED_ACTIONS]  # the delegation panel's draft instead
    offered = {FORM_FOR_ACTION[a] for a in actions}
    forms = dict(forms or {})
    for name in offered:
        forms.setdefault(name, ACTION_FORMS[name][0](prefix=name, formdata=None))
    if "report" in forms:
        forms["report"].issue_key()  # a progress report is made once however often it is sent
    events = services.timeline(assignment)
    report_ids = [e.report_id for e in events if e.report_id]
    return {
        "assignment": assignment,
        "directive": assignment.directive,
        "standing": assignment.status_on(on, soon),
        "actions": actions,
        "offered": offered,
        "forms": forms,
        "events": list(reversed(events)),
        "report_files": services.report_attachments(report_ids),
        "pending": services.pending_extension(assignment),
        "notice": notice,
        "notice_kind": notice_kind,
        "today": on,
        "held": list(held),
        "delegation": delegation_panels.panel(delegation_panels.assignment_item(assignment, current_user), current_user),
    }


@bp.route("/assignments/<int:assignment_id>")
@policy.role_required(*VIEW_ROLES)
def assignment(assignment_id):
    """One unit's assignment: where it stands, its timeline, and what the user may do now."""
    item = services.get_assignment_or_404(assignment_id, current_user)
    if mark_object_read(current_user.id, notices.ASSIGNMENT, item.id):  # its bell entries are now read
        db.session.commit()
    return render_template("directives/assignment.html", **_panel_context(item))


NOTICES = {
    "report": _l("Đã gửi báo cáo tiến độ."),
    "complete": _l("Đã gửi đề nghị xác nhận hoàn thành."),
    "extend": _l("Đã gửi đề nghị gia hạn."),
    "confirm": _l("Đã xác nhận hoàn thành."),
    "send_back": _l("Đã trả lại nhiệm vụ để tiếp tục thực hiện."),
    "approve": _l("Đã đồng ý gia hạn."),
    "refuse": _l("Đã trả lời không đồng ý gia hạn."),
    "suspend": _l("Đã tạm hoãn nhiệm vụ."),
    "cancel": _l("Đã hủy nhiệm vụ."),
    "resume": _l("Nhiệm vụ được tiếp tục thực hiện."),
}


def _reason(form, action: str) -> str:
    return ((getattr(form, workflow.REASON_FIELDS[action]).data) or "").strip()


# What each decision of the two-way forms calls (workflow.DECISIONS says which exist).
DECIDED = {
    workflow.CONFIRM: lambda item, user, form: services.confirm_completion(item, user, _reason(form, "review") or None),
    workflow.SEND_BACK: lambda item, user, form: services.send_back(item, user, _reason(form, "review")),
    workflow.APPROVE_EXTENSION: lambda item, user, form: services.decide_extension(item, user, True, form.note.data),
    workflow.REFUSE_EXTENSION: lambda item, user, form: services.decide_extension(item, user, False, form.note.data),
    workflow.SUSPEND: lambda item, user, form: services.suspend(item, user, _reason(form, "stop")),
    workflow.CANCEL: lambda item, user, form: services.cancel(item, user, _reason(form, "stop")),
}


def _carry_out(action: str, item, form, held=()) -> str:
    """Run one URL action; return the notice key. Raises WorkflowError or ServiceError.
    held: the user's pending files a refused report form kept (app/attachments/pending.py)."""
    user = current_user._get_current_object()
    if action == "report":
        files = storage.check_uploads(form.files.data or [])
        report = services.add_report(item, user, form.text.data, form.percent.data, files)
        pending.adopt(held, "progress_report", report.id, user)
        return "report"
    if action == "complete":
        services.request_completion(item, user, clock.today(), form.note.data)
        return "complete"
    if action == "extend":
        services.request_extension(item, user, form.requested_deadline.data, form.reason.data, clock.today())
        return "extend"
    if action in workflow.DECISIONS:
        decision = request.form.get("decision", "")
        try:
            step = workflow.decision_action(action, decision, getattr(form, workflow.REASON_FIELDS[action]).data)
        except workflow.DecisionError as error:
            raise services.ServiceError(error.message, field=error.field) from None
        DECIDED[step](item, user, form)
        return decision
    services.resume(item, user)
    return "resume"


@bp.route(f"/assignments/<int:assignment_id>/<any({','.join(ACTION_FORMS)}):action>", methods=["POST"])
@policy.role_required(*VIEW_ROLES)
def act(assignment_id, action):
    """Take one action on an assignment; htmx swaps the panel in place, browsers get a 303."""
    item = services.get_assignment_or_404(assignment_id, current_user)
    form_class, actor = ACTION_FORMS[action]
    if services.actor_of(current_user, item) != actor:
        abort(403)
    form = form_class(prefix=action)
    code = 400
    notice, notice_kind = None, "error"
    key = form.clean_idempotency_key() if isinstance(form, IdempotentForm) else None
    target = url_for("directives.assignment", assignment_id=item.id)
    if idempotency.done_url(key, current_user):  # the same report sent again: shown once
        if not is_htmx():
            return redirect(target, 303)
        return render_template("directives/_assignment.html", **_panel_context(item))
    held = pending.from_form(current_user) if action == "report" else []
    if form.validate_on_submit():
        try:
            done = _carry_out(action, item, form, held)
        except workflow.WorkflowError as error:
            if error.permission:
                abort(403)
            db.session.rollback()
            notice, code = str(error), 409
        except services.ServiceError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        except storage.UploadError as error:
            db.session.rollback()
            form.files.errors.append(str(error))
        else:
            idempotency.remember(key, current_user, target)
            try:
                committed = locking.commit()
            except IntegrityError:  # a twin request saved the same report first
                db.session.rollback()
                if not is_htmx():
                    return redirect(target, 303)
                item = services.get_assignment_or_404(assignment_id, current_user)
                return render_template("directives/_assignment.html", **_panel_context(item))
            if not committed:
                notice, code = str(locking.STALE_MESSAGE), 409
            else:
                if not is_htmx():
                    # The session is JSON: flash the text, not the lazy string.
                    flash(str(NOTICES[done]), "success")
                    return redirect(url_for("directives.assignment", assignment_id=item.id), 303)
                return render_template("directives/_assignment.html", **_panel_context(item, notice=str(NOTICES[done])))
    if action == "report":  # the files chosen stay attached to the form shown again
        held = pending.refused_files(form.files, held, current_user)
    item = services.get_assignment_or_404(assignment_id, current_user)
    context = _panel_context(item, forms={action: form}, notice=notice, notice_kind=notice_kind, held=held)
    return render("directives/assignment.html", "directives/_assignment.html", code, **context)
