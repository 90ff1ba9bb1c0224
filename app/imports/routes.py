"""Excel screens: templates, uploads, the preview of a file, its confirmation; the progress round trip."""

from urllib.parse import quote

from flask import (
    Blueprint,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from app import clock, idempotency, policy
from app.attachments import storage
from app.directives import services as directive_services
from app.directives.models import Assignment, Directive
from app.documents.xlsx import XLSX_MIME
from app.extensions import db
from app.htmx import render
from app.imports import progress, services, sources
from app.imports import rows as R
from app.imports.forms import ConfirmForm, ProgressDownloadForm, UploadForm
from app.imports.models import DIRECTIVES, PROGRESS, PROPOSALS
from app.imports.sheets import FileProblem
from app.listing import page_number
from app.models import Unit
from app.proposals.models import Proposal

bp = Blueprint("imports", __name__)

PAGE_SIZE = 50
PREVIEW_TABLE_ID = "import-preview"
ALL_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR)
TITLES = {
    PROPOSALS: "Nhập kiến nghị từ Excel",
    DIRECTIVES: "Nhập chỉ đạo từ Excel",
    PROGRESS: "Cập nhật tiến độ bằng Excel",
}
TEMPLATE_NAMES = {PROPOSALS: "mau-nhap-kien-nghi.xlsx", DIRECTIVES: "mau-nhap-chi-dao.xlsx"}


@bp.context_processor
def inject_import_helpers():
    return {
        "preview_table_id": PREVIEW_TABLE_ID,
        "titles": TITLES,
        "status_labels": R.STATUS_LABELS,
    }


@bp.app_context_processor
def inject_import_source_url():
    """Timelines link "tệp nguồn" to an imported item's file for those who may have it."""
    return {"import_source_url": lambda batch_id: sources.source_url(batch_id, current_user)}


def _require(kind: str) -> None:
    if kind not in services.ROLES:
        abort(404)
    if current_user.role not in services.ROLES[kind]:
        abort(403)


def _xlsx(data: bytes, file_name: str):
    response = make_response(data)
    response.headers["Content-Type"] = XLSX_MIME
    response.headers["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(file_name)}"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/imports/<any(proposals, directives):kind>/template.xlsx")
@policy.role_required(policy.COORDINATOR)
def template(kind):
    """Download the empty template of proposals or directives, with its lists of valid values."""
    handler = services.HANDLERS[kind]
    return _xlsx(handler.template(), TEMPLATE_NAMES[kind])


@bp.route("/imports/<any(proposals, directives):kind>", methods=["GET", "POST"])
@policy.role_required(*ALL_ROLES)
def upload(kind):
    """Upload a filled template; a clean read goes on to its preview."""
    _require(kind)
    form = UploadForm()
    if done := _ingest(kind, form):
        return done
    code = 400 if form.errors or form.file.errors else 200
    return render_template("imports/upload.html", kind=kind, form=form), code


def _ingest(kind: str, form: UploadForm):
    """A 303 to the preview of the file posted with form (the first sending's, when the same
    form is sent again), or None: a GET (the form gets its key) or a refused file (its message
    is on the field)."""
    if request.method != "POST":
        form.issue_key()
        return None
    key = form.clean_idempotency_key()
    if done := idempotency.replay(key, current_user):
        return done
    if not form.validate_on_submit():
        return None

    def remember(batch):
        idempotency.remember(key, current_user, url_for("imports.preview", token=batch.token))

    try:
        batch = services.ingest(kind, request.files.get(form.file.name), current_user._get_current_object(), remember)
    except (FileProblem, services.ImportRefused) as error:
        form.file.errors.append(str(error))
        return None
    except IntegrityError:  # a twin sending of this form saved its preview first
        db.session.rollback()
        if done := idempotency.replay(key, current_user):
            return done
        raise
    return redirect(url_for("imports.preview", token=batch.token), 303)


@bp.route("/imports/progress", methods=["GET", "POST"])
@policy.role_required(*ALL_ROLES)
def progress_page():
    """Download open assignments as .xlsx, or upload the filled file back."""
    upload_form = UploadForm()
    if done := _ingest(PROGRESS, upload_form):
        return done
    download_form = _download_form()
    open_count = directive_services.queue_count(progress.open_assignments(current_user))
    code = 400 if upload_form.errors or upload_form.file.errors else 200
    return render_template(
        "imports/progress.html", kind=PROGRESS, form=upload_form, download_form=download_form,
        open_count=open_count, sees_all=policy.sees_everything(current_user),
    ), code


def _download_form() -> ProgressDownloadForm:
    form = ProgressDownloadForm(formdata=request.args)
    open_directives = (
        select(Directive.id, Directive.title, Directive.deadline)
        .where(Directive.id.in_(progress.open_assignments(current_user).with_only_columns(Assignment.directive_id)
                                .order_by(None)))
        .order_by(Directive.created_at.desc(), Directive.id.desc())
    )
    form.directive.choices = [("", _("Tất cả"))] + [
        (did, f"{title} ({deadline:%d/%m/%Y})" if deadline else title)
        for did, title, deadline in db.session.execute(open_directives)
    ]
    if policy.sees_everything(current_user):
        units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True))))
        units.sort(key=lambda u: u.order_key)
        form.unit.choices = [("", _("Tất cả"))] + [(u.id, u.name) for u in units]
    else:
        form.unit.choices = [("", _("Tất cả"))]
    form.validate()
    return form


