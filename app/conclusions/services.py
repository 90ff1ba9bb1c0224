"""A conclusion notice turned into directives: the catalogue from the database, the notice's
file kept with its meeting, the preview's rows, and issuing them all in one transaction
through the directive services (issuing.create_directive, assigning.assign_to_units)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import audit, clock, deadline_choice, deadlines
from app.attachments import storage
from app.conclusions import parser
from app.conclusions.catalogue import (
    Catalogue,
    FieldEntry,
    UnitEntry,
    load_aliases,
    load_field_keywords,
)
from app.directives import assigning, issuing, workflow
from app.directives.models import Directive
from app.extensions import db
from app.models import Attachment, Field, Meeting, Unit
from app.service_error import ServiceError
from app.urls import parse_id

NOTICE_OWNER = "meeting"  # the notice's file is one of its meeting's files

FLAG_LABELS = {
    parser.NO_LEAD: _l("Chưa xác định được đơn vị chủ trì: thêm đơn vị ở ô bên dưới."),
    parser.NO_DEADLINE: _l("Không thấy thời hạn trong nội dung: nhập hạn hoàn thành hoặc chọn Thường xuyên."),
    parser.NO_FIELD: _l("Chưa xác định được lĩnh vực: chọn lĩnh vực."),
    parser.RELATED_UNITS: _l("Nội dung giao cho “các cơ quan, đơn vị liên quan” hoặc một phần các xã, phường: "
                             "chọn cụ thể từng đơn vị."),
    parser.UNKNOWN_UNIT: _l("Có tên đơn vị không có trong danh mục (gạch chân đỏ): kiểm tra lại."),
    parser.SEVERAL_DEADLINES: _l("Nội dung nêu nhiều thời hạn; đã lấy thời hạn muộn nhất."),
    parser.PAST_DEADLINE: _l("Thời hạn đã qua."),
    parser.BAD_DATE: _l("Nội dung có ngày không hợp lệ."),
    parser.PERIOD_ASSUMED: _l("Nhiệm vụ thường xuyên chưa nêu kỳ báo cáo; đề xuất báo cáo hằng tháng."),
    parser.EVALUATION: _l("Mục thuộc phần đánh giá, không giao việc: mặc định không ban hành."),
    parser.INHERITED: _l("Đơn vị lấy theo phần mở đầu của mục lớn."),
}
# Flags that follow the row's current values rather than the notice's text.
_LIVE_FLAGS = (parser.NO_LEAD, parser.NO_DEADLINE, parser.NO_FIELD, parser.PAST_DEADLINE)


def catalogue() -> Catalogue:
    """The active units and the fields, as the parser reads them."""
    units = [
        UnitEntry(u.id, u.code, u.name, u.kind)
        for u in db.session.scalars(select(Unit).where(Unit.active.is_(True)).order_by(Unit.sort_order, Unit.id))
    ]
    fields = [FieldEntry(f.id, f.name) for f in db.session.scalars(select(Field).order_by(Field.sort_order, Field.id))]
    return Catalogue(units, fields, load_aliases(), load_field_keywords())


def keep_notice_file(meeting: Meeting, checked: storage.CheckedFile, user) -> Attachment:
    """Add the notice's file to the meeting's files; the caller commits."""
    attachment = storage.save(checked, NOTICE_OWNER, meeting.id, user)
    db.session.flush()
    audit.record("meeting.notice_file", meeting, after={"attachment_id": attachment.id, "name": attachment.original_name})
    return attachment


def notice_file(meeting: Meeting, attachment_id) -> Attachment | None:
    """The meeting's file with this id (the preview names it), or None."""
    number = parse_id(str(attachment_id or ""))
    if number is None:
        return None
    attachment = db.session.get(Attachment, number)
    if attachment is None or attachment.owner_type != NOTICE_OWNER or attachment.owner_id != meeting.id:
        return None
    return attachment


def read_notice(text: str, cat: Catalogue) -> parser.ParsedNotice:
    return parser.parse(text, cat, today=clock.today())


