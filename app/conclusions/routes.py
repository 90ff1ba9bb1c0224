"""From a meeting's conclusion notice to its directives: the notice in, the preview with one
draft per item (corrected in place with htmx), and issuing them all at once."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup, escape

from app import clock, deadline_choice, idempotency, policy
from app.attachments import storage
from app.conclusions import extract, parser, services
from app.conclusions.forms import MAX_ITEMS, IssueForm, ItemForm, NoticeForm
from app.directives import workflow
from app.directives.forms import DATED, ONGOING
from app.extensions import db
from app.htmx import render
from app.meetings.services import get_meeting_or_404
from app.service_error import ServiceError

bp = Blueprint("conclusions", __name__)

PREVIEW_FORM_ID = "notice-preview"
ROW_ID = "notice-item-{}"


def _item_form(index: int, data: dict | None = None) -> ItemForm:
    """The row's form: from the request, or (data: services.row_data) filled by the parser."""
    prefix = f"items-{index}"
    if data is None:
        return ItemForm(prefix=prefix)
    data = dict(data, timing=ONGOING if data.pop("is_ongoing") else DATED)
    return ItemForm(prefix=prefix, formdata=None, data=data)


def _field_choices(cat) -> list[tuple]:
    return [("", _("— Chọn lĩnh vực —"))] + [(f.id, f.name) for f in cat.fields]


def _row_view(index: int, form: ItemForm, cat, message: str | None = None, *, posted: bool = False) -> dict:
    """What the row template shows: the form, the checked row, the highlighted text, chips."""
    form.field_id.choices = _field_choices(cat)
    if posted:
        form.validate()
    row = services.check_row(index, form, form.timing.data == ONGOING, cat, {f.id for f in cat.fields})
    for name, messages in row.errors.items():  # shown next to their fields by the field macro
        target = getattr(form, name, None)
        if target is not None:
            target.errors = list(dict.fromkeys([*target.errors, *messages]))
    return {
        "index": index,
        "form": form,
        "row": row,
        "segments": _segments(row.content, cat),
        "lead_chips": _chips(row.lead, workflow.LEAD, cat),
        "support_chips": _chips(row.support, workflow.SUPPORT, cat),
        "flag_labels": [services.FLAG_LABELS[f] for f in dict.fromkeys(row.flags)],
        "deadline_note": deadline_choice.preview_text(row.deadline) if row.deadline else None,
        "message": message,
    }


def _segments(text: str, cat) -> Markup:
    """text with the recognised parts in <mark> (by kind) and line breaks kept, escaped."""
    parts, last = [], 0
    for start, end, kind in parser.spans(text, cat, clock.today()):
        parts.append(escape(text[last:start]))
        parts.append(Markup('<mark class="hl-{}">{}</mark>').format(kind, text[start:end]))
        last = end
    parts.append(escape(text[last:]))
    return Markup("").join(parts).replace("\n", Markup("<br>"))


def _chips(ids: list[int], role: str, cat) -> list[dict]:
    """One chip per unit, or one for a whole group when every commune or body is there."""
    chips, rest = [], list(ids)
    for group, members, label in (
        ("communes", cat.commune_ids, _("Tất cả %(n)s xã, phường", n=len(cat.commune_ids))),
        ("bodies", cat.body_ids, _("Tất cả %(n)s sở, ban, ngành", n=len(cat.body_ids))),
    ):
        if members and set(members) <= set(rest):
            chips.append({"label": label, "op": f"remove-{role}-{group}"})
            rest = [u for u in rest if u not in set(members)]
    chips += [{"label": cat.by_id[u].name, "op": f"remove-{role}-{u}"} for u in rest]
    return chips


def _preview(meeting, rows: list[dict], issue_form: IssueForm, cat, attachment, status: int = 200, notice=None):
    return render_template(
        "conclusions/preview.html",
        meeting=meeting, rows=rows, form=issue_form, attachment=attachment, notice=notice,
        units=cat.units, preview_form_id=PREVIEW_FORM_ID, row_id=ROW_ID,
        issued_before=services.already_issued(attachment, meeting),
    ), status


def _start_preview(meeting, text: str, attachment=None):
    cat = services.catalogue()
    notice = services.read_notice(text, cat)
    drafts = notice.drafts[:MAX_ITEMS]
    issue_form = IssueForm(formdata=None, data={
        "issued_by_name": meeting.chair_name, "issued_by_title": meeting.chair_title,
        "attachment_id": attachment.id if attachment else "", "count": len(drafts),
    })
    issue_form.issue_key()
    rows = [_row_view(i, _item_form(i, services.row_data(d)), cat) for i, d in enumerate(drafts)]
    if not rows:
        form = NoticeForm(formdata=None, data={"text": text})
        form.text.errors = [_("Không tìm thấy mục kết luận nào (đánh số 1., 2., a), b) hoặc gạch đầu dòng) "
                              "trong thông báo.")]
        return render_template("conclusions/start.html", meeting=meeting, form=form), 400
    return _preview(meeting, rows, issue_form, cat, attachment, notice=notice)


