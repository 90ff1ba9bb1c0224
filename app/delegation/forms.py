"""Delegation forms: the head's assignment, the officer's draft, the head's return note."""

from flask_babel import lazy_gettext as _l
from wtforms import IntegerField, SelectField, SelectMultipleField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional
from wtforms.widgets import CheckboxInput, ListWidget

from app.delegation import workflow
from app.forms import BaseForm, DateField, Mandatory, Range, choices
from app.proposals import workflow as proposal_workflow


class AssignForm(BaseForm):
    officer_id = SelectField(_l("Cán bộ xử lý"), coerce=int, validate_choice=True, validators=[Mandatory()])
    co_officer_ids = SelectMultipleField(
        _l("Cán bộ phối hợp (không bắt buộc)"), coerce=int, validate_choice=True,
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )
    internal_deadline = DateField(_l("Hạn nội bộ (trước hạn chính thức, không bắt buộc)"), validators=[Optional()])


class DraftForm(BaseForm):
    kind = SelectField(_l("Loại dự thảo"), validate_choice=True)
    text = TextAreaField(_l("Nội dung dự thảo"),
                         validators=[DataRequired(_l("Nhập nội dung dự thảo.")), Length(max=10000)])
    outcome = SelectField(_l("Kết quả trả lời"), validators=[Optional()],
                          choices=choices([("", _l("— Chọn kết quả —")), *proposal_workflow.OUTCOME_LABELS.items()]))
    planned_on = DateField(_l("Thời gian dự kiến hoàn thành"), validators=[Optional()])
    percent = IntegerField(_l("Tỷ lệ hoàn thành (%)"), validators=[
        Optional(), Range(min=0, max=100, message=_l("Tỷ lệ hoàn thành từ 0 đến 100."))])

    def set_kinds(self, item) -> None:
        self.kind.choices = choices([(kind, item.draft_label(kind)) for kind in item.draft_kinds])


class ReturnForm(BaseForm):
    note = TextAreaField(_l("Nội dung cần sửa"), validators=[
        DataRequired(_l("Nhập nội dung cần sửa để cán bộ biết.")), Length(max=5000)])


class ConfirmForm(BaseForm):
    """Unassign, withdraw, approve: a button and the CSRF token."""


FORMS = {
    workflow.ASSIGN: AssignForm,
    workflow.REASSIGN: AssignForm,
    workflow.SUBMIT: DraftForm,
    workflow.RETURN: ReturnForm,
    workflow.UNASSIGN: ConfirmForm,
    workflow.WITHDRAW: ConfirmForm,
    workflow.APPROVE: ConfirmForm,
}
