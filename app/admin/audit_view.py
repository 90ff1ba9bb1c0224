"""The audit log as an admin reads it: Vietnamese names for actions, objects and fields, and
each change as "field: before → after" with dates dd/mm/yyyy and names instead of ids.

The stored events stay as app.audit writes them (English keys, ISO dates, ids): this module
only reads them for the screen.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import policy
from app.days_off.forms import KIND_NAMES as DAY_KIND_NAMES
from app.deadline_units import UNIT_LABELS as DEADLINE_UNIT_LABELS
from app.delegation import workflow as delegation_workflow
from app.directives import status as directive_status
from app.directives import workflow as directive_workflow
from app.extensions import db
from app.formatting import format_date, format_datetime
from app.models import (
    PARTY_LAYOUT,
    STATE_LAYOUT,
    UNIT_HEAD,
    UNIT_OFFICER,
    Field,
    Meeting,
    Unit,
    User,
)
from app.notifications.models import EMAIL_PREFERENCE_LABELS
from app.proposals import workflow as proposal_workflow

OBJECT_LABELS = {
    "users": _l("Tài khoản"),
    "units": _l("Đơn vị"),
    "fields": _l("Lĩnh vực"),
    "settings": _l("Cài đặt"),
    "meetings": _l("Hội nghị"),
    "attachments": _l("Tệp đính kèm"),
    "days_off": _l("Lịch làm việc"),
    "directives": _l("Chỉ đạo"),
    "assignments": _l("Nhiệm vụ"),
    "extension_requests": _l("Đề nghị gia hạn"),
    "import_batches": _l("Tệp Excel nhập"),
    "proposals": _l("Kiến nghị"),
    "api_tokens": _l("Khóa API"),
    "delegations": _l("Phân công trong đơn vị"),
}

ACTION_LABELS = {
    "auth.login": _l("Đăng nhập"),
    "auth.logout": _l("Đăng xuất"),
    "user.create": _l("Tạo tài khoản"),
    "user.update": _l("Sửa tài khoản"),
    "user.enable": _l("Mở, khóa tài khoản"),
    "user.reset_password": _l("Cấp lại mật khẩu"),
    "user.change_password": _l("Đổi mật khẩu"),
    "user.email_preference": _l("Đổi cách nhận thư"),
    "unit.create": _l("Thêm đơn vị"),
    "unit.update": _l("Sửa đơn vị"),
    "field.create": _l("Thêm lĩnh vực"),
    "field.update": _l("Sửa lĩnh vực"),
    "settings.update": _l("Sửa cài đặt"),
    "meeting.create": _l("Ghi hội nghị"),
    "meeting.update": _l("Sửa hội nghị"),
    "attachment.delete": _l("Xóa tệp đính kèm"),
    "day_off.create": _l("Thêm ngày vào lịch làm việc"),
    "day_off.delete": _l("Xóa ngày khỏi lịch làm việc"),
    "directive.create": _l("Ban hành chỉ đạo"),
    "directive.update": _l("Sửa chỉ đạo"),
    "directive.assign": _l("Giao nhiệm vụ"),
    "directive.comment": _l("Ý kiến về chỉ đạo"),
    "assignment.report": _l("Báo cáo tiến độ"),
    "assignment.extend": _l("Gia hạn nhiệm vụ"),
    "extension.request": _l("Đề nghị gia hạn"),
    "extension.withdrawn": _l("Rút đề nghị gia hạn"),
    "extension.approved": _l("Đồng ý gia hạn"),
    "extension.refused": _l("Không đồng ý gia hạn"),
    "import.discard": _l("Hủy tệp Excel nhập"),
    "proposal.import": _l("Nhập kiến nghị từ tệp Excel"),
    "proposal.update": _l("Sửa kiến nghị"),
    "api_token.create": _l("Tạo khóa API"),
    "api_token.revoke": _l("Thu hồi khóa API"),
}

FIELD_LABELS = {
    "username": _l("Tên đăng nhập"),
    "full_name": _l("Họ và tên"),
    "email": _l("Thư điện tử"),
    "role": _l("Vai trò"),
    "unit_id": _l("Đơn vị"),
    "unit_ids": _l("Đơn vị"),
    "active": _l("Đang dùng"),
    "must_change_password": _l("Phải đổi mật khẩu"),
    "email_preference": _l("Nhận thư"),
    "code": _l("Mã"),
    "name": _l("Tên"),
    "kind": _l("Loại"),
    "contact_name": _l("Người liên hệ"),
    "contact_phone": _l("Điện thoại"),
    "contact_email": _l("Thư điện tử liên hệ"),
    "doc_superior": _l("Cơ quan cấp trên in trên văn bản"),
    "doc_name": _l("Tên cơ quan in trên văn bản"),
    "doc_abbr": _l("Chữ viết tắt trong số, ký hiệu"),
    "doc_place": _l("Địa danh ghi ngày tháng"),
    "doc_signer": _l("Chức vụ người ký mặc định"),
    "doc_layout": _l("Thể thức văn bản"),
    "doc_drafts_for": _l("Soạn văn bản thay mặt cho"),
    "nudge_gap_hours": _l("Không đôn đốc lại cùng một đơn vị trong vòng (giờ)"),
    "default_lead_unit_id": _l("Đơn vị chủ trì mặc định"),
    "default_answer_days": _l("Thời hạn trả lời mặc định (ngày)"),
    "default_deadline_unit": _l("Cách tính thời hạn"),
    "due_soon_days": _l("Số ngày cảnh báo trước hạn"),
    "title": _l("Trích yếu"),
    "content": _l("Nội dung"),
    "field_id": _l("Lĩnh vực"),
    "requested_amount": _l("Kinh phí đề nghị (đồng)"),
    "location": _l("Địa điểm"),
    "meeting_id": _l("Hội nghị"),
    "held_on": _l("Ngày họp"),
    "chair_name": _l("Người chủ trì"),
    "chair_title": _l("Chức vụ người chủ trì"),
    "issuing_unit_id": _l("Cơ quan ban hành"),
    "participants": _l("Thành phần"),
    "summary": _l("Tóm tắt"),
    "files_added": _l("Tệp đính kèm thêm"),
    "files": _l("Tệp đính kèm"),
    "file": _l("Tệp"),
    "date": _l("Ngày"),
    "reason": _l("Lý do"),
    "issued_by_name": _l("Người chỉ đạo"),
    "issued_by_title": _l("Chức vụ người chỉ đạo"),
    "deadline": _l("Thời hạn"),
    "is_ongoing": _l("Thường xuyên"),
    "reporting_period": _l("Kỳ báo cáo"),
    "assignments_moved": _l("Số nhiệm vụ theo thời hạn mới"),
    "skipped": _l("Đơn vị đã được giao từ trước"),
    "source": _l("Nguồn"),
    "state": _l("Trạng thái"),
    "original_deadline": _l("Thời hạn ban đầu"),
    "extended_deadline": _l("Thời hạn gia hạn"),
    "completion_requested_on": _l("Ngày đề nghị xác nhận hoàn thành"),
    "completed_on": _l("Ngày hoàn thành"),
    "state_reason": _l("Lý do"),
    "previous_deadline": _l("Thời hạn trước"),
    "requested_deadline": _l("Thời hạn đề nghị"),
    "decision_note": _l("Ý kiến"),
    "report_id": _l("Báo cáo số"),
    "percent": _l("Tỷ lệ hoàn thành (%)"),
    "lead_unit_id": _l("Đơn vị chủ trì"),
    "support_unit_ids": _l("Đơn vị phối hợp"),
    "answer_deadline": _l("Hạn trả lời"),
    "answer_outcome": _l("Kết quả trả lời"),
    "answer_planned_on": _l("Dự kiến hoàn thành"),
    "feedback": _l("Ý kiến của xã"),
    "received_at": _l("Ngày tiếp nhận"),
    "closed_at": _l("Ngày hoàn thành"),
    "text": _l("Nội dung"),
    "note": _l("Ghi chú"),
    "comment_id": _l("Ý kiến số"),
    "owner": _l("Thuộc"),
    "scope": _l("Phạm vi"),
    "expires_on": _l("Hết hạn ngày"),
    "user_id": _l("Tài khoản"),
    "webhook_url": _l("Địa chỉ nhận sự kiện"),
    "revoked_at": _l("Thu hồi lúc"),
    "unit_role": _l("Vị trí trong đơn vị"),
    "drafts_need_approval": _l("Dự thảo phải được lãnh đạo đơn vị duyệt"),
    "officer_id": _l("Cán bộ xử lý"),
    "co_officer_ids": _l("Cán bộ cùng xử lý"),
    "internal_deadline": _l("Hạn trong đơn vị"),
    "returned_note": _l("Ý kiến trả lại"),
    "proposal_id": _l("Kiến nghị số"),
    "assignment_id": _l("Nhiệm vụ số"),
    "draft_id": _l("Dự thảo số"),
    "draft_kind": _l("Loại dự thảo"),
}

# Keys whose value is a row id, and the model its name comes from.
_ID_KEYS = {
    "unit_id": Unit, "unit_ids": Unit, "default_lead_unit_id": Unit, "issuing_unit_id": Unit, "lead_unit_id": Unit,
    "support_unit_ids": Unit,
    "field_id": Field, "meeting_id": Meeting, "user_id": User, "officer_id": User, "co_officer_ids": User,
}

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_ISO_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")
_LONG = 160


@dataclass(frozen=True)
class Change:
    label: str
    before: str | None  # None: the event has no "before" (a creation)
    after: str | None  # None: no "after" (a deletion)


def action_label(action: str) -> str:
    if action in ACTION_LABELS:
        return str(ACTION_LABELS[action])
    kind, _sep, verb = action.partition(".")
    if kind == "proposal" and verb in proposal_workflow.ACTION_LABELS:
        return _("Kiến nghị: %(action)s", action=str(proposal_workflow.ACTION_LABELS[verb]).lower())
    if kind == "assignment":
        return _("Nhiệm vụ: %(action)s", action=_ASSIGNMENT_VERBS.get(verb, verb))
    if kind == "delegation" and verb in delegation_workflow.ACTION_LABELS:
        return _("Phân công trong đơn vị: %(action)s", action=str(delegation_workflow.ACTION_LABELS[verb]).lower())
    return action


_ASSIGNMENT_VERBS = {
    "request_completion": _l("đề nghị xác nhận hoàn thành"),
    "confirm": _l("xác nhận hoàn thành"),
    "send_back": _l("trả lại, chưa xác nhận hoàn thành"),
    "suspend": _l("tạm hoãn"),
    "cancel": _l("hủy"),
    "resume": _l("thực hiện lại"),
}


def object_label(object_type: str) -> str:
    return str(OBJECT_LABELS.get(object_type, object_type))


def _value_labels(object_type: str, key: str) -> dict:
    if key == "state":
        if object_type == "proposals":
            return proposal_workflow.STATE_LABELS
        if object_type == "assignments":
            return directive_workflow.STATE_LABELS
        if object_type == "extension_requests":
            return directive_workflow.EXTENSION_STATE_LABELS
    if key == "role":
        return policy.ROLE_LABELS if object_type == "users" else directive_workflow.ROLE_LABELS
    if key == "answer_outcome":
        return proposal_workflow.OUTCOME_LABELS
    if key == "feedback":
        return proposal_workflow.FEEDBACK_LABELS
    if key == "reporting_period":
        return directive_status.REPORTING_PERIOD_LABELS
    if key == "email_preference":
        return EMAIL_PREFERENCE_LABELS
    if key == "default_deadline_unit":
        return DEADLINE_UNIT_LABELS
    if key == "kind" and object_type == "days_off":
        return DAY_KIND_NAMES
    if object_type == "delegations" and key == "state":
        return delegation_workflow.STATE_LABELS
    if key == "draft_kind":
        return delegation_workflow.DRAFT_LABELS
    if key == "unit_role":
        return {UNIT_HEAD: _l("Lãnh đạo đơn vị"), UNIT_OFFICER: _l("Chuyên viên, công chức")}
    if key == "doc_layout":
        return {STATE_LAYOUT: _l("Nhà nước"), PARTY_LAYOUT: _l("Đảng")}
    return {}


class _Names:
    """Names of the rows events refer to by id, read in one query per model for a page."""

    def __init__(self, events):
        wanted: dict[type, set[int]] = {}
        for event in events:
            for values in (event.before or {}, event.after or {}):
                for key, value in values.items():
                    model = _ID_KEYS.get(key)
                    if model is None:
                        continue
                    for item in value if isinstance(value, list) else [value]:
                        if isinstance(item, int) and not isinstance(item, bool):
                            wanted.setdefault(model, set()).add(item)
        self.names: dict[type, dict[int, str]] = {}
        for model, ids in wanted.items():
            label = model.title if model is Meeting else model.username if model is User else model.name
            self.names[model] = dict(db.session.execute(select(model.id, label).where(model.id.in_(ids))).all())

    def name(self, model, value) -> str:
        return self.names.get(model, {}).get(value) or _("số %(id)s", id=value)


def _text(object_type: str, key: str, value, names: _Names) -> str:
    if value is None or value == "" or value == []:
        return _("(trống)")
    if isinstance(value, bool):
        return _("Có") if value else _("Không")
    model = _ID_KEYS.get(key)
    if model is not None:
        items = value if isinstance(value, list) else [value]
        return ", ".join(names.name(model, v) for v in items)
    labels = _value_labels(object_type, key)
    if labels and value in labels:
        return str(labels[value])
    if isinstance(value, list):
        return ", ".join(_text(object_type, key, v, names) for v in value)
    if isinstance(value, dict):
        return ", ".join(f"{v}" for v in value.values())
    if isinstance(value, str):
        if _ISO_DATE.match(value):
            return format_date(date.fromisoformat(value))
        if _ISO_DATETIME.match(value):
            try:
                moment = datetime.fromisoformat(value)
            except ValueError:
                return value
            return format_datetime(moment) if moment.tzinfo else moment.strftime("%d/%m/%Y %H:%M")
        value = " ".join(value.split())
        return value if len(value) <= _LONG else value[:_LONG].rsplit(" ", 1)[0] + "…"
    if key == "percent":
        return f"{value}%"
    return str(value)


def describe(event, names: _Names) -> list[Change]:
    """One line per field the event names; only the fields that changed when it has both sides."""
    before, after = event.before or {}, event.after or {}
    keys = list(before) + [k for k in after if k not in before]
    changes = []
    for key in keys:
        if before and after and key in before and key in after and before[key] == after[key]:
            continue
        label = str(FIELD_LABELS.get(key, key))
        changes.append(Change(
            label,
            _text(event.object_type, key, before[key], names) if key in before else None,
            _text(event.object_type, key, after[key], names) if key in after else None,
        ))
    return changes


def rows(events) -> list[tuple]:
    """(event, action label, object label, changes) for a page of events."""
    names = _Names(events)
    return [(e, action_label(e.action), object_label(e.object_type), describe(e, names)) for e in events]


def actor_name(user: User | None) -> str:
    if user is None:
        return _("Hệ thống")
    return f"{user.full_name} ({user.username})" if user.full_name else user.username
