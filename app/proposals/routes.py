"""Proposal screens: the list, the commune's form, the proposal page and its actions, the inbox."""

import secrets
from collections.abc import Callable
from dataclasses import dataclass

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError
from wtforms.fields.choices import SelectChoice

from app import clock, deadline_choice, idempotency, locking, policy
from app import settings as app_settings
from app.attachments import pending, storage
from app.delegation import panels as delegation_panels
from app.delegation import people as delegation_people
from app.errors import render_error
from app.extensions import db
from app.forms import IdempotentForm
from app.htmx import render, wants_fragment
from app.listing import cursor_args, parse_sort
from app.locking import STALE_MESSAGE, is_stale
from app.meetings import services as meetings
from app.models import Attachment, Field, Meeting, Unit
from app.notifications import mark_object_read
from app.proposals import forms, list_args, notices, nudging, services, timeliness, workflow
from app.proposals.inbox import inbox_context, unit_choices
from app.proposals.models import Proposal
from app.saved_lists import services as saved_lists

bp = Blueprint("proposals", __name__)

BUSINESS_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR, policy.LEADER)
# Element ids the templates and the tests share.
TABLE_ID = "proposals-table"
DETAIL_ID = "proposal-{}"
DEADLINE_PREVIEW_ID = "assign-deadline_by-preview"
DEFAULT_SORT = list_args.DEFAULT_SORT



@bp.record_once
def _register(state):
    """Let /files/<id> serve proposal files to who may see the proposal; add home panels and reminders."""
    from app.proposals import panels, reminders  # noqa: F401  (register the panels and `flask remind`'s source)

    storage.register_owner(services.OWNER_TYPE, services.can_see_proposal_id)
    storage.register_owner(services.ANSWER_OWNER_TYPE, services.can_see_proposal_id)


@bp.url_value_preprocessor
def _allow_long_text(endpoint, values):
    # Runs before CSRFProtect reads the form. Werkzeug refuses form fields over 500 KB
    # with a bare 413; a pasted 10 MB text should instead reach the form validator, which
    # says what is wrong next to the field. MAX_CONTENT_LENGTH still caps the request.
    request.max_form_memory_size = current_app.config["MAX_CONTENT_LENGTH"]


# --- helpers --------------------------------------------------------------------------------


def _field_choices(blank=None):
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(f.id, f.name) for f in services.active_fields()]


def _meeting_choices():
    return [SelectChoice("", _("— Không gắn với hội nghị —"))] + [
        SelectChoice(m.id, f"{m.held_on.strftime('%d/%m/%Y')} — {m.title}") for m in meetings.recent_meetings()
    ]


def _has_errors(form) -> bool:
    return any(f.errors for f in form)


def _flag_stale(form) -> None:
    """Put the stale-save message next to the form's first visible field."""
    for f in form:
        if f.type not in ("HiddenField", "CSRFTokenField"):
            f.errors = [*(f.errors or []), str(STALE_MESSAGE)]
            return
    form.form_errors.append(str(STALE_MESSAGE))


def _show_conflict(form, proposal: Proposal) -> None:
    """A refused edit: the other person's values on top, the form moved onto their version."""
    locking.conflict(proposal, form, ["title", "content", "field_id", "requested_amount", "location", "meeting_id"],
                     {"field_id": lambda p: p.field.name if p.field else None,
                      "meeting_id": lambda p: p.meeting.title if p.meeting else None})
    form.title.errors = [*(form.title.errors or []), str(locking.CONFLICT_MESSAGE)]


def _workflow_action(action: str, proposal: Proposal) -> str:
    """The workflow action a posted form stands for, given the proposal's state and the user."""
    if action == "assign":
        return "reassign" if proposal.state == workflow.ASSIGNED else "assign"
    if action == "note":
        return workflow.note_action(services.actor_of(current_user), proposal.facts) or "comment"
    return action


