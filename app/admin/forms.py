"""Admin forms: accounts, units, fields, settings."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional, Regexp

from app import deadlines, policy
from app.forms import BaseForm, IdempotentForm, single_line
from app.models import PARTY_LAYOUT, STATE_LAYOUT, UNIT_HEAD, UNIT_OFFICER

USERNAME_RULE = Regexp(
    r"^[a-z0-9][a-z0-9._-]{2,63}$",
    message=_l("Tên đăng nhập gồm 3–64 ký tự: chữ thường không dấu, số, dấu chấm, gạch ngang."),
)


def role_choices() -> list[SelectChoice]:
    return [SelectChoice(role, str(label)) for role, label in policy.ROLE_LABELS.items()]


class _RoleChoicesMixin:
    """Fill the role choices per request, so the labels follow the request's language."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.role.choices = role_choices()


class UserCreateForm(_RoleChoicesMixin, BaseForm):
    username = StringField(_l("Tên đăng nhập"), validators=[DataRequired(_l("Nhập tên đăng nhập.")), USERNAME_RULE])
    full_name = StringField(
        _l("Họ và tên"), validators=[DataRequired(_l("Nhập họ và tên.")), single_line, Length(max=120)]
    )
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ.")), Length(max=200)])
    # The default role fits the default unit (the first provincial body), so the form saves as it opens.
    role = SelectField(_l("Vai trò"), validate_choice=True, default=policy.DEPARTMENT)
    unit_id = SelectField(_l("Đơn vị"), coerce=int, validate_choice=True)
    unit_role = SelectField(
        _l("Vị trí trong đơn vị"), validate_choice=True, default=UNIT_OFFICER,
        choices=[SelectChoice(UNIT_OFFICER, _l("Chuyên viên, công chức")),
                 SelectChoice(UNIT_HEAD, _l("Lãnh đạo đơn vị (trưởng, phó)"))],
    )