def row_data(draft: parser.Draft) -> dict:
    """The preview row's starting values for one draft: a deadline in days is counted now, in
    calendar or working days as the directive form counts them."""
    data = {
        "include": draft.include,
        "number": draft.number,
        "parser_flags": " ".join(f for f in draft.flags if f not in _LIVE_FLAGS),
        "title": draft.title,
        "content": draft.content,
        "lead": " ".join(map(str, draft.lead_ids)),
        "support": " ".join(map(str, draft.support_ids)),
        "is_ongoing": False,
        "deadline": None,
        "reporting_period": "",
        "field_id": draft.field_id,
    }
    found = draft.deadline
    if found is not None and found.kind == "ongoing":
        data["is_ongoing"] = True
        data["reporting_period"] = found.reporting_period
    elif found is not None and found.kind == "date":
        data["deadline"] = found.day
    elif found is not None:
        unit = deadlines.WORKING if found.working else deadlines.CALENDAR
        data["deadline"] = deadline_choice.Period(found.days, unit).deadline_from(clock.today())
    return data


def unit_ids(value: str | None) -> list[int]:
    """The ids of a row's hidden unit list; ServiceError when one is not a number."""
    result = []
    for part in (value or "").split():
        number = parse_id(part)
        if number is None:
            raise ServiceError(_l("Danh sách đơn vị có giá trị không hợp lệ."), field="lead")
        result.append(number)
    return list(dict.fromkeys(result))


@dataclass
class Row:
    """A preview row's values, checked: what issue() needs, and what the preview shows."""

    index: int
    number: str
    include: bool
    title: str
    content: str
    lead: list[int]
    support: list[int]
    ongoing: bool
    deadline: date | None
    reporting_period: str | None
    field_id: int | None
    flags: list[str] = field(default_factory=list)
    errors: dict[str, list[str]] = field(default_factory=dict)


def check_row(index: int, form, ongoing: bool, cat: Catalogue, field_ids: set[int]) -> Row:
    """Read one ItemForm (ongoing: its timing says so) into a Row; errors by field when the row
    is to be issued and is not complete."""
    errors: dict[str, list[str]] = {}
    try:
        lead = [u for u in unit_ids(form.lead.data) if u in cat.by_id]
        support = [u for u in unit_ids(form.support.data) if u in cat.by_id and u not in lead]
    except ServiceError as error:
        errors["lead"] = [str(error)]
        lead, support = [], []
    row = Row(
        index=index,
        number=(form.number.data or "")[:40],
        include=bool(form.include.data),
        title=(form.title.data or "").strip(),
        content=(form.content.data or "").strip(),
        lead=lead,
        support=support,
        ongoing=ongoing,
        deadline=None if ongoing else form.deadline.data,
        reporting_period=(form.reporting_period.data or None) if ongoing else None,
        field_id=form.field_id.data if form.field_id.data in field_ids else None,
    )
    row.flags = [f for f in (form.parser_flags.data or "").split() if f in FLAG_LABELS]
    if not row.lead:
        row.flags.append(parser.NO_LEAD)
    if not ongoing and row.deadline is None:
        row.flags.append(parser.NO_DEADLINE)
    if row.deadline is not None and row.deadline < clock.today():
        row.flags.append(parser.PAST_DEADLINE)
    if row.field_id is None:
        row.flags.append(parser.NO_FIELD)
    for name, messages in ((f.short_name, f.errors) for f in form):
        if messages:
            errors.setdefault(name, []).extend(str(m) for m in messages)
    if row.include:
        if not row.title:
            errors.setdefault("title", []).append(str(_l("Nhập trích yếu.")))
        if not row.content:
            errors.setdefault("content", []).append(str(_l("Nhập nội dung.")))
        if not row.lead:
            errors.setdefault("lead", []).append(str(_l("Chọn ít nhất một đơn vị chủ trì.")))
        if not ongoing and row.deadline is None and "deadline" not in errors:
            errors.setdefault("deadline", []).append(str(_l("Nhập hạn hoàn thành, hoặc chọn Thường xuyên.")))
        if ongoing and not row.reporting_period:
            errors.setdefault("reporting_period", []).append(str(_l("Chọn kỳ báo cáo cho nhiệm vụ thường xuyên.")))
        if row.field_id is None:
            errors.setdefault("field_id", []).append(str(_l("Chọn lĩnh vực.")))
    row.errors = errors
    return row