def _invalid_state_message(proposal: Proposal) -> str:
    return _("Kiến nghị đang ở trạng thái “%(state)s”; thao tác này không còn thực hiện được. "
             "Trang đã được cập nhật.", state=proposal.state_label)


# --- the list -------------------------------------------------------------------------------


def _int_arg(name):
    return list_args.int_arg(request.args, name)


def _filters_from_args() -> services.ListFilters:
    return list_args.filters_from_args(request.args, current_user)


@bp.route("/")
@policy.role_required(*BUSINESS_ROLES)
def index():
    """List the proposals the user may see, filtered, searched, sorted and paged."""
    back = saved_lists.remember(current_user, "proposals", request.args)
    db.session.commit()
    if back and not wants_fragment():  # from the navigation: the filters used last
        return redirect(url_for(".index") + "?" + back, 303)
    filters = _filters_from_args()
    sort, _order = parse_sort(services.sort_columns(), DEFAULT_SORT)
    after, before = cursor_args()
    page = services.list_page(current_user, filters, sort, per_page=current_app.config["PAGE_SIZE"],
                              after=after, before=before)
    response = render(
        "proposals/index.html",
        "proposals/_table.html",
        page=page,
        filters=filters,
        sort=sort,
        table_id=TABLE_ID,
        badge_of=services.timeliness_checker(),
        states=workflow.STATE_LABELS,
        timeliness_labels=timeliness.FILTER_LABELS,
        feedback_labels=workflow.FEEDBACK_LABELS,
        fields=services.active_fields(),
        communes=services.communes() if current_user.role != policy.COMMUNE else [],
        departments=services.provincial_units(),
        meetings=meetings.recent_meetings(),
    )
    if wants_fragment():
        # The form sends every field, empty ones too; put the short, canonical URL in the
        # address bar instead, the one the links on the page use.
        args = filters.as_args()
        if sort != DEFAULT_SORT:
            args["sort"] = sort
        if not page.at_start:
            args.update({"after": after} if after else {"before": before})
        response.headers["HX-Push-Url"] = url_for(".index", **args)
    return response


# --- the commune's form ---------------------------------------------------------------------


def _prepare_form(form: forms.ProposalForm) -> None:
    form.field_id.choices = _field_choices(blank=_("— Chọn lĩnh vực —"))
    form.meeting_id.choices = _meeting_choices()


def _input_from(form: forms.ProposalForm) -> services.ProposalInput:
    return services.ProposalInput(
        title=form.title.data,
        content=form.content.data,
        field=db.session.get(Field, form.field_id.data),
        requested_amount=form.requested_amount.data,
        location=form.location.data or "",
        meeting=db.session.get(Meeting, form.meeting_id.data) if form.meeting_id.data else None,
    )


def _checked_uploads(form: forms.ProposalForm):
    """The uploaded files, checked; None (with the message on the field) when one is refused."""
    try:
        return storage.check_uploads(request.files.getlist(form.attachments.name))
    except storage.UploadError as error:
        form.attachments.errors = [*form.attachments.errors, str(error)]
        return None


def _form_page(form, proposal, status=200, held=()):
    return render_template("proposals/form.html", form=form, proposal=proposal, held=held,
                           attachments=services.attachments(proposal) if proposal else []), status


def _refused_page(form, proposal, status, held):
    """The form again after an error, with the files chosen this time kept as pending files
    (app/attachments/pending.py) and listed as attached, so nobody has to choose them again."""
    checked = []
    if not form.attachments.errors:  # a refused file already has its message; the rest were never read
        try:
            checked = storage.check_uploads(request.files.getlist(form.attachments.name))
        except storage.UploadError as error:
            form.attachments.errors = [*form.attachments.errors, str(error)]
    kept = list(held) + (pending.keep(checked, current_user) if checked else [])
    if checked:
        db.session.commit()
    return _form_page(form, proposal, status, kept)


