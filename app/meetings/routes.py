"""Meeting screens: list, page (its directives, and the proposals raised at it), record and edit."""

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, idempotency, locking, policy
from app.attachments import pending, storage
from app.directives import services as directives
from app.directives.models import Directive
from app.extensions import db
from app.htmx import render
from app.listing import page_number
from app.meetings import services
from app.meetings.forms import KINDS, MeetingFilterForm, MeetingForm
from app.models import Meeting
from app.proposals import services as proposal_services

bp = Blueprint("meetings", __name__)

storage.register_owner("meeting", services.can_see_meeting)

MEETINGS_TABLE_ID = "meetings-table"


@bp.context_processor
def inject_meeting_helpers():
    return {"meeting_kinds": KINDS, "meetings_table_id": MEETINGS_TABLE_ID}


def _status_code(form, ok: int = 200) -> int:
    return 400 if any(f.errors for f in form) else ok


@bp.route("/meetings")
@policy.role_required(*services.MEETING_VIEW_ROLES)
def index():
    """List meetings, newest first, searchable without diacritics."""
    form = MeetingFilterForm(formdata=request.args)
    form.validate()
    q = form.q.data if not form.q.errors else ""
    kind = form.kind.data if form.kind.data in KINDS else ""
    page = db.paginate(
        services.search_meetings(q, kind), page=page_number(), per_page=current_app.config["PAGE_SIZE"], error_out=False
    )
    counts = services.directive_counts([m.id for m in page.items], current_user)
    args = {k: v for k, v in request.args.items() if v and k != "page"}
    return render("meetings/index.html", "meetings/_table.html", _status_code(form),
                  form=form, page=page, counts=counts, args=args)


@bp.route("/meetings/<int:meeting_id>")
@policy.role_required(*services.MEETING_VIEW_ROLES)
def detail(meeting_id):
    """Show a meeting, its files, the proposals raised and the directives issued at it."""
    meeting = services.get_meeting_or_404(meeting_id)
    proposals = list(db.session.scalars(proposal_services.proposals_for_meeting(meeting.id, current_user)))
    query = directives.visible_directives(current_user).where(Directive.meeting_id == meeting.id)
    items = list(db.session.scalars(query.order_by(Directive.created_at, Directive.id)))
    on = clock.today()
    return render_template(
        "meetings/detail.html",
        meeting=meeting,
        directives=items,
        proposals=proposals,
        counts=directives.counts_by_directive([d.id for d in items], on, current_user),
        attachments=directives.attachments_of("meeting", meeting.id),
        can_manage=current_user.role == policy.COORDINATOR,
    )


def _prepare(form: MeetingForm, meeting: Meeting | None = None) -> None:
    units = services.issuing_units()
    if meeting is not None and meeting.issuing_unit and meeting.issuing_unit not in units:
        units.append(meeting.issuing_unit)
    form.issuing_unit_id.choices = [(u.id, u.name) for u in units]


@bp.route("/meetings/new", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def create():
    """Record a meeting with its minutes and conclusions."""
    form = MeetingForm()
    _prepare(form)
    if request.method == "GET":
        form.issue_key()
        form.issuing_unit_id.data = current_user.unit_id
    key = form.clean_idempotency_key()
    if request.method == "POST" and (done := idempotency.replay(key, current_user)):
        return done  # the same form sent again: no second meeting
    held = pending.from_form(current_user) if request.method == "POST" else []
    if form.validate_on_submit() and (files := storage.check_form_files(form.files)) is not None:
        meeting = services.create_meeting(form.data, current_user, files)
        db.session.flush()
        pending.adopt(held, "meeting", meeting.id, current_user)
        target = url_for("meetings.detail", meeting_id=meeting.id)
        idempotency.remember(key, current_user, target)
        if done := idempotency.commit_or_replay(key, current_user):
            return done
        flash(_("Đã ghi nhận hội nghị."), "success")
        return redirect(target, 303)
    if request.method == "POST":
        held = pending.refused_files(form.files, held, current_user)
    return render_template("meetings/form.html", form=form, meeting=None, held=held), _status_code(form)


def _show_conflict(form, meeting) -> None:
    """A refused edit: the other person's values on top, the form moved onto their version."""
    locking.conflict(meeting, form, ["title", "held_on", "chair_name", "chair_title", "participants", "summary"])
    form.summary.errors.append(str(locking.CONFLICT_MESSAGE))


@bp.route("/meetings/<int:meeting_id>/edit", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def edit(meeting_id):
    """Edit a meeting and add files to it."""
    meeting = services.get_meeting_or_404(meeting_id)
    form = MeetingForm(obj=meeting) if request.method == "GET" else MeetingForm()
    _prepare(form, meeting)
    if request.method == "GET":
        form.version.data = str(meeting.version)
        return render_template("meetings/form.html", form=form, meeting=meeting)
    held = pending.from_form(current_user)
    if form.validate_on_submit():
        if locking.is_stale(meeting, form.version.data):
            _show_conflict(form, meeting)
            held = pending.refused_files(form.files, held, current_user)
            return render_template("meetings/form.html", form=form, meeting=meeting, held=held), 409
        files = storage.check_form_files(form.files)
        if files is not None:
            services.update_meeting(meeting, form.data, current_user, files)
            pending.adopt(held, "meeting", meeting.id, current_user)
            if not locking.commit():
                meeting = services.get_meeting_or_404(meeting_id)
                _show_conflict(form, meeting)
                return render_template("meetings/form.html", form=form, meeting=meeting), 409
            flash(_("Đã lưu hội nghị."), "success")
            return redirect(url_for("meetings.detail", meeting_id=meeting.id), 303)
    held = pending.refused_files(form.files, held, current_user)
    return render_template("meetings/form.html", form=form, meeting=meeting, held=held), _status_code(form)