def add_unit(form, cat: Catalogue) -> str | None:
    """Put the unit typed in the row's "add" box into its lead or support list; an error message
    when the name points to no unit."""
    typed = (form.add_unit.data or "").strip()
    if not typed:
        return str(_l("Nhập tên đơn vị cần thêm."))
    found = parser.units_named(typed, cat)
    if not found:
        exact = [u.id for u in cat.units if u.name.casefold() == typed.casefold()]
        found = exact
    if not found:
        return str(_l("Không tìm thấy đơn vị “%(name)s” trong danh mục.", name=typed))
    lead = unit_ids(form.lead.data)
    support = unit_ids(form.support.data)
    if form.add_role.data == workflow.SUPPORT:
        support += [u for u in found if u not in support and u not in lead]
    else:
        lead += [u for u in found if u not in lead]
        support = [u for u in support if u not in found]
    form.lead.data = " ".join(map(str, lead))
    form.support.data = " ".join(map(str, support))
    form.add_unit.data = ""
    return None


def remove_unit(form, role: str, unit_id: int | None) -> None:
    """Take one unit (or, with no id, every unit) out of the row's lead or support list."""
    target = form.lead if role == workflow.LEAD else form.support
    kept = [u for u in unit_ids(target.data) if unit_id is not None and u != unit_id]
    target.data = " ".join(map(str, kept))


def already_issued(attachment: Attachment | None, meeting: Meeting, rows: list[Row] = ()) -> int:
    """How many directives were already issued from this notice: from its file, or, for pasted
    text, items of this meeting with the same number and title (a second click, a resent form)."""
    query = select(db.func.count()).select_from(Directive)
    if attachment is not None:
        return db.session.scalar(query.where(Directive.notice_attachment_id == attachment.id)) or 0
    pairs = [(row.number, row.title) for row in rows if row.include and row.number]
    if not pairs:
        return 0
    query = query.where(
        Directive.meeting_id == meeting.id,
        Directive.notice_item.in_([number for number, _title in pairs]),
        Directive.title.in_([title for _number, title in pairs]),
    )
    return db.session.scalar(query) or 0


def issue(meeting: Meeting, rows: list[Row], issuer: dict, attachment: Attachment | None, user) -> list[Directive]:
    """Issue every included row as a directive of the meeting and assign its units, in the
    caller's one transaction; each directive keeps the notice file and its item number."""
    chosen = [row for row in rows if row.include]
    if not chosen:
        raise ServiceError(_l("Chưa chọn mục nào để ban hành."), field="count")
    if already_issued(attachment, meeting, chosen):
        raise ServiceError(_l("Các chỉ đạo của thông báo này đã được ban hành; không ban hành lại."), field="count")
    name = attachment.original_name if attachment else str(_l("nội dung dán vào"))
    directives = []
    for row in chosen:
        data = {
            "meeting_id": meeting.id,
            "issued_by_name": issuer.get("issued_by_name") or meeting.chair_name,
            "issued_by_title": issuer.get("issued_by_title") or meeting.chair_title or "",
            "title": row.title,
            "content": row.content,
            "field_id": row.field_id,
            "is_ongoing": row.ongoing,
            "deadline": row.deadline,
            "reporting_period": row.reporting_period,
        }
        source = str(_l("Thông báo kết luận %(name)s, mục %(number)s", name=name, number=row.number))
        directive = issuing.create_directive(data, user, source=source)
        directive.notice_attachment_id = attachment.id if attachment else None
        directive.notice_item = row.number or None
        assigning.assign_to_units(directive, row.lead, workflow.LEAD, user, source=source)
        if row.support:
            assigning.assign_to_units(directive, row.support, workflow.SUPPORT, user, source=source)
        directives.append(directive)
    audit.record(
        "meeting.notice_issue", meeting,
        after={"attachment_id": attachment.id if attachment else None, "directive_ids": [d.id for d in directives]},
    )
    return directives