@bp.route("/new", methods=["GET", "POST"])
@policy.role_required(policy.COMMUNE)
def new():
    """Write a proposal: save it as a draft or send it to the province at once."""
    form = forms.ProposalForm()
    _prepare_form(form)
    if request.method == "GET":
        form.idempotency_key.data = secrets.token_urlsafe(24)
        form.meeting_id.data = _int_arg("meeting")
        return _form_page(form, None)
    held = pending.held(request.form.getlist(pending.FIELD), current_user)
    if form.validate_on_submit():
        key = form.clean_idempotency_key()
        existing = services.find_by_idempotency_key(key, current_user)
        if existing is not None:  # the same form sent twice (double click, resend)
            return redirect(url_for(".detail", proposal_id=existing.id), 303)
        checked = _checked_uploads(form)
        if checked is not None:
            try:
                proposal = services.create(current_user, _input_from(form), idempotency_key=key)
            except IntegrityError:
                # The twin request won the race on the unique key: show what it created.
                db.session.rollback()
                existing = services.find_by_idempotency_key(key, current_user)
                if existing is None:
                    raise
                return redirect(url_for(".detail", proposal_id=existing.id), 303)
            services.add_attachments(proposal, current_user, checked)
            pending.adopt(held, services.OWNER_TYPE, proposal.id, current_user)
            submitting = request.form.get("intent") == "submit"
            if submitting:
                services.submit(proposal, current_user)
            db.session.commit()
            flash(_("Đã gửi kiến nghị lên tỉnh.") if submitting else _("Đã lưu nháp kiến nghị."), "success")
            return redirect(url_for(".detail", proposal_id=proposal.id), 303)
    return _refused_page(form, None, 400 if _has_errors(form) else 200, held)


@bp.route("/<int:proposal_id>/edit", methods=["GET", "POST"])
@login_required
def edit(proposal_id):
    """Change a draft, or a proposal the province returned, and (re)submit it."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    try:
        workflow.check("edit", services.actor_of(current_user), proposal.facts)
    except workflow.NotPermitted:
        return render_error(403)
    except workflow.InvalidState:
        return render_error(409, _invalid_state_message(proposal))
    form = forms.ProposalForm(obj=proposal) if request.method == "GET" else forms.ProposalForm()
    _prepare_form(form)
    if request.method == "GET":
        form.version.data = str(proposal.version)
        form.idempotency_key.data = ""  # only new proposals need one
        return _form_page(form, proposal)
    held = pending.held(request.form.getlist(pending.FIELD), current_user)
    if form.validate_on_submit():
        if is_stale(proposal, form.version.data):
            _show_conflict(form, proposal)
            return _refused_page(form, proposal, 409, held)
        checked = _checked_uploads(form)
        if checked is not None:
            try:
                services.update(proposal, current_user, _input_from(form))
                services.add_attachments(proposal, current_user, checked)
                pending.adopt(held, services.OWNER_TYPE, proposal.id, current_user)
                submitting = request.form.get("intent") == "submit"
                if submitting:
                    services.submit(proposal, current_user)
                db.session.commit()
            except StaleDataError:
                db.session.rollback()
                form.version.data = ""
                proposal = services.get_proposal_or_404(proposal_id, current_user)
                _show_conflict(form, proposal)
                return _form_page(form, proposal, 409)
            flash(_("Đã gửi kiến nghị lên tỉnh.") if submitting else _("Đã lưu kiến nghị."), "success")
            return redirect(url_for(".detail", proposal_id=proposal.id), 303)
    return _refused_page(form, proposal, 400 if _has_errors(form) else 200, held)


@bp.route("/<int:proposal_id>/delete", methods=["POST"])
@login_required
def delete(proposal_id):
    """Delete a draft (anything once submitted stays on record)."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    form = forms.DeleteForm(prefix="delete")
    try:
        workflow.check("delete", services.actor_of(current_user), proposal.facts)
    except workflow.NotPermitted:
        return render_error(403)
    except workflow.InvalidState:
        return render_error(409, _invalid_state_message(proposal))
    if not form.validate_on_submit() or is_stale(proposal, form.version.data):
        return render_error(409, str(STALE_MESSAGE))
    title = proposal.title
    services.delete_draft(proposal, current_user)
    db.session.commit()
    flash(_("Đã xóa bản nháp “%(title)s”.", title=title), "success")
    return redirect(url_for(".index"), 303)


