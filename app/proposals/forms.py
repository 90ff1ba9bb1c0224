"""Proposal forms. Every message is our own Vietnamese one: a forged id, a wrong date or a
negative amount is told apart from a missing value, next to the field it concerns."""

import re

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, MultipleFileField
from wtforms import (
    HiddenField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, StopValidation, ValidationError

from app import deadline_choice
from app.formatting import format_number
from app.forms import BaseForm, DateField, IdempotentForm, Mandatory
from app.proposals import workflow

TITLE_MAX = 300
CONTENT_MAX = 20_000
NOTE_MAX = 5_000
LOCATION_MAX = 200
AMOUNT_MAX = 10**15  # a thousand trillion đồng: far above any commune's request, far below BIGINT
_BAD_ID = -1


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _id_or_none(value):
    """Coerce a submitted id: '' means none, anything not a number can never match a choice."""
    if value is None or value == "" or value == "None":
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return _BAD_ID


class MaxChars:
    """Length limit whose message shows both numbers with Vietnamese digit grouping."""

    def __init__(self, limit: int, what):
        self.limit = limit
        self.what = what

    def __call__(self, form, field):
        length = len(field.data or "")
        if length > self.limit:
            raise StopValidation(
                _l("%(what)s dài tối đa %(max)s ký tự; bạn đã nhập %(n)s ký tự.",
                   what=self.what, max=format_number(self.limit), n=format_number(length))
            )


class IdSelectField(SelectField):
    """A select of database ids; a value outside the offered choices gets `message`."""

    def __init__(self, label=None, validators=None, message=None, required=True, **kwargs):
        super().__init__(label, validators, coerce=_id_or_none, validate_choice=False, **kwargs)
        self.message = message
        self.required = required
        if required:
            self.flags.required = True

    def pre_validate(self, form):
        if self.data is None:
            if self.required:
                raise StopValidation(self.message)
            return
        if self.data not in {choice.value for choice in self.choices or []}:
            raise StopValidation(self.message)


class IdMultiCheckboxField(SelectMultipleField):
    """Checkboxes of database ids; any value outside the choices gets `message`."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()

    def __init__(self, label=None, validators=None, message=None, **kwargs):
        super().__init__(label, validators, coerce=_id_or_none, validate_choice=False, **kwargs)
        self.message = message

    def process_formdata(self, valuelist):
        self.data = [_id_or_none(v) for v in valuelist if v != ""]

    def pre_validate(self, form):
        allowed = {choice.value for choice in self.choices or []}
        if any(value not in allowed for value in self.data or []):
            raise StopValidation(self.message)


class DayField(DateField):
    """A date typed as dd/mm/yyyy (app.forms.DateField); the name the proposal forms know it by."""


class MoneyField(StringField):
    """Whole đồng, accepting what people type: 1.500.000.000, 1 500 000 000 or 1500000000 đ."""

    def process_formdata(self, valuelist):
        self.data = None
        if not valuelist:
            return
        raw = valuelist[0].strip()
        cleaned = re.sub(r"(?i)[\s.,]|vnđ|vnd|đồng|đ|₫", "", raw)
        if not cleaned:
            return
        if not re.fullmatch(r"-?\d+", cleaned):
            raise ValueError(_l("Số tiền chỉ gồm chữ số, ví dụ 1.500.000.000."))
        self.data = int(cleaned)

    def pre_validate(self, form):
        if self.data is not None and self.data < 0:
            raise StopValidation(_l("Số tiền đề nghị không được âm."))
        if self.data is not None and self.data > AMOUNT_MAX:
            raise StopValidation(_l("Số tiền quá lớn; kiểm tra lại số chữ số."))

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return format_number(self.data) if self.data is not None else ""


def _title_field():
    return StringField(
        _l("Tiêu đề"),
        filters=[_strip],
        validators=[DataRequired(_l("Nhập tiêu đề kiến nghị.")), MaxChars(TITLE_MAX, _l("Tiêu đề"))],
    )


class ProposalForm(IdempotentForm):
    """A commune's proposal: written as a draft, submitted, edited when returned."""

    title = _title_field()
    content = TextAreaField(
        _l("Nội dung kiến nghị"),
        filters=[_strip],
        validators=[DataRequired(_l("Nhập nội dung kiến nghị.")), MaxChars(CONTENT_MAX, _l("Nội dung"))],
    )
    field_id = IdSelectField(_l("Lĩnh vực"), message=_l("Chọn lĩnh vực trong danh sách."))
    requested_amount = MoneyField(_l("Kinh phí đề nghị (đồng)"))
    location = StringField(
        _l("Địa điểm (thôn, làng)"), filters=[_strip],
        validators=[Optional(), MaxChars(LOCATION_MAX, _l("Địa điểm"))],
    )
    meeting_id = IdSelectField(
        _l("Nêu tại hội nghị"), required=False, message=_l("Chọn hội nghị trong danh sách hoặc để trống.")
    )
    attachments = MultipleFileField(_l("Tệp đính kèm"))
    version = HiddenField()


# --- actions on the proposal page -------------------------------------------------------------
# Each carries the version it was rendered from (optimistic locking) and has its own prefix,
# so several can live on one page.


def _note(label, required_message=None):
    validators = [DataRequired(required_message)] if required_message else [Optional()]
    return TextAreaField(label, filters=[_strip], validators=[*validators, MaxChars(NOTE_MAX, label)])


class ActionForm(BaseForm):
    version = HiddenField()


class SubmitForm(ActionForm):
    pass


class DeleteForm(ActionForm):
    pass


class ReceiveForm(ActionForm):
    pass


class WithdrawForm(ActionForm):
    note = _note(_l("Lý do rút (không bắt buộc)"))


class ReturnForm(ActionForm):
    note = _note(_l("Lý do trả lại"), _l("Nêu lý do trả lại để xã, phường bổ sung."))


class ClassifyForm(ActionForm):
    field_id = IdSelectField(_l("Lĩnh vực"), message=_l("Chọn lĩnh vực trong danh sách."))


class AssignForm(deadline_choice.DeadlineChoiceMixin, ActionForm):
    field_id = IdSelectField(_l("Lĩnh vực"), message=_l("Chọn lĩnh vực trong danh sách."))
    lead_unit_id = IdSelectField(
        _l("Đơn vị chủ trì"), message=_l("Chọn đơn vị chủ trì là một cơ quan cấp tỉnh trong danh sách.")
    )
    support_unit_ids = IdMultiCheckboxField(
        _l("Đơn vị phối hợp"), message=_l("Đơn vị phối hợp phải là cơ quan cấp tỉnh trong danh sách.")
    )
    # The deadline: a date (blank: the field's period), or n calendar/working days from today.
    deadline_by = deadline_choice.by_field()
    answer_deadline = DayField(_l("Hạn trả lời"), validators=[Optional()])
    deadline_days = deadline_choice.days_field()
    deadline_unit = deadline_choice.unit_field()
    note = _note(_l("Ghi chú"))

    def validate_support_unit_ids(self, field):
        if self.lead_unit_id.data in (field.data or []):
            raise ValidationError(_l("Đơn vị chủ trì không đồng thời là đơn vị phối hợp."))


class DeadlinePreviewForm(deadline_choice.DeadlineChoiceMixin, BaseForm):
    """The assign form's deadline fields alone, read from the query string for the preview."""

    class Meta:
        csrf = False

    deadline_by = deadline_choice.by_field()
    answer_deadline = DayField(_l("Hạn trả lời"), validators=[Optional()])
    deadline_days = deadline_choice.days_field()
    deadline_unit = deadline_choice.unit_field()


class AnswerForm(ActionForm):
    outcome = RadioField(
        _l("Kết quả"),
        choices=[SelectChoice(key, workflow.OUTCOME_LABELS[key]) for key in workflow.OUTCOMES],
        validate_choice=False,
        validators=[Mandatory()],
    )
    planned_on = DayField(_l("Dự kiến hoàn thành"), validators=[Optional()])
    text = _note(_l("Nội dung trả lời"), _l("Nhập nội dung trả lời."))
    document = FileField(_l("Văn bản trả lời đã ký (không bắt buộc)"))

    def validate_outcome(self, field):
        if field.data not in workflow.OUTCOMES:
            raise StopValidation(_l("Chọn kết quả trả lời."))

    def validate_planned_on(self, field):
        if self.outcome.data == workflow.IN_PROGRESS and field.data is None and not field.errors:
            raise ValidationError(_l("Nhập thời gian dự kiến hoàn thành."))


class CloseForm(ActionForm):
    note = _note(_l("Ghi chú (không bắt buộc)"))


class ReopenForm(ActionForm):
    note = _note(_l("Lý do mở lại"), _l("Nêu lý do mở lại."))
    answer_deadline = DayField(_l("Hạn trả lời mới (để trống nếu giữ hạn cũ)"), validators=[Optional()])


class FeedbackForm(ActionForm):
    feedback = RadioField(
        _l("Ý kiến của xã, phường về câu trả lời"),
        choices=[SelectChoice(key, label) for key, label in workflow.FEEDBACK_LABELS.items()],
        validate_choice=False,
    )
    text = _note(_l("Nội dung"))

    def validate_feedback(self, field):
        if field.data not in workflow.FEEDBACK_LABELS:
            raise StopValidation(_l("Chọn đồng ý hoặc chưa đồng ý."))

    def validate_text(self, field):
        if self.feedback.data == workflow.DISAGREE and not field.data:
            raise ValidationError(_l("Nêu lý do chưa đồng ý với câu trả lời."))


class NudgeForm(BaseForm):
    """The office reminds the lead department of an overdue answer (app/proposals/nudging.py)."""

    message = TextAreaField(_l("Lời nhắn (không bắt buộc)"), validators=[Optional(), Length(max=1000)])


class NoteForm(IdempotentForm, ActionForm):
    """A comment, an opinion or a leader's comment: sent twice (Back, a double click), kept once."""

    text = _note(_l("Nội dung"), _l("Nhập nội dung ý kiến."))


ACTION_FORMS = {
    "submit": SubmitForm,
    "delete": DeleteForm,
    "withdraw": WithdrawForm,
    "receive": ReceiveForm,
    "return": ReturnForm,
    "classify": ClassifyForm,
    "assign": AssignForm,
    "reassign": AssignForm,
    "answer": AnswerForm,
    "close": CloseForm,
    "reopen": ReopenForm,
    "feedback": FeedbackForm,
    "note": NoteForm,
}


# --- the coordinator's inbox ------------------------------------------------------------------


class BulkForm(BaseForm):
    """Receive, or assign to one lead department, the proposals ticked in the inbox."""

    ids = IdMultiCheckboxField(_l("Kiến nghị"), message=_l("Danh sách kiến nghị không hợp lệ; tải lại trang."))
    lead_unit_id = IdSelectField(
        _l("Đơn vị chủ trì"), required=False,
        message=_l("Chọn đơn vị chủ trì là một cơ quan cấp tỉnh trong danh sách."),
    )
    answer_deadline = DayField(_l("Hạn trả lời (để trống: theo lĩnh vực)"), validators=[Optional()])