@bp.route("/imports/progress/download.xlsx")
@policy.role_required(*ALL_ROLES)
def progress_download():
    """The user's open assignments (filtered by directive, and by unit for the coordinator) as .xlsx."""
    form = _download_form()
    directive_id = form.directive.data if not form.directive.errors else None
    unit_id = form.unit.data if not form.unit.errors else None
    try:
        data = progress.download(current_user, directive_id, unit_id)
    except progress.TooManyRows:
        flash(_("Có hơn %(n)s nhiệm vụ: hãy chọn một chỉ đạo hoặc một đơn vị.",
                n=f"{progress.MAX_DOWNLOAD_ROWS:,}".replace(",", ".")), "error")
        return redirect(url_for("imports.progress_page"), 303)
    stamp = clock.today().strftime("%Y-%m-%d")
    return _xlsx(data, f"tien-do-{stamp}.xlsx")


@bp.route("/imports/batches/<token>")
@policy.role_required(*ALL_ROLES)
def preview(token):
    """Show an uploaded file's rows and their problems, 50 a page; htmx gets only the table."""
    batch = services.get_batch_or_404(token, current_user)
    only = request.args.get("only", "")
    if only not in ("", "problems", "changes"):
        only = ""
    rows = services.rows_of(batch, only)
    page = page_number()
    pages = max(1, -(-len(rows) // PAGE_SIZE))
    page = min(page, pages)
    shown = rows[(page - 1) * PAGE_SIZE: page * PAGE_SIZE]
    handler = services.HANDLERS[batch.kind]
    context = {
        "batch": batch,
        "columns": [c for c in handler.COLUMNS if not c.hidden],
        "rows": shown,
        "page": page,
        "pages": pages,
        "only": only,
        "total": len(rows),
        "letters": (batch.sheet or {}).get("letters", {}),
        "counts": (batch.result or {}).get("counts", {}),
        "can_confirm": services.can_confirm(batch),
        "form": ConfirmForm(),
        "created": _created_items(batch),
    }
    return render("imports/preview.html", "imports/_preview_table.html", **context)


def _created_items(batch) -> list[tuple[str, str]]:
    """(title, url) of the first items a confirmed import created or updated."""
    ids = ((batch.result or {}).get("ids") or [])[:PAGE_SIZE]
    if batch.state != "confirmed" or not ids:
        return []
    if batch.kind == PROPOSALS:
        items = db.session.scalars(select(Proposal).where(Proposal.id.in_(ids)).order_by(Proposal.id))
        return [(p.title, url_for("proposals.detail", proposal_id=p.id)) for p in items]
    if batch.kind == DIRECTIVES:
        items = db.session.scalars(select(Directive).where(Directive.id.in_(ids)).order_by(Directive.id))
        return [(d.title, url_for("directives.detail", directive_id=d.id)) for d in items]
    items = db.session.scalars(select(Assignment).where(Assignment.id.in_(ids)).order_by(Assignment.id))
    return [
        (f"{a.unit.name} — {a.directive.title}", url_for("directives.assignment", assignment_id=a.id)) for a in items
    ]


@bp.route("/imports/sources/<int:batch_id>")
@login_required
def source(batch_id):
    """Download the workbook an import came from (its importer, the office, or who sees every item)."""
    return storage.send(sources.get_source_or_404(batch_id, current_user))


@bp.route("/imports/batches/<token>/confirm", methods=["POST"])
@policy.role_required(*ALL_ROLES)
def confirm(token):
    """Save the previewed file in one transaction (once, however many times it is posted)."""
    batch = services.get_batch_or_404(token, current_user)
    _require(batch.kind)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        services.confirm(batch, current_user._get_current_object())
    except services.ImportRefused as error:
        flash(str(error), "error")
        return redirect(url_for("imports.preview", token=token), 303)
    flash(_summary(batch), "success")
    return redirect(url_for("imports.preview", token=token), 303)


def _summary(batch) -> str:
    result = batch.result or {}
    if batch.kind == PROPOSALS:
        return _("Đã nhập %(n)s kiến nghị từ tệp “%(file)s” (%(a)s kiến nghị đã chuyển xử lý).",
                 n=result.get("created", 0), a=result.get("assigned", 0), file=batch.file_name)
    if batch.kind == DIRECTIVES:
        return _("Đã nhập %(n)s chỉ đạo từ tệp “%(file)s”, giao %(a)s nhiệm vụ.",
                 n=result.get("created", 0), a=result.get("assignments", 0), file=batch.file_name)
    return _("Đã cập nhật từ tệp “%(file)s”: %(r)s báo cáo tiến độ, %(c)s đề nghị xác nhận hoàn thành.",
             r=result.get("reports", 0), c=result.get("completions", 0), file=batch.file_name)


@bp.route("/imports/batches/<token>/discard", methods=["POST"])
@policy.role_required(*ALL_ROLES)
def discard(token):
    """Drop a preview without saving anything."""
    batch = services.get_batch_or_404(token, current_user)
    form = ConfirmForm()
    if not form.validate_on_submit():
        abort(400)
    kind = batch.kind
    services.discard(batch, current_user)
    flash(_("Đã hủy, không lưu gì từ tệp."), "info")
    target = "imports.progress_page" if kind == PROGRESS else "imports.upload"
    return redirect(url_for(target, **({} if kind == PROGRESS else {"kind": kind})), 303)