@bp.route("/<int:proposal_id>/files/<int:attachment_id>/remove", methods=["POST"])
@login_required
def remove_file(proposal_id, attachment_id):
    """Remove a file from a draft, then go back to the form."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    attachment = db.session.get(Attachment, attachment_id)
    if attachment is None or (attachment.owner_type, attachment.owner_id) != (services.OWNER_TYPE, proposal.id):
        return render_error(404)
    try:
        services.remove_attachment(proposal, current_user, attachment)
    except workflow.NotPermitted:
        return render_error(403)
    except workflow.InvalidState:
        return render_error(409, _invalid_state_message(proposal))
    name = attachment.original_name
    db.session.commit()
    flash(_("Đã xóa tệp %(name)s.", name=name), "success")
    return redirect(url_for(".edit", proposal_id=proposal.id), 303)


# --- the proposal page and its actions --------------------------------------------------------


def _action_form(key: str, proposal: Proposal, from_request: bool = False):
    """The form of one action: bound to the posted data, or fresh and filled from the proposal."""
    form_class = forms.ACTION_FORMS[key]
    form = form_class(prefix=key) if from_request else form_class(formdata=None, prefix=key)
    fresh = not from_request
    if hasattr(form, "field_id"):
        form.field_id.choices = _field_choices()
        if fresh:
            form.field_id.data = proposal.field_id
    if hasattr(form, "lead_unit_id"):
        units = services.provincial_units()
        form.lead_unit_id.choices = unit_choices(units, blank=_("— Chọn đơn vị chủ trì —"))
        form.support_unit_ids.choices = unit_choices(units)
        if fresh:
            field = proposal.field
            form.lead_unit_id.data = proposal.lead_unit_id or field.default_lead_unit_id
            form.support_unit_ids.data = [u.id for u in proposal.support_units]
            form.answer_deadline.data = proposal.answer_deadline or services.default_deadline(field)
            form.fill_period(services.default_period(field))
    if fresh:
        form.version.data = str(proposal.version)
        if isinstance(form, IdempotentForm):
            form.issue_key()
    return form


# What an officer of a unit whose head approves writes as a draft (app/delegation), not here.
DRAFTED_ACTIONS = ("answer", "opinion")


def _detail_context(proposal: Proposal, overrides: dict | None = None, notice=None, notice_kind="success"):
    actor = services.actor_of(current_user)
    allowed = workflow.allowed_actions(actor, proposal.facts)
    if delegation_people.must_draft(current_user, current_user.unit_id):
        allowed = [a for a in allowed if a not in DRAFTED_ACTIONS]  # the delegation panel's draft instead
    action_forms = {}
    for action in allowed:
        key = FORM_OF_ACTION.get(action)  # "edit" is a page of its own, not a form here
        if key is not None and key not in action_forms:
            action_forms[key] = _action_form(key, proposal)
    # A refused form stays on the page with what was typed, even if its action is gone.
    action_forms.update(overrides or {})
    return {
        "proposal": proposal,
        "allowed": allowed,
        "action_forms": action_forms,
        "note_action": _workflow_action("note", proposal),
        "attachments": services.attachments(proposal),
        "answer_documents": services.attachments(proposal, services.ANSWER_OWNER_TYPE),
        "events": services.timeline(proposal, current_user),
        "opinions": services.opinions(proposal) if current_user.role != policy.COMMUNE else [],
        "badge": services.timeliness_of(proposal),
        "notice": notice,
        "notice_kind": notice_kind,
        "detail_id": DETAIL_ID.format(proposal.id),
        "state_labels": workflow.STATE_LABELS,
        "outcome_labels": workflow.OUTCOME_LABELS,
        "feedback_labels": workflow.FEEDBACK_LABELS,
        "nudge_form": (overrides or {}).get("nudge") or forms.NudgeForm(prefix="nudge", formdata=None)
        if nudging.can_nudge(proposal, current_user, clock.today()) else None,
        "last_nudge": nudging.last_nudge(proposal) if current_user.role == policy.COORDINATOR else None,
        "action_labels": workflow.ACTION_LABELS,
        "delegation": delegation_panels.panel(delegation_panels.proposal_item(proposal, current_user), current_user),
    }


def _detail_response(proposal, overrides=None, status=200, notice=None, notice_kind="success", held=()):
    """held: the answer form's files kept from a refused answer (app/attachments/pending.py)."""
    return render("proposals/detail.html", "proposals/_detail.html", status, held=list(held),
                  **_detail_context(proposal, overrides, notice, notice_kind))