@bp.route("/meetings/<int:meeting_id>/notice", methods=["GET", "POST"])
@policy.role_required(policy.COORDINATOR)
def start(meeting_id):
    """Take the meeting's conclusion notice, as a Word or PDF file or as pasted text."""
    meeting = get_meeting_or_404(meeting_id)
    form = NoticeForm()
    if not form.validate_on_submit():
        return render_template("conclusions/start.html", meeting=meeting, form=form), 400 if form.errors else 200
    upload = form.file.data
    if upload and upload.filename:
        try:
            checked = storage.check_upload(upload)
            extract.text_of(checked.extension, checked.data)  # refuse an unreadable file before keeping it
            attachment = services.keep_notice_file(meeting, checked, current_user)
        except (storage.UploadError, extract.ExtractError) as error:
            form.file.errors = [str(error)]
            return render_template("conclusions/start.html", meeting=meeting, form=form), 400
        db.session.commit()
        return redirect(url_for("conclusions.preview", meeting_id=meeting.id, attachment_id=attachment.id), 303)
    return _start_preview(meeting, form.text.data)


@bp.route("/meetings/<int:meeting_id>/notice/<int:attachment_id>")
@policy.role_required(policy.COORDINATOR)
def preview(meeting_id, attachment_id):
    """Show the drafts read from a notice file of the meeting."""
    meeting = get_meeting_or_404(meeting_id)
    attachment = services.notice_file(meeting, attachment_id)
    if attachment is None:
        abort(404)
    try:
        with open(storage.path_of(attachment), "rb") as handle:
            data = handle.read()
        text = extract.text_of(attachment.original_name.rsplit(".", 1)[-1].lower(), data)
    except (OSError, extract.ExtractError):
        abort(404)
    return _start_preview(meeting, text, attachment)


def _posted_rows(cat) -> list[tuple[int, ItemForm]]:
    count = request.form.get("count", "")
    if not count.isdigit() or not 0 < int(count) <= MAX_ITEMS:
        abort(400)
    return [(i, _item_form(i)) for i in range(int(count))]


@bp.route("/meetings/<int:meeting_id>/notice/row", methods=["POST"])
@policy.role_required(policy.COORDINATOR)
def row(meeting_id):
    """Re-render one draft after a correction: a unit added or taken out, the text read again."""
    meeting = get_meeting_or_404(meeting_id)
    raw = request.args.get("index", "")
    if not raw.isdigit() or int(raw) >= MAX_ITEMS:
        abort(400)
    index = int(raw)
    cat = services.catalogue()
    form = _item_form(index)
    form.field_id.choices = _field_choices(cat)
    op = request.form.get("op", "")
    message = None
    try:
        if op == "add":
            message = services.add_unit(form, cat)
        elif op.startswith("remove-"):
            _remove(form, op, cat)
        elif op == "reparse":
            _reparse(form, cat)
    except ServiceError as error:
        message = str(error)
    view = _row_view(index, form, cat, message, posted=True)
    status = 400 if message else 200
    return render("conclusions/_row_page.html", "conclusions/_row.html", status,
                  meeting=meeting, row_id=ROW_ID, units=cat.units, **view)


def _remove(form: ItemForm, op: str, cat) -> None:
    parts = op.split("-", 2)
    if len(parts) != 3 or parts[1] not in workflow.ROLES:
        abort(400)
    role, what = parts[1], parts[2]
    target = form.lead if role == workflow.LEAD else form.support
    if what in ("communes", "bodies"):
        members = set(cat.commune_ids if what == "communes" else cat.body_ids)
        kept = [u for u in services.unit_ids(target.data) if u not in members]
        target.data = " ".join(map(str, kept))
    elif what.isdigit():
        services.remove_unit(form, role, int(what))
    else:
        abort(400)


def _reparse(form: ItemForm, cat) -> None:
    draft = parser.read_item(form.content.data or "", cat, today=clock.today(), number=form.number.data or "")
    data = services.row_data(draft)
    form.timing.data = ONGOING if data["is_ongoing"] else DATED
    for name in ("lead", "support", "deadline", "reporting_period"):
        getattr(form, name).data = data[name]
    if data["field_id"]:
        form.field_id.data = data["field_id"]


@bp.route("/meetings/<int:meeting_id>/notice/issue", methods=["POST"])
@policy.role_required(policy.COORDINATOR)
def issue(meeting_id):
    """Issue every draft kept in the preview as a directive, all in one transaction."""
    meeting = get_meeting_or_404(meeting_id)
    issue_form = IssueForm()
    key = issue_form.clean_idempotency_key()
    if done := idempotency.replay(key, current_user):  # sent twice: the meeting, with what the first sending issued
        return done
    cat = services.catalogue()
    pairs = _posted_rows(cat)
    views = [_row_view(i, form, cat, posted=True) for i, form in pairs]
    attachment = services.notice_file(meeting, issue_form.attachment_id.data)
    if issue_form.attachment_id.data and attachment is None:
        abort(404)
    rows = [v["row"] for v in views]
    if not issue_form.validate_on_submit() or any(r.errors for r in rows if r.include):
        return _preview(meeting, views, issue_form, cat, attachment, 400)
    try:
        directives = services.issue(meeting, rows, issue_form.data, attachment, current_user)
    except ServiceError as error:
        db.session.rollback()
        issue_form.count.errors = [str(error)]
        return _preview(meeting, views, issue_form, cat, attachment, 409)
    target = url_for("meetings.detail", meeting_id=meeting.id)
    idempotency.remember(key, current_user, target)
    if done := idempotency.commit_or_replay(key, current_user):
        return done
    flash(_("Đã ban hành %(n)s chỉ đạo từ thông báo kết luận.", n=len(directives)), "success")
    return redirect(target, 303)

