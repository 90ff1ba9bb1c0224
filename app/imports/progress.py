"""The progress round trip: a unit's open assignments out as .xlsx, its reports back in.

Each row carries, in hidden columns, the assignment id and its revision at download time
(the assignment's version and its latest report id: a report added in the site does not
touch the assignment row, so the version alone would miss it). On the way back only the
rows whose editable cells changed count; a changed row whose assignment moved on in the
site since the download is a conflict and is not applied; rows for assignments the
uploader may not act on are refused. Saving goes through app.directives.services.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from app import clock, policy
from app.directives import services as directives
from app.directives import status, workflow
from app.directives.models import Assignment, Directive, ExtensionRequest
from app.documents.xlsx import keep_text, sheet_value
from app.extensions import db
from app.imports import rows as R
from app.imports import sheets
from app.imports.sheets import Column
from app.models import Unit
from app.urls import ID_MAX, parse_id

SHEET_TITLE = "Tiến độ"
UPLOAD_ROLES = (policy.COMMUNE, policy.DEPARTMENT, policy.COORDINATOR)
# A bigger download is refused: the coordinator filters by directive or unit instead.
MAX_DOWNLOAD_ROWS = 10000
REPORT_MAX_LENGTH = 10000

COLUMNS = (
    Column("assignment_id", "Mã nhiệm vụ (không sửa)", 10, True, ("mã nhiệm vụ",), editable=False, hidden=True),
    Column("revision", "Phiên bản (không sửa)", 10, True, ("phiên bản",), editable=False, hidden=True),
    Column("unit", "Đơn vị", 26, editable=False, help="Đơn vị được giao (chỉ xem)."),
    Column("directive", "Chỉ đạo", 48, editable=False, help="Trích yếu chỉ đạo (chỉ xem)."),
    Column("role", "Vai trò", 10, editable=False),
    Column("deadline", "Thời hạn", 14, editable=False),
    Column("status", "Tình trạng", 24, editable=False),
    Column("last_report", "Báo cáo gần nhất", 40, editable=False),
    Column("text", "Nội dung báo cáo tiến độ (mới)", 50, True, ("nội dung báo cáo", "báo cáo tiến độ"),
           "Ghi kết quả mới. Để trống nếu không có gì mới: dòng đó không được cập nhật."),
    Column("percent", "Tỷ lệ hoàn thành (%)", 14, True, ("tỷ lệ hoàn thành", "phần trăm"),
           "Số nguyên từ 0 đến 100; sẵn tỷ lệ của báo cáo gần nhất."),
    Column("complete", "Đề nghị xác nhận hoàn thành (có/không)", 20, True, ("đề nghị xác nhận hoàn thành",),
           "Ghi “có” khi nhiệm vụ đã xong để đề nghị Văn phòng xác nhận hoàn thành."),
)
LETTERS = {column.key: get_column_letter(index) for index, column in enumerate(COLUMNS, start=1)}


def revision_of(assignment: Assignment, latest_report_id: int | None) -> str:
    return f"{assignment.version}.{latest_report_id or 0}"


def open_assignments(user, directive_id: int | None = None, unit_id: int | None = None):
    """select() of the open assignments user may report on (the coordinator: everyone's)."""
    query = (
        directives.visible_assignments(user)
        .join(Assignment.directive)
        .join(Assignment.unit)
        .options(contains_eager(Assignment.directive), contains_eager(Assignment.unit))
        .where(Assignment.state.in_(workflow.OPEN_STATES))
    )
    if directive_id:
        query = query.where(Assignment.directive_id == directive_id)
    if unit_id and policy.sees_everything(user):
        query = query.where(Assignment.unit_id == unit_id)
    deadline = directives.deadline_sql()
    return query.order_by(Unit.sort_order, Unit.name, deadline.is_(None), deadline, Directive.id)


class TooManyRows(ValueError):
    pass


def download(user, directive_id: int | None = None, unit_id: int | None = None) -> bytes:
    """The .xlsx of user's open assignments, ready to fill and upload back."""
    items = list(db.session.scalars(open_assignments(user, directive_id, unit_id).limit(MAX_DOWNLOAD_ROWS + 1)))
    if len(items) > MAX_DOWNLOAD_ROWS:
        raise TooManyRows()
    latest = directives.latest_reports([a.id for a in items])
    on, soon = clock.today(), directives.due_soon_days()
    workbook = sheets.new_workbook()
    sheet = sheets.add_data_sheet(workbook, SHEET_TITLE, COLUMNS, protect=True)
    wrap = Alignment(wrap_text=True, vertical="top")
    for number, assignment in enumerate(items, start=2):
        report = latest.get(assignment.id)
        standing = assignment.status_on(on, soon)
        state = str(workflow.STATE_LABELS[assignment.state])
        label = str(standing.label)
        values = {
            "assignment_id": assignment.id,
            "revision": revision_of(assignment, report.id if report else None),
            "unit": assignment.unit.name,
            "directive": assignment.directive.title,
            "role": str(workflow.ROLE_LABELS[assignment.role]),
            "deadline": assignment.deadline or str(status.LABELS[status.ONGOING]),
            "status": label if label == state else f"{state} — {label}",
            "last_report": (
                f"{report.created_at:%d/%m/%Y} — {report.percent}% — {report.text}" if report else ""
            ),
            "text": None,
            "percent": report.percent if report else None,
            "complete": _("không"),
        }
        for index, column in enumerate(COLUMNS, start=1):
            cell = keep_text(sheet.cell(row=number, column=index, value=sheet_value(values[column.key])))
            cell.alignment = wrap
            if column.key == "deadline" and not isinstance(values["deadline"], str):
                cell.number_format = sheets.DATE_FORMAT
            if column.editable:
                sheets.unlock(cell)
            else:
                cell.fill = sheets.LOCKED_FILL
    last = max(2, len(items) + 1)
    percent = DataValidation(type="whole", operator="between", formula1="0", formula2="100", allow_blank=True)
    percent.error = _("Tỷ lệ hoàn thành là số nguyên từ 0 đến 100.")
    percent.showErrorMessage = True
    sheet.add_data_validation(percent)
    percent.add(f"{LETTERS['percent']}2:{LETTERS['percent']}{last}")
    sheets.add_list_validation(sheet, f'"{_("có")},{_("không")}"', LETTERS["complete"], last_row=last)
    sheet.auto_filter.ref = f"A1:{LETTERS['complete']}{last}"
    sheets.add_guide_sheet(workbook, _("Cập nhật tiến độ bằng Excel"), [
        _("Mỗi dòng là một nhiệm vụ đang thực hiện của đơn vị. Chỉ sửa ba cột cuối; các cột khác được khóa."),
        _("Tải tệp lên trang Cập nhật tiến độ bằng Excel: chỉ những dòng có thay đổi mới thành báo cáo tiến độ."),
        _("Nếu nhiệm vụ đã thay đổi trên hệ thống sau khi tải tệp (có báo cáo mới, đổi trạng thái), "
          "dòng đó được đánh dấu “Đã thay đổi trên hệ thống” và không cập nhật: hãy tải tệp mới."),
    ], COLUMNS)
    return sheets.to_bytes(workbook)


@dataclass
class Change:
    row: int
    assignment_id: int
    revision: str
    text: str
    percent: int | None
    complete: bool


def _assignments_for(ids: list[int], user) -> dict[int, Assignment]:
    if not ids:
        return {}
    found: dict[int, Assignment] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        query = (
            directives.visible_assignments(user)
            .join(Assignment.directive)
            .options(contains_eager(Assignment.directive))
            .where(Assignment.id.in_(chunk))
        )
        found.update((a.id, a) for a in db.session.scalars(query))
    return found


def _assignment_id(raw) -> int | None:
    """The id in a row's hidden column (a number cell, or text), None when it cannot be one."""
    if isinstance(raw, int) and not isinstance(raw, bool):
        return raw if 0 < raw <= ID_MAX else None
    return parse_id(raw) if isinstance(raw, str) else None


def check(rows: list[dict], context: R.Context) -> list[Change | None]:
    """Sort every row into change, unchanged, conflict, refused or error."""
    user = context.user
    ids = []
    for row in rows:
        raw = row["cells"].get("assignment_id")
        if number := _assignment_id(raw):
            ids.append(number)
    assignments = _assignments_for(sorted(set(ids)), user)
    latest = directives.latest_reports(list(assignments))
    pending = _pending_extensions(list(assignments))
    seen: dict[int, int] = {}
    out: list[Change | None] = []
    for row in rows:
        out.append(_check_row(row, user, assignments, latest, pending, seen))
    return out


def _pending_extensions(assignment_ids: list[int]) -> set[int]:
    """Assignments with an extension request waiting (read once, not once per row)."""
    found: set[int] = set()
    for start in range(0, len(assignment_ids), 500):
        query = select(ExtensionRequest.assignment_id).where(
            ExtensionRequest.assignment_id.in_(assignment_ids[start:start + 500]),
            ExtensionRequest.state == workflow.EXT_PENDING,
        )
        found.update(db.session.scalars(query))
    return found


def _allowed(action: str, user, assignment: Assignment, pending: set[int]) -> None:
    """directives.check_action without its query per row; the coordinator acts for the unit."""
    actor = workflow.UNIT if user.role == policy.COORDINATOR else directives.actor_of(user, assignment)
    workflow.check(action, actor, assignment.state, has_deadline=assignment.deadline is not None,
                   extension_pending=assignment.id in pending)


def _check_row(row, user, assignments, latest, pending, seen) -> Change | None:
    check_ = R.RowCheck(row)
    raw_id = check_.get("assignment_id")
    assignment_id = _assignment_id(raw_id)
    if assignment_id is None:
        check_.problem("assignment_id", _(
            "Thiếu mã nhiệm vụ ở cột ẩn: hãy dùng tệp tải về từ hệ thống và không xóa cột."
        ))
        check_.finish()
        return None
    if assignment_id in seen:
        check_.problem("assignment_id", _("Nhiệm vụ này đã có ở dòng %(row)s.", row=seen[assignment_id]))
        check_.finish()
        return None
    seen[assignment_id] = row["row"]
    text = check_.optional_text("text", REPORT_MAX_LENGTH)
    percent = check_.parse("percent", sheets.parse_percent) if check_.get("percent") not in (None, "") else None
    complete = bool(check_.parse("complete", sheets.parse_yes_no))
    assignment = assignments.get(assignment_id)
    if assignment is None:
        row["problems"] = [{"col": "assignment_id", "message": _(
            "Nhiệm vụ mã %(id)s không có trong các nhiệm vụ bạn được cập nhật; dòng này không được cập nhật.",
            id=assignment_id,
        )}]
        row["status"] = R.REFUSED
        return None
    check_.show("directive", assignment.directive.title)
    report = latest.get(assignment.id)
    before = report.percent if report else None
    changed = bool(text) or (percent is not None and percent != before) or complete
    if not changed:
        row["status"] = R.ERROR if check_.has_problems else R.UNCHANGED
        return None
    revision = str(check_.get("revision") or "")
    if revision != revision_of(assignment, report.id if report else None):
        row["problems"] = [{"col": "revision", "message": _(
            "Nhiệm vụ đã thay đổi trên hệ thống sau khi bạn tải tệp (có báo cáo mới hoặc đổi trạng thái); "
            "dòng này không được cập nhật. Hãy tải tệp mới và ghi lại."
        )}]
        row["status"] = R.CONFLICT
        return None
    if percent is None:
        percent = before
    if text and percent is None and not check_.has_problems:
        check_.problem("percent", _("Nhập tỷ lệ hoàn thành cho báo cáo."))
    if not text and percent != before:
        check_.problem("text", _("Nhập nội dung báo cáo khi thay đổi tỷ lệ hoàn thành."))
    if check_.has_problems:
        check_.finish()
        return None
    try:
        if text:
            _allowed(workflow.REPORT, user, assignment, pending)
        if complete:
            _allowed(workflow.REQUEST_COMPLETION, user, assignment, pending)
    except workflow.WorkflowError as error:
        row["problems"] = [{"col": "complete" if complete and not text else "text", "message": str(error)}]
        row["status"] = R.REFUSED
        return None
    summary = []
    if text:
        summary.append(_("Báo cáo %(percent)s%%", percent=percent))
    if complete:
        summary.append(_("Đề nghị xác nhận hoàn thành"))
    check_.show("status", "; ".join(summary))
    row["status"] = R.CHANGE
    return Change(row["row"], assignment.id, revision, text, percent, complete)


def save(changes: list[Change], user, file_name: str, at) -> dict:
    """Apply the changes in the caller's transaction: reports, then completion requests.

    Each changed assignment's version is bumped, so a concurrent change to it in the site
    makes the whole commit fail (StaleDataError) instead of silently mixing the two.
    """
    on_behalf = user.role == policy.COORDINATOR
    today = clock.today()
    reports = completions = 0
    touched: list[Assignment] = []
    # No autoflush: the services' look-ups would flush once more per row; nothing they read
    # is written by this loop, and their own explicit flushes still run.
    with db.session.no_autoflush:
        for change in changes:
            assignment = db.session.get(Assignment, change.assignment_id)
            note = R.source_note(file_name, change.row)
            if change.text:
                directives.add_report(assignment, user, change.text, change.percent, source=note, on_behalf=on_behalf)
                reports += 1
            if change.complete:
                directives.request_completion(assignment, user, today, source=note, on_behalf=on_behalf)
                completions += 1
            touched.append(assignment)
    for assignment in touched:
        assignment.updated_at = at or clock.now()
    return {"reports": reports, "completions": completions, "ids": [a.id for a in touched]}