class UserEditForm(_RoleChoicesMixin, BaseForm):
    full_name = StringField(
        _l("Họ và tên"), validators=[DataRequired(_l("Nhập họ và tên.")), single_line, Length(max=120)]
    )
    email = StringField(_l("Thư điện tử"), validators=[Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ.")), Length(max=200)])
    role = SelectField(_l("Vai trò"), validate_choice=True)
    unit_id = SelectField(_l("Đơn vị"), coerce=int, validate_choice=True)
    unit_role = SelectField(
        _l("Vị trí trong đơn vị"), validate_choice=True, default=UNIT_OFFICER,
        choices=[SelectChoice(UNIT_OFFICER, _l("Chuyên viên, công chức")),
                 SelectChoice(UNIT_HEAD, _l("Lãnh đạo đơn vị (trưởng, phó)"))],
    )
    version = HiddenField()


class UnitForm(BaseForm):
    name = StringField(_l("Tên đơn vị"), validators=[DataRequired(_l("Nhập tên đơn vị.")), Length(max=200)])
    contact_name = StringField(_l("Người liên hệ"), validators=[Optional(), Length(max=120)])
    contact_phone = StringField(
        _l("Điện thoại"),
        validators=[Optional(), Length(max=40), Regexp(r"^[0-9 +().-]*$", message=_l("Số điện thoại chỉ gồm chữ số và + ( ) . -"))],
    )
    contact_email = StringField(_l("Thư điện tử"), validators=[Optional(), Email(_l("Địa chỉ thư điện tử không hợp lệ.")), Length(max=200)])
    active = BooleanField(_l("Đang hoạt động"))
    drafts_need_approval = BooleanField(
        _l("Dự thảo của chuyên viên phải được lãnh đạo đơn vị duyệt trước khi gửi đi"), default=True)
    version = HiddenField()
    # The printed header (app.documents.headers): what every report issued by the unit shows.
    doc_superior = StringField(_l("Cơ quan cấp trên (dòng trên tên cơ quan; để trống nếu không có)"),
                               validators=[Optional(), single_line, Length(max=200)])
    doc_name = TextAreaField(_l("Tên cơ quan in trên văn bản (mỗi dòng một dòng in)"),
                             validators=[Optional(), Length(max=300)])
    doc_abbr = StringField(
        _l("Chữ viết tắt trong số, ký hiệu"),
        validators=[Optional(), single_line, Length(max=40),
                    Regexp(r"^[^\s/]*$", message=_l("Chữ viết tắt không có dấu cách hay dấu “/”, ví dụ SGDĐT."))],
    )
    doc_place = StringField(_l("Địa danh ghi ngày tháng"), validators=[Optional(), single_line, Length(max=100)])
    doc_signer = TextAreaField(_l("Chức vụ người ký mặc định (mỗi dòng một dòng in)"),
                               validators=[Optional(), Length(max=200)])
    doc_layout = SelectField(
        _l("Thể thức văn bản"),
        choices=[SelectChoice(STATE_LAYOUT, _l("Nhà nước (Nghị định 30/2020/NĐ-CP)")),
                 SelectChoice(PARTY_LAYOUT, _l("Đảng (Hướng dẫn 36-HD/VPTW)"))],
        default=STATE_LAYOUT,
    )
    doc_drafts_for = SelectField(_l("Soạn văn bản thay mặt cho"), validate_choice=True, default="")


class NewUnitForm(UnitForm, IdempotentForm):
    """A new provincial body; its key makes a second sending land on the list, not on "mã đã có"."""

    code = StringField(
        _l("Mã đơn vị"),
        validators=[DataRequired(_l("Nhập mã đơn vị.")), Regexp(r"^[A-Z0-9-]{2,32}$", message=_l("Mã gồm 2–32 ký tự: chữ in hoa không dấu, số, gạch ngang."))],
    )
    kind = SelectField(
        _l("Loại"),
        choices=[
            SelectChoice("party_body", _l("Cơ quan Đảng")),
            SelectChoice("state_body", _l("Cơ quan nhà nước")),
            SelectChoice("mass_org", _l("Mặt trận, đoàn thể")),
        ],
    )


class FieldForm(IdempotentForm):
    """A field of work; the key serves only a new one (an edit is guarded by its version)."""

    name = StringField(_l("Tên lĩnh vực"), validators=[DataRequired(_l("Nhập tên lĩnh vực.")), Length(max=200)])
    default_lead_unit_id = SelectField(_l("Đơn vị chủ trì mặc định"), coerce=int, validate_choice=True)
    default_answer_days = IntegerField(
        _l("Thời hạn trả lời mặc định (ngày)"),
        validators=[Optional(), NumberRange(min=1, max=365, message=_l("Thời hạn từ 1 đến 365 ngày."))],
    )
    default_deadline_unit = SelectField(
        _l("Tính thời hạn theo"),
        choices=[SelectChoice(unit, deadlines.UNIT_LABELS[unit]) for unit in deadlines.UNITS],
        default=deadlines.CALENDAR,
    )
    active = BooleanField(_l("Đang sử dụng"))
    version = HiddenField()


class SettingsForm(BaseForm):
    default_answer_days = IntegerField(
        _l("Thời hạn trả lời kiến nghị mặc định (ngày)"),
        validators=[DataRequired(_l("Nhập số ngày.")), NumberRange(min=1, max=365, message=_l("Từ 1 đến 365 ngày."))],
    )
    due_soon_days = IntegerField(
        _l("Số ngày cảnh báo trước hạn"),
        validators=[Optional(), NumberRange(min=0, max=30, message=_l("Từ 0 đến 30 ngày."))],
    )
    nudge_gap_hours = IntegerField(
        _l("Không đôn đốc lại cùng một đơn vị trong vòng (giờ)"),
        validators=[Optional(), NumberRange(min=1, max=168, message=_l("Từ 1 đến 168 giờ."))],
    )
