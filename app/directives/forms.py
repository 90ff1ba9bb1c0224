"""Directive forms: issue and edit, assign, report, ask and decide, and the list filters."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import MultipleFileField
from wtforms import (
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, ValidationError

from app import deadline_choice
from app.directives import services, status, workflow
from app.forms import BaseForm, DateField, IdempotentForm, Mandatory, Range, choices, optional_int

ONGOING = "ongoing"
DATED = "dated"


class DirectiveForm(deadline_choice.DeadlineChoiceMixin, IdempotentForm):
    meeting_id = SelectField(_l("Hội nghị"), coerce=int, validate_choice=True)
    issued_by_name = StringField(
        _l("Người chỉ đạo"), validators=[DataRequired(_l("Nhập họ tên người chỉ đạo.")), Length(max=120)]
    )
    issued_by_title = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=200)])
    title = StringField(
        _l("Trích yếu"), validators=[DataRequired(_l("Nhập trích yếu nội dung chỉ đạo.")), Length(max=300)]
    )
    content = TextAreaField(
        _l("Nội dung chỉ đạo"), validators=[DataRequired(_l("Nhập nội dung chỉ đạo.")), Length(max=20000)]
    )
    field_id = SelectField(_l("Lĩnh vực"), coerce=int, validate_choice=True, validators=[Mandatory()])
    timing = RadioField(
        _l("Thời hạn"),
        choices=choices([(DATED, _l("Có thời hạn")), (ONGOING, _l("Thường xuyên (không thời hạn)"))]),
        default=DATED,
    )
    # A dated directive's deadline: a date, or n calendar/working days from today.
    deadline_by = deadline_choice.by_field()
    deadline = DateField(_l("Hạn hoàn thành"))
    deadline_days = deadline_choice.days_field()
    deadline_unit = deadline_choice.unit_field()
    reporting_period = SelectField(
        _l("Kỳ báo cáo (nhiệm vụ thường xuyên)"),
        choices=choices([("", _l("— Chọn kỳ báo cáo —"))] + list(status.REPORTING_PERIOD_LABELS.items())),
    )
    files = MultipleFileField(_l("Tệp đính kèm"))
    version = HiddenField()

    def validate_field_id(self, field):
        if not field.data:
            raise ValidationError(_l("Chọn lĩnh vực."))

    def validate_deadline(self, field):
        if self.timing.data == DATED and not self.counts_days() and field.data is None and not field.errors:
            raise ValidationError(_l("Nhập hạn hoàn thành, hoặc chọn Thường xuyên."))

    def needs_days(self) -> bool:
        return self.timing.data == DATED and self.counts_days()

    def validate_reporting_period(self, field):
        if self.timing.data == ONGOING and not field.data:
            raise ValidationError(_l("Chọn kỳ báo cáo cho nhiệm vụ thường xuyên."))

    def data_for_service(self) -> dict:
        return {
            "meeting_id": self.meeting_id.data or None,
            "issued_by_name": self.issued_by_name.data,
            "issued_by_title": self.issued_by_title.data,
            "title": self.title.data,
            "content": self.content.data,
            "field_id": self.field_id.data or None,
            "is_ongoing": self.timing.data == ONGOING,
            "deadline": None if self.counts_days() else self.deadline.data,
            "deadline_period": self.period() if self.timing.data == DATED else None,
            "reporting_period": self.reporting_period.data or None,
        }


class DeadlinePreviewForm(deadline_choice.DeadlineChoiceMixin, BaseForm):
    """The directive form's deadline fields alone, read from the query string for the preview."""

    class Meta:
        csrf = False

    deadline_by = deadline_choice.by_field()
    deadline = DateField(_l("Hạn hoàn thành"))
    deadline_days = deadline_choice.days_field()
    deadline_unit = deadline_choice.unit_field()


class AssignForm(BaseForm):
    scope = RadioField(
        _l("Giao cho"),
        choices=choices([
            (services.SCOPE_ALL_COMMUNES, _l("Tất cả xã, phường")),
            (services.SCOPE_ALL_BODIES, _l("Tất cả cơ quan cấp tỉnh")),
            (services.SCOPE_PICKED, _l("Các đơn vị chọn trong danh sách")),
        ]),
        default=services.SCOPE_PICKED,
        validators=[InputRequired(_l("Chọn phạm vi giao nhiệm vụ."))],
    )
    role = RadioField(
        _l("Vai trò"),
        choices=choices([(workflow.LEAD, _l("Chủ trì")), (workflow.SUPPORT, _l("Phối hợp"))]),
        default=workflow.LEAD,
        validators=[InputRequired(_l("Chọn vai trò."))],
    )