def _kept_answer_files(action, form, held):
    """A refused answer keeps the signed document chosen, so it is not chosen again."""
    return pending.refused_files(form.document, held, current_user) if action == "answer" else []


@bp.route("/<int:proposal_id>")
@login_required
def detail(proposal_id):
    """Show a proposal: content, files, assignment, answer, feedback, timeline and actions."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    if mark_object_read(current_user.id, notices.OBJECT_TYPE, proposal.id):  # its bell entries are now read
        db.session.commit()
    return _detail_response(proposal)


def _unit(unit_id):
    return db.session.get(Unit, unit_id) if unit_id else None


def _field(form):
    return db.session.get(Field, form.field_id.data)


def _assign(proposal, user, form):
    services.assign(
        proposal, user, _unit(form.lead_unit_id.data), services.units_by_ids(form.support_unit_ids.data),
        deadline=None if form.counts_days() else form.answer_deadline.data, period=form.period(),
        field=_field(form), note=form.note.data or "",
    )


def _note(action):
    return lambda proposal, user, form: services.add_note(proposal, user, form.text.data, action=action)


@dataclass(frozen=True)
class Action:
    """One workflow action of the proposal page: the form that carries it (a key of
    forms.ACTION_FORMS), the service call it makes, and what the user is told after."""

    form: str
    perform: Callable
    message: str


ACTIONS = {
    "submit": Action("submit", lambda p, u, f: services.submit(p, u), _l("Đã gửi kiến nghị lên tỉnh.")),
    "withdraw": Action("withdraw", lambda p, u, f: services.withdraw(p, u, f.note.data or ""),
                       _l("Đã rút kiến nghị.")),
    "receive": Action("receive", lambda p, u, f: services.receive(p, u), _l("Đã tiếp nhận kiến nghị.")),
    "return": Action("return", lambda p, u, f: services.return_to_commune(p, u, f.note.data),
                     _l("Đã trả lại kiến nghị để xã, phường bổ sung.")),
    "classify": Action("classify", lambda p, u, f: services.classify(p, u, _field(f)), _l("Đã cập nhật lĩnh vực.")),
    "assign": Action("assign", _assign, _l("Đã chuyển kiến nghị cho đơn vị xử lý.")),
    "reassign": Action("assign", _assign, _l("Đã điều chỉnh phân công.")),
    "answer": Action("answer", lambda p, u, f: services.answer(p, u, f.outcome.data, f.text.data,
                                                               planned_on=f.planned_on.data),
                     _l("Đã gửi câu trả lời.")),
    "close": Action("close", lambda p, u, f: services.close(p, u, f.note.data or ""), _l("Đã hoàn thành kiến nghị.")),
    "reopen": Action("reopen", lambda p, u, f: services.reopen(p, u, f.note.data, deadline=f.answer_deadline.data),
                     _l("Đã mở lại kiến nghị.")),
    "feedback": Action("feedback", lambda p, u, f: services.give_feedback(p, u, f.feedback.data, f.text.data or ""),
                       _l("Đã ghi nhận ý kiến phản hồi.")),
    "comment": Action("note", _note("comment"), _l("Đã thêm ý kiến trao đổi.")),
    "opinion": Action("note", _note("opinion"), _l("Đã gửi ý kiến phối hợp.")),
    "leader_comment": Action("note", _note("leader_comment"), _l("Đã ghi ý kiến chỉ đạo.")),
}
# Which form on the proposal page serves which workflow action ("edit" is a page of its own).
FORM_OF_ACTION = {"delete": "delete"} | {action: entry.form for action, entry in ACTIONS.items()}
# The forms posted to act(): each stands for one or more workflow actions.
POSTED_ACTIONS = tuple(dict.fromkeys(entry.form for entry in ACTIONS.values()))


@bp.route("/<int:proposal_id>/<any(" + ",".join(POSTED_ACTIONS) + "):action>", methods=["POST"])
@login_required
def act(proposal_id, action):
    """Take one workflow action from the proposal page; htmx swaps the page's component."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    step = _workflow_action(action, proposal)
    try:
        workflow.check(step, services.actor_of(current_user), proposal.facts)
        state_ok = True
    except workflow.NotPermitted:
        return render_error(403)
    except workflow.InvalidState:
        state_ok = False
    form = _action_form(action, proposal, from_request=True)
    key = form.clean_idempotency_key() if isinstance(form, IdempotentForm) else None
    if idempotency.done_url(key, current_user):  # sent twice: what the first sending made, once
        return _already_done(proposal)
    held = pending.held(request.form.getlist(pending.FIELD), current_user) if action == "answer" else []
    valid = form.validate_on_submit()
    # A note overwrites nothing, so only the state matters for it; every other action
    # was decided on the version of the proposal the user saw.
    stale = action != "note" and is_stale(proposal, form.version.data)
    if stale or not state_ok:
        _flag_stale(form)
        form.version.data = str(proposal.version)  # what was typed now goes on top of the current version
        return _detail_response(proposal, {action: form}, 409, _invalid_state_message(proposal)
                                if not state_ok else str(STALE_MESSAGE), "error",
                                held=_kept_answer_files(action, form, held))
    checked = []
    if valid and action == "answer":
        try:
            checked = storage.check_uploads([request.files.get(form.document.name)])
        except storage.UploadError as error:
            form.document.errors = [*form.document.errors, str(error)]
            valid = False
    if not valid:
        return _detail_response(proposal, {action: form}, 400, held=_kept_answer_files(action, form, held))
    try:
        ACTIONS[step].perform(proposal, current_user, form)
        if checked:
            services.add_attachments(proposal, current_user, checked, services.ANSWER_OWNER_TYPE)
        pending.adopt(held, services.ANSWER_OWNER_TYPE, proposal.id, current_user)
        idempotency.remember(key, current_user, url_for(".detail", proposal_id=proposal.id))
        db.session.commit()
    except IntegrityError:  # a twin request with the same key saved first
        db.session.rollback()
        if not idempotency.done_url(key, current_user):
            raise
        return _already_done(services.get_proposal_or_404(proposal_id, current_user))
    except services.ProposalError as error:
        db.session.rollback()
        getattr(form, error.field).errors.append(str(error))
        return _detail_response(services.get_proposal_or_404(proposal_id, current_user), {action: form}, 400,
                                held=_kept_answer_files(action, form, held))
    except StaleDataError:
        db.session.rollback()
        _flag_stale(form)
        proposal = services.get_proposal_or_404(proposal_id, current_user)
        form.version.data = str(proposal.version)
        return _detail_response(proposal, {action: form}, 409)
    message = str(ACTIONS[step].message)
    if wants_fragment():
        return _detail_response(proposal, notice=message)
    flash(message, "success")
    return redirect(url_for(".detail", proposal_id=proposal.id), 303)


