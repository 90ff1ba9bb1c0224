"""Forms of the conclusion-notice screens: the notice in, and one draft directive per item."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.validators import Length, Optional

from app.directives import status
from app.directives.forms import DATED, ONGOING
from app.directives.workflow import LEAD, SUPPORT
from app.forms import BaseForm, DateField, IdempotentForm, choices, optional_int

MAX_TEXT = 100_000  # characters of a pasted notice: forty items fit many times over
MAX_ITEMS = 200


class NoticeForm(BaseForm):
    file = FileField(_l("Tệp thông báo kết luận (Word .docx hoặc PDF có lớp chữ)"))
    text = TextAreaField(
        _l("Hoặc dán nội dung thông báo"), validators=[Optional(), Length(max=MAX_TEXT)]
    )

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        has_file = bool(self.file.data and getattr(self.file.data, "filename", ""))
        if ok and not has_file and not (self.text.data or "").strip():
            self.text.errors.append(str(_l("Chọn tệp thông báo hoặc dán nội dung thông báo.")))
            return False
        return ok


class IssueForm(IdempotentForm):
    """The preview's outer form: who issued, which file, how many items follow; its key makes
    a second "Ban hành" (Back, a double click) land on what the first one issued."""

    issued_by_name = StringField(_l("Người kết luận"), validators=[Optional(), Length(max=120)])
    issued_by_title = StringField(_l("Chức vụ"), validators=[Optional(), Length(max=200)])
    attachment_id = HiddenField()
    count = HiddenField()


class ItemForm(BaseForm):
    """One draft directive of the preview; its names carry the prefix items-<n>-."""

    class Meta:
        csrf = False  # the page's CSRF token covers the whole form and each htmx request

    include = BooleanField(_l("Ban hành mục này"))
    number = HiddenField()
    parser_flags = HiddenField()  # what the parser noticed in the notice, kept across corrections
    title = StringField(_l("Trích yếu"), validators=[Optional(), Length(max=300)])
    content = TextAreaField(_l("Nội dung"), validators=[Optional(), Length(max=20_000)])
    lead = HiddenField()  # unit ids, space-separated
    support = HiddenField()
    timing = SelectField(
        _l("Thời hạn"), choices=choices([(DATED, _l("Có thời hạn")), (ONGOING, _l("Thường xuyên"))]), default=DATED
    )
    deadline = DateField(_l("Hạn hoàn thành"))
    reporting_period = SelectField(
        _l("Kỳ báo cáo"),
        choices=choices([("", _l("— Chọn kỳ báo cáo —"))] + list(status.REPORTING_PERIOD_LABELS.items())),
    )
    field_id = SelectField(_l("Lĩnh vực"), coerce=optional_int, validate_choice=False)
    add_unit = StringField(_l("Thêm đơn vị"), validators=[Optional(), Length(max=200)])
    add_role = SelectField(
        _l("Vai trò"), choices=choices([(LEAD, _l("Chủ trì")), (SUPPORT, _l("Phối hợp"))]), default=LEAD
    )
