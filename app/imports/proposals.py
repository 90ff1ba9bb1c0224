"""Proposals from a spreadsheet: the template, each row's check, and saving them.

Each row becomes a proposal of its commune, entered by the coordinator as submitted and
received; with a lead department it is assigned at once (deadline: the one in the file,
else the field's default). Saving goes through app.proposals.services, so the timeline and
the audit log say which file and row each proposal came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from openpyxl.utils import get_column_letter
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.imports import rows as R
from app.imports import sheets
from app.imports.names import Directory, split_list
from app.imports.sheets import Column
from app.models import Field, Meeting, Unit
from app.proposals import services as proposals
from app.proposals import workflow
from app.proposals.models import Proposal
from app.text import fold, in_sentence, sort_key

SHEET_TITLE = "Kiến nghị"

COLUMNS = (
    Column("commune", "Xã, phường", 24, True, ("xã, phường, đặc khu", "đơn vị", "tên xã, phường", "xã phường"),
           "Tên xã, phường hiện nay (sau 01/07/2025), có hoặc không có chữ “Xã”/“Phường”; "
           "không phân biệt hoa thường, có dấu hay không dấu. Xem trang “Danh mục”.", "Xã Ia Boòng"),
    Column("title", "Tiêu đề", 40, True, ("tiêu đề kiến nghị", "trích yếu", "tên kiến nghị"),
           "Tóm tắt kiến nghị, tối đa 300 ký tự. Bắt buộc.", "Đầu tư đường giao thông liên thôn"),
    Column("content", "Nội dung", 60, True, ("nội dung kiến nghị", "nội dung chi tiết"),
           "Nội dung đầy đủ. Bắt buộc.", "Đường đất dài 7 km nối thôn Plei Ring với trung tâm xã, mùa mưa lầy lội."),
    Column("field", "Lĩnh vực", 30, True, (),
           "Một lĩnh vực trong trang “Danh mục”. Bắt buộc.", "Giao thông"),
    Column("amount", "Kinh phí đề nghị (đồng)", 18, False, ("kinh phí", "số tiền đề nghị", "kinh phí đề nghị"),
           "Số đồng, không bắt buộc. Ví dụ 1500000000 hoặc 1.500.000.000.", 1500000000),
    Column("location", "Địa điểm (thôn, làng)", 22, False, ("địa điểm", "thôn, làng", "thôn làng"),
           "Không bắt buộc, tối đa 200 ký tự.", "Thôn Plei Ring"),
    Column("meeting", "Hội nghị (tên hoặc ngày họp)", 30, False, ("hội nghị",),
           "Không bắt buộc: tên hội nghị như trên trang Hội nghị, hoặc ngày họp (ngày/tháng/năm) "
           "nếu ngày đó chỉ có một hội nghị.", "24/09/2025"),
    Column("lead", "Đơn vị chủ trì", 28, False, ("cơ quan chủ trì", "đơn vị xử lý", "chủ trì"),
           "Không bắt buộc. Ghi cơ quan cấp tỉnh (tên hoặc mã) để chuyển xử lý ngay; "
           "để trống thì kiến nghị ở trạng thái Đã gửi, chờ phân công.", "Sở Xây dựng"),
    Column("supports", "Đơn vị phối hợp", 28, False, ("cơ quan phối hợp", "phối hợp"),
           "Không bắt buộc, chỉ khi có đơn vị chủ trì. Nhiều đơn vị cách nhau bằng dấu chấm phẩy (;).",
           "Sở Tài chính; Sở Nông nghiệp và Môi trường"),
    Column("deadline", "Hạn trả lời (ngày/tháng/năm)", 18, False, ("hạn trả lời", "thời hạn trả lời"),
           "Không bắt buộc, chỉ khi có đơn vị chủ trì; để trống thì lấy hạn mặc định của lĩnh vực. "
           "Không được trước hôm nay.", "31/12/2026"),
)
LETTERS = {column.key: get_column_letter(index) for index, column in enumerate(COLUMNS, start=1)}


@dataclass
class Parsed:
    row: int
    commune: Unit
    data: proposals.ProposalInput
    lead: Unit | None = None
    supports: list[Unit] = field(default_factory=list)
    deadline: date | None = None


def template() -> bytes:
    """The proposals template: data sheet with drop-downs, list sheet, instructions."""
    workbook = sheets.new_workbook()
    sheet = sheets.add_data_sheet(workbook, SHEET_TITLE, COLUMNS)
    communes = sorted(
        db.session.scalars(select(Unit.name).where(Unit.kind.in_(("xa", "phuong", "dac_khu")), Unit.active.is_(True))),
        key=sort_key,
    )
    fields = list(db.session.scalars(select(Field.name).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id)))
    bodies = [u.name for u in proposals.provincial_units()]
    meetings = [m.title for m in db.session.scalars(select(Meeting).order_by(Meeting.held_on.desc()).limit(200))]
    ranges = sheets.add_list_sheet(workbook, {
        _("Xã, phường"): communes,
        _("Lĩnh vực"): fields,
        _("Cơ quan cấp tỉnh"): bodies,
        _("Hội nghị"): meetings,
    })
    sheets.add_list_validation(sheet, ranges[_("Xã, phường")], LETTERS["commune"], strict=False)
    sheets.add_list_validation(sheet, ranges[_("Lĩnh vực")], LETTERS["field"])
    sheets.add_list_validation(sheet, ranges[_("Cơ quan cấp tỉnh")], LETTERS["lead"], strict=False)
    if meetings:
        sheets.add_list_validation(sheet, ranges[_("Hội nghị")], LETTERS["meeting"], strict=False)
    sheets.format_column(sheet, LETTERS["deadline"], sheets.DATE_FORMAT)
    sheets.format_column(sheet, LETTERS["amount"], "#,##0")
    sheets.add_guide_sheet(workbook, _("Nhập kiến nghị từ Excel"), [
        _("Mỗi dòng của trang “%(sheet)s” là một kiến nghị; giữ nguyên dòng tiêu đề cột.", sheet=SHEET_TITLE),
        _("Tải tệp lên trang Nhập từ Excel: hệ thống kiểm tra từng dòng và chỉ lưu khi cả tệp không còn lỗi "
          "và bạn bấm Xác nhận."),
        _("Tên xã, phường, lĩnh vực, cơ quan lấy trong trang “Danh mục”. Tên xã, huyện cũ trước 01/07/2025 không được nhận."),
        _("Dòng ví dụ dưới đây chỉ để tham khảo, không nằm trong trang nhập liệu."),
    ], COLUMNS)
    return sheets.to_bytes(workbook)


def check(rows: list[dict], context: R.Context) -> list[Parsed | None]:
    """Check every row (problems go into the rows); return what to save for the clean ones."""
    directory, today = context.directory, context.today
    out: list[Parsed | None] = []
    seen: dict[tuple, int] = {}
    for row in rows:
        row_check = R.RowCheck(row)
        parsed = _check_row(row_check, directory, today)
        if parsed is not None:
            identity = (parsed.commune.id, fold(parsed.data.title), parsed.data.meeting.id if parsed.data.meeting else None)
            if identity in seen:
                row_check.problem("title", _(
                    "Trùng với dòng %(row)s (cùng xã, cùng tiêu đề, cùng hội nghị).", row=seen[identity]
                ))
            else:
                seen[identity] = row["row"]
        row_check.finish()
        out.append(parsed if not row_check.has_problems else None)
    _flag_existing(rows, out)
    return [p if row["status"] == R.OK else None for p, row in zip(out, rows, strict=True)]


def _check_row(row: R.RowCheck, directory: Directory, today: date) -> Parsed | None:
    commune = directory.commune(row.get("commune"))
    if commune.ok:
        row.show("commune", commune.value.name)
    else:
        row.problem("commune", commune.message)
    title = row.required("title", _("Thiếu tiêu đề."), 300)
    content = row.required("content", _("Thiếu nội dung."), 20000)
    found_field = directory.field(row.get("field"))
    if found_field.ok:
        row.show("field", found_field.value.name)
    else:
        row.problem("field", found_field.message)
    amount = row.parse("amount", sheets.parse_money) if row.get("amount") is not None else None
    if amount is not None:
        row.show("amount", f"{amount:,}".replace(",", ".") + " ₫")
    location = row.optional_text("location", 200)
    meeting = R.check_meeting(row, directory)
    lead = None
    if row.text("lead"):
        found = directory.body(row.get("lead"))
        if found.ok:
            lead = found.value
            row.show("lead", lead.name)
        else:
            row.problem("lead", found.message)
    supports: list[Unit] = []
    if row.text("supports"):
        if not row.text("lead"):
            row.problem("supports", _("Có đơn vị phối hợp thì phải ghi đơn vị chủ trì."))
        for name in split_list(row.get("supports")):
            found = directory.body(name)
            if not found.ok:
                row.problem("supports", found.message)
            elif lead is not None and found.value.id == lead.id:
                row.problem("supports", _("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))
            elif found.value not in supports:
                supports.append(found.value)
        row.show("supports", "; ".join(u.name for u in supports))
    deadline = None
    if row.get("deadline") is not None:
        deadline = row.parse("deadline", sheets.parse_date)
        if deadline is not None:
            if not row.text("lead"):
                row.problem("deadline", _("Có hạn trả lời thì phải ghi đơn vị chủ trì."))
            elif deadline < today:
                row.problem("deadline", _("Hạn trả lời không được trước ngày hôm nay."))
    if row.has_problems:
        return None
    data = proposals.ProposalInput(
        title=title, content=content, field=found_field.value, requested_amount=amount,
        location=location, meeting=meeting,
    )
    return Parsed(row.row["row"], commune.value, data, lead, supports, deadline)


def _flag_existing(rows: list[dict], parsed: list[Parsed | None]) -> None:
    """A row the site already has (same commune, title and meeting) is refused: a file saved
    again in Excel has a new fingerprint but the same proposals."""
    clean = [p for p in parsed if p is not None]
    if not clean:
        return
    communes = {p.commune.id for p in clean}
    query = select(
        Proposal.id, Proposal.commune_unit_id, Proposal.title_folded, Proposal.meeting_id, Proposal.state
    ).where(Proposal.commune_unit_id.in_(communes), Proposal.state != workflow.DRAFT)
    existing = {(c, t, m): (i, s) for i, c, t, m, s in db.session.execute(query)}
    for row, item in zip(rows, parsed, strict=True):
        if item is None:
            continue
        hit = existing.get((item.commune.id, fold(item.data.title), item.data.meeting.id if item.data.meeting else None))
        if hit is not None:
            row["problems"].append({"col": "title", "message": _(
                "Đã có kiến nghị cùng tiêu đề của %(commune)s (số %(id)s, %(state)s); "
                "xóa dòng này nếu là cùng một kiến nghị.",
                commune=in_sentence(item.commune.name), id=hit[0], state=workflow.STATE_LABELS[hit[1]],
            )})
            row["status"] = R.ERROR


def save(parsed: list[Parsed], user, file_name: str, at) -> dict:
    """Save every row in the caller's transaction; return what was created."""
    ids, assigned = [], 0
    defaults: dict[int, date] = {}  # field id -> default deadline, read once per field, not per row
    for item in parsed:
        note = R.source_note(file_name, item.row)
        proposal = proposals.record_received(user, item.commune, item.data, source=note, at=at)
        if item.lead is not None:
            deadline = item.deadline
            if deadline is None:
                field_id = item.data.field.id
                if field_id not in defaults:
                    defaults[field_id] = proposals.default_deadline(item.data.field, clock.local_date(at))
                deadline = defaults[field_id]
            proposals.assign(proposal, user, item.lead, item.supports, deadline=deadline, note=note, at=at)
            assigned += 1
        ids.append(proposal.id)
    return {"created": len(ids), "assigned": assigned, "ids": ids}