def _already_done(proposal):
    """The answer to a form sent again: the proposal page as the first sending left it."""
    if wants_fragment():
        return _detail_response(proposal)
    return redirect(url_for(".detail", proposal_id=proposal.id), 303)


@bp.route("/<int:proposal_id>/nudge", methods=["POST"])
@policy.role_required(policy.COORDINATOR)
def nudge(proposal_id):
    """Remind the lead department of an overdue answer, with an optional message."""
    proposal = services.get_proposal_or_404(proposal_id, current_user)
    form = forms.NudgeForm(prefix="nudge")
    if not form.validate_on_submit():
        return _detail_response(proposal, {"nudge": form}, 400)
    try:
        sent = nudging.nudge(proposal, current_user, form.message.data or "")
    except services.ProposalError as error:
        db.session.rollback()
        return _detail_response(proposal, {"nudge": form}, 409, str(error), "error")
    db.session.commit()
    hours = app_settings.get_int("nudge_gap_hours")
    message = (_("Đã đôn đốc %(unit)s trả lời (thông báo và thư điện tử).", unit=proposal.lead_unit.name) if sent
               else _("%(unit)s vừa được đôn đốc trong %(h)s giờ qua, không nhắc lại.", unit=proposal.lead_unit.name, h=hours))
    if wants_fragment():
        return _detail_response(proposal, notice=message, notice_kind="success" if sent else "info")
    flash(message, "success" if sent else "info")
    return redirect(url_for(".detail", proposal_id=proposal.id), 303)