class NudgeForm(BaseForm):
    """The office reminds units that have not reported: all of them, or the ones ticked."""

    assignment_ids = SelectMultipleField(_l("Đơn vị chưa báo cáo"), coerce=int, validate_choice=False)
    message = TextAreaField(_l("Lời nhắn (không bắt buộc)"), validators=[Optional(), Length(max=1000)])


class CommentForm(IdempotentForm):
    text = TextAreaField(_l("Ý kiến chỉ đạo"), validators=[DataRequired(_l("Nhập nội dung ý kiến.")), Length(max=5000)])


class ReportForm(IdempotentForm):
    text = TextAreaField(
        _l("Nội dung báo cáo"), validators=[DataRequired(_l("Nhập nội dung báo cáo.")), Length(max=10000)]
    )
    percent = IntegerField(
        _l("Tỷ lệ hoàn thành (%)"),
        validators=[
            InputRequired(_l("Nhập tỷ lệ hoàn thành.")),
            Range(min=0, max=100, message=_l("Tỷ lệ hoàn thành từ 0 đến 100.")),
        ],
    )
    files = MultipleFileField(_l("Tệp đính kèm"))


class CompletionForm(BaseForm):
    note = TextAreaField(_l("Kết quả thực hiện (không bắt buộc)"), validators=[Optional(), Length(max=5000)])


class ExtensionForm(BaseForm):
    requested_deadline = DateField(_l("Đề nghị gia hạn đến ngày"), validators=[InputRequired(_l("Nhập ngày đề nghị gia hạn."))])
    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(_l("Nêu lý do đề nghị gia hạn.")), Length(max=5000)])


class ReviewForm(BaseForm):
    """The coordinator's answer to a completion request: confirm, or send back with a reason."""

    note = TextAreaField(_l("Nhận xét (bắt buộc khi trả lại)"), validators=[Optional(), Length(max=5000)])


class ExtensionDecisionForm(BaseForm):
    note = TextAreaField(_l("Ý kiến (bắt buộc khi không đồng ý)"), validators=[Optional(), Length(max=5000)])


class StopForm(BaseForm):
    """Suspend or cancel, with a reason."""

    reason = TextAreaField(_l("Lý do"), validators=[DataRequired(_l("Nêu lý do.")), Length(max=5000)])


class ResumeForm(BaseForm):
    pass


class DirectiveFilterForm(BaseForm):
    """The directive list's filters, read from the query string."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Tình trạng"), validate_choice=False)
    field_id = SelectField(_l("Lĩnh vực"), coerce=optional_int, validate_choice=False)
    meeting_id = SelectField(_l("Hội nghị"), coerce=optional_int, validate_choice=False)
    unit_id = SelectField(_l("Đơn vị"), coerce=optional_int, validate_choice=False)
    issuer = SelectField(_l("Người chỉ đạo"), validate_choice=False)
    deadline_from = DateField(_l("Hạn từ ngày"))
    deadline_to = DateField(_l("Đến ngày"))
    sort = SelectField(
        _l("Sắp xếp"),
        choices=choices([("-created", _l("Mới ban hành trước")), ("deadline", _l("Hạn sớm nhất trước")), ("title", _l("Theo trích yếu"))]),
        validate_choice=False,
    )

    def validate_deadline_to(self, field):
        if field.data and self.deadline_from.data and field.data < self.deadline_from.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))


class AssignmentFilterForm(BaseForm):
    """The assignments list's filters."""

    class Meta:
        csrf = False

    q = StringField(_l("Tìm"), validators=[Optional(), Length(max=100)])
    status = SelectField(_l("Tình trạng"), validate_choice=False)
    unit_id = SelectField(_l("Đơn vị"), coerce=optional_int, validate_choice=False)
    field_id = SelectField(_l("Lĩnh vực"), coerce=optional_int, validate_choice=False)
    # A period: assignments followed in it (given by its last day, not finished before its
    # first), with their status taken on its last day.
    date_from = DateField(_l("Theo dõi từ ngày"))
    date_to = DateField(_l("Đến ngày"))

    def validate_date_to(self, field):
        if field.data and self.date_from.data and field.data < self.date_from.data:
            raise ValidationError(_l("Ngày kết thúc phải sau ngày bắt đầu."))


class RowFilterForm(BaseForm):
    """Filters of the assignments table on a directive page."""

    class Meta:
        csrf = False

    status = SelectField(_l("Tình trạng"), validate_choice=False)
    role = SelectField(
        _l("Vai trò"),
        choices=choices([("", _l("Tất cả")), (workflow.LEAD, _l("Chủ trì")), (workflow.SUPPORT, _l("Phối hợp"))]),
        validate_choice=False,
    )
    unit_q = StringField(_l("Tìm đơn vị"), validators=[Optional(), Length(max=100)])
