"""Directives from a spreadsheet, with the units they are assigned to.

A row names its lead and support units one by one (separated by ";") or with the shortcuts
"tất cả xã, phường" and "tất cả cơ quan cấp tỉnh". Saving goes through
app.directives.services (issue, then bulk assign), so the history and the audit log say
which file and row each directive came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app.directives import services as directives
from app.directives import status, workflow
from app.directives.models import Directive
from app.extensions import db
from app.imports import rows as R
from app.imports import sheets
from app.imports.names import (
    ALL_BODIES,
    ALL_COMMUNES,
    SHORTCUT_LABELS,
    Directory,
    key,
    shortcut_of,
    split_list,
)
from app.imports.sheets import Column
from app.models import COMMUNE_KINDS, Field, Meeting, Unit
from app.text import fold, sort_key

SHEET_TITLE = "Chỉ đạo"
ONGOING_WORDS = {"thuong xuyen", "khong thoi han", "khong co thoi han"}
PERIODS = {
    "hang tuan": "weekly", "tuan": "weekly", "moi tuan": "weekly", "weekly": "weekly",
    "hang thang": "monthly", "thang": "monthly", "moi thang": "monthly", "monthly": "monthly",
    "hang quy": "quarterly", "quy": "quarterly", "moi quy": "quarterly", "quarterly": "quarterly",
}

COLUMNS = (
    Column("issuer", "Người chỉ đạo", 22, True, ("người kết luận", "lãnh đạo chỉ đạo"),
           "Họ tên lãnh đạo chỉ đạo. Để trống thì lấy người chủ trì hội nghị (nếu có ghi hội nghị).",
           "Lê Minh Quang"),
    Column("issuer_title", "Chức vụ", 22, False, ("chức vụ người chỉ đạo",),
           "Không bắt buộc.", "Bí thư Tỉnh ủy"),
    Column("title", "Trích yếu", 40, True, ("tiêu đề", "tên nhiệm vụ"),
           "Tóm tắt nội dung chỉ đạo, tối đa 300 ký tự. Bắt buộc.", "Kiện toàn tổ chức bộ máy xã, phường"),
    Column("content", "Nội dung", 60, True, ("nội dung chỉ đạo", "nội dung nhiệm vụ"),
           "Nội dung đầy đủ. Bắt buộc.", "Bổ sung đủ ủy viên Ban Chấp hành, hoàn thành trong quý IV."),
    Column("field", "Lĩnh vực", 28, True, (), "Một lĩnh vực trong trang “Danh mục”. Bắt buộc.",
           "Biên chế, tổ chức bộ máy"),
    Column("deadline", "Thời hạn (ngày/tháng/năm hoặc “thường xuyên”)", 20, True, ("thời hạn", "hạn hoàn thành"),
           "Ngày phải hoàn thành (ngày/tháng/năm), hoặc “thường xuyên” cho nhiệm vụ không thời hạn. Bắt buộc.",
           "31/12/2025"),
    Column("period", "Kỳ báo cáo (nhiệm vụ thường xuyên)", 18, False, ("kỳ báo cáo",),
           "Bắt buộc với nhiệm vụ thường xuyên: hằng tuần, hằng tháng hoặc hằng quý.", "hằng tháng"),
    Column("meeting", "Hội nghị (tên hoặc ngày họp)", 30, False, ("hội nghị",),
           "Không bắt buộc: tên hội nghị, hoặc ngày họp nếu ngày đó chỉ có một hội nghị.", "24/09/2025"),
    Column("lead_units", "Đơn vị chủ trì", 36, True, ("đơn vị thực hiện", "giao cho", "chủ trì"),
           "Bắt buộc. Tên đơn vị (cơ quan cấp tỉnh hoặc xã, phường), nhiều đơn vị cách nhau bằng dấu "
           "chấm phẩy (;); hoặc “tất cả xã, phường”, “tất cả cơ quan cấp tỉnh”.",
           "tất cả xã, phường"),
    Column("support_units", "Đơn vị phối hợp", 36, False, ("phối hợp",),
           "Không bắt buộc; cách ghi như cột Đơn vị chủ trì. Một đơn vị không vừa chủ trì vừa phối hợp.",
           "Sở Nội vụ; Ban Tổ chức Tỉnh ủy"),
)
LETTERS = {column.key: get_column_letter(index) for index, column in enumerate(COLUMNS, start=1)}


@dataclass
class Parsed:
    row: int
    data: dict
    lead_ids: list[int] = field(default_factory=list)
    support_ids: list[int] = field(default_factory=list)


def template() -> bytes:
    workbook = sheets.new_workbook()
    sheet = sheets.add_data_sheet(workbook, SHEET_TITLE, COLUMNS)
    units = list(db.session.scalars(select(Unit).where(Unit.active.is_(True))))
    bodies = [u.name for u in sorted((u for u in units if not u.is_commune), key=lambda u: (u.sort_order, u.id))]
    communes = sorted((u.name for u in units if u.is_commune), key=sort_key)
    fields = list(db.session.scalars(select(Field.name).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id)))
    meetings = [m.title for m in db.session.scalars(select(Meeting).order_by(Meeting.held_on.desc()).limit(200))]
    ranges = sheets.add_list_sheet(workbook, {
        _("Đơn vị"): [SHORTCUT_LABELS[ALL_COMMUNES], SHORTCUT_LABELS[ALL_BODIES], *bodies, *communes],
        _("Lĩnh vực"): fields,
        _("Kỳ báo cáo"): [str(label).lower() for label in status.REPORTING_PERIOD_LABELS.values()],
        _("Hội nghị"): meetings,
    })
    sheets.add_list_validation(sheet, ranges[_("Lĩnh vực")], LETTERS["field"])
    sheets.add_list_validation(sheet, ranges[_("Kỳ báo cáo")], LETTERS["period"])
    # Lists of several units do not fit a drop-down: it only offers one name as a hint.
    sheets.add_list_validation(sheet, ranges[_("Đơn vị")], LETTERS["lead_units"], strict=False)
    sheets.add_list_validation(sheet, ranges[_("Đơn vị")], LETTERS["support_units"], strict=False)
    if meetings:
        sheets.add_list_validation(sheet, ranges[_("Hội nghị")], LETTERS["meeting"], strict=False)
    sheets.format_column(sheet, LETTERS["deadline"], sheets.DATE_FORMAT)
    sheets.add_guide_sheet(workbook, _("Nhập chỉ đạo từ Excel"), [
        _("Mỗi dòng của trang “%(sheet)s” là một chỉ đạo cùng các đơn vị được giao; giữ nguyên dòng tiêu đề cột.",
          sheet=SHEET_TITLE),
        _("“tất cả xã, phường” giao cho mọi xã, phường, đặc khu đang hoạt động (một nhiệm vụ cho mỗi đơn vị)."),
        _("Hệ thống kiểm tra từng dòng và chỉ lưu khi cả tệp không còn lỗi và bạn bấm Xác nhận."),
        _("Dòng ví dụ dưới đây chỉ để tham khảo, không nằm trong trang nhập liệu."),
    ], COLUMNS)
    return sheets.to_bytes(workbook)


def check(rows: list[dict], context: R.Context) -> list[Parsed | None]:
    """Check every row (problems go into the rows); return what to save for the clean ones."""
    directory = context.directory
    out: list[Parsed | None] = []
    seen: dict[tuple, int] = {}
    existing = _existing_keys()
    for row in rows:
        row_check = R.RowCheck(row)
        parsed = _check_row(row_check, directory)
        if parsed is not None:
            identity = (fold(parsed.data["title"]), parsed.data["meeting_id"], parsed.data["deadline"])
            if identity in seen:
                row_check.problem("title", _(
                    "Trùng với dòng %(row)s (cùng trích yếu, hội nghị và thời hạn).", row=seen[identity]
                ))
            elif identity in existing:
                row_check.problem("title", _(
                    "Đã có chỉ đạo cùng trích yếu, hội nghị và thời hạn (số %(id)s); "
                    "xóa dòng này nếu là cùng một chỉ đạo.", id=existing[identity],
                ))
            else:
                seen[identity] = row["row"]
        row_check.finish()
        out.append(parsed if not row_check.has_problems else None)
    return out


def _existing_keys() -> dict[tuple, int]:
    query = select(Directive.id, Directive.title, Directive.meeting_id, Directive.deadline)
    return {(fold(title), meeting_id, deadline): did for did, title, meeting_id, deadline in db.session.execute(query)}


def _check_row(row: R.RowCheck, directory: Directory) -> Parsed | None:
    meeting = R.check_meeting(row, directory)
    issuer = row.optional_text("issuer", 120)
    issuer_title = row.optional_text("issuer_title", 200)
    if not issuer and meeting is not None and meeting.chair_name:
        issuer, issuer_title = meeting.chair_name, issuer_title or meeting.chair_title
        row.show("issuer", issuer)
    if not issuer and not any(p["col"] == "issuer" for p in row.row["problems"]):
        row.problem("issuer", _("Thiếu người chỉ đạo."))
    title = row.required("title", _("Thiếu trích yếu."), 300)
    content = row.required("content", _("Thiếu nội dung chỉ đạo."), 20000)
    found_field = directory.field(row.get("field"))
    if found_field.ok:
        row.show("field", found_field.value.name)
    else:
        row.problem("field", found_field.message)
    ongoing, deadline, period = False, None, None
    raw_deadline = row.get("deadline")
    if raw_deadline is None:
        row.problem("deadline", _("Thiếu thời hạn: ghi ngày/tháng/năm hoặc “thường xuyên”."))
    elif isinstance(raw_deadline, str) and key(raw_deadline) in ONGOING_WORDS:
        ongoing = True
        raw_period = row.get("period")
        if raw_period is None:
            row.problem("period", _("Nhiệm vụ thường xuyên cần kỳ báo cáo: hằng tuần, hằng tháng hoặc hằng quý."))
        elif (period := PERIODS.get(key(raw_period))) is None:
            row.problem("period", _("Kỳ báo cáo ghi “hằng tuần”, “hằng tháng” hoặc “hằng quý”."))
        else:
            row.show("period", str(status.REPORTING_PERIOD_LABELS[period]))
    else:
        deadline = row.parse("deadline", sheets.parse_date)
        if row.get("period") is not None:
            row.problem("period", _("Kỳ báo cáo chỉ ghi cho nhiệm vụ thường xuyên."))
    lead_ids = _units(row, directory, "lead_units", required=True)
    support_ids = _units(row, directory, "support_units", required=False)
    both = [unit_id for unit_id in support_ids if unit_id in set(lead_ids)]
    if both:
        names = [u.name for u in directory.communes.values() if u.id in both]
        names += [u.name for u in directory.bodies.values() if u.id in both]
        row.problem("support_units", _(
            "%(n)s đơn vị vừa chủ trì vừa phối hợp: %(names)s.", n=len(both), names="; ".join(sorted(names)[:3])
        ))
    if row.has_problems:
        return None
    data = {
        "meeting_id": meeting.id if meeting else None, "issued_by_name": issuer, "issued_by_title": issuer_title,
        "title": title, "content": content, "field_id": found_field.value.id, "is_ongoing": ongoing,
        "deadline": deadline, "reporting_period": period,
    }
    return Parsed(row.row["row"], data, lead_ids, support_ids)


def _units(row: R.RowCheck, directory: Directory, column: str, *, required: bool) -> list[int]:
    """Unit ids a cell names, shortcuts expanded; problems noted on the cell."""
    parts = split_list(row.get(column))
    if not parts:
        if required:
            row.problem(column, _("Thiếu đơn vị chủ trì."))
        return []
    ids: list[int] = []
    labels: list[str] = []
    for part in parts:
        shortcut = shortcut_of(part)
        if shortcut == ALL_COMMUNES:
            units = [u for u in directory.communes.values() if u.kind in COMMUNE_KINDS]
            labels.append(_("tất cả xã, phường (%(n)s đơn vị)", n=len(units)))
        elif shortcut == ALL_BODIES:
            units = list(directory.bodies.values())
            labels.append(_("tất cả cơ quan cấp tỉnh (%(n)s đơn vị)", n=len(units)))
        else:
            found = directory.unit(part)
            if not found.ok:
                row.problem(column, found.message)
                continue
            units = [found.value]
            labels.append(found.value.name)
        ids.extend(u.id for u in units)
    row.show(column, "; ".join(labels))
    return list(dict.fromkeys(ids))


def save(parsed: list[Parsed], user, file_name: str, at) -> dict:
    ids, assignments = [], 0
    for item in parsed:
        note = R.source_note(file_name, item.row)
        directive = directives.create_directive(item.data, user, source=note)
        assignments += directives.assign_to_units(directive, item.lead_ids, workflow.LEAD, user, source=note).created
        if item.support_ids:
            assignments += directives.assign_to_units(
                directive, item.support_ids, workflow.SUPPORT, user, source=note
            ).created
        ids.append(directive.id)
    return {"created": len(ids), "assignments": assignments, "ids": ids}