@bp.route("/deadline-preview")
@policy.role_required(policy.COORDINATOR)
def deadline_preview():
    """Show the answer deadline the assign form's choice gives, before it is saved."""
    form = forms.DeadlinePreviewForm(formdata=request.args, prefix="assign")
    text, error = deadline_choice.preview(form, form.answer_deadline, clock.today())
    return render_template("_deadline_preview.html", preview_id=DEADLINE_PREVIEW_ID, text=text, error=error,
                           preview_url=url_for(".deadline_preview"))


# --- the coordinator's inbox ----------------------------------------------------------------


@bp.route("/inbox")
@policy.role_required(policy.COORDINATOR)
def inbox():
    """The coordinator's triage inbox: every submitted proposal, oldest first."""
    return render("proposals/inbox.html", "proposals/_inbox.html", inbox=inbox_context())


@bp.route("/bulk", methods=["POST"])
@policy.role_required(policy.COORDINATOR)
def bulk():
    """Receive, or assign to one lead department, the proposals ticked in the inbox."""
    form = forms.BulkForm(prefix="bulk")
    units = services.provincial_units()
    form.lead_unit_id.choices = unit_choices(units, blank="")
    # The ids offered are every submitted proposal the coordinator sees, not only one page.
    form.ids.choices = [SelectChoice(pid, "") for pid in services.inbox_ids(current_user)]
    intent = request.form.get("intent")
    valid = form.validate_on_submit()
    if valid and intent == "assign" and not form.lead_unit_id.data:
        form.lead_unit_id.errors.append(_("Chọn đơn vị chủ trì."))
        valid = False
    if valid:
        selected = services.visible_by_ids(current_user, form.ids.data or [])
        try:
            if intent == "assign":
                services.bulk_assign(selected, current_user, _unit(form.lead_unit_id.data),
                                     deadline=form.answer_deadline.data)
                message = _("Đã chuyển %(n)s kiến nghị cho %(unit)s.", n=len(selected),
                            unit=_unit(form.lead_unit_id.data).name)
            else:
                count = services.bulk_receive(selected, current_user)
                message = _("Đã tiếp nhận %(n)s kiến nghị.", n=count)
            db.session.commit()
        except services.ProposalError as error:
            db.session.rollback()
            getattr(form, error.field).errors.append(str(error))
        except StaleDataError:
            db.session.rollback()
            form.ids.errors.append(str(STALE_MESSAGE))
        else:
            if wants_fragment():
                return render("proposals/inbox.html", "proposals/_inbox.html",
                              inbox=inbox_context(notice=message))
            flash(message, "success")
            return redirect(url_for(".inbox"), 303)
    # The posted form comes back with its errors and the ticks kept.
    return render("proposals/inbox.html", "proposals/_inbox.html", 400, inbox=inbox_context(form=form))
