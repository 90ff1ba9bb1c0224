"""Form pieces shared by feature forms: Vietnamese built-in messages and dd/mm/yyyy dates.

WTForms ships no Vietnamese catalogue, so its own messages ("Not a valid integer value.")
would reach users in English. VNForm translates the few that forms here can produce.
"""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField as _DateField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange

_BUILTIN_MESSAGES = {
    "This field is required.": _l("Trường này là bắt buộc."),
    "Not a valid integer value.": _l("Nhập một số nguyên."),
    "Not a valid date value.": _l("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026."),
    "Not a valid choice.": _l("Lựa chọn không hợp lệ."),
    "Invalid Choice: could not coerce.": _l("Lựa chọn không hợp lệ."),
    "'%(value)s' is not a valid choice for this field.": _l("Lựa chọn không hợp lệ."),
    "Invalid field name '%(field)s'.": _l("Lựa chọn không hợp lệ."),
}


class _Messages:
    """The translations object WTForms asks for its built-in messages."""

    def gettext(self, message: str) -> str:
        return str(_BUILTIN_MESSAGES.get(message, message))

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.gettext(singular if n == 1 else plural)


class VNForm(FlaskForm):
    """FlaskForm whose built-in WTForms messages are Vietnamese."""

    class Meta:
        def get_translations(self, form):
            return _Messages()


class DateField(_DateField):
    """A date typed as 05/01/2026 or sent by <input type=date> as 2026-01-05."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("invalid_value_message", _BUILTIN_MESSAGES["Not a valid date value."])
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        # An empty box is "no date", not a bad one: InputRequired says when one is needed.
        if valuelist and not " ".join(valuelist).strip():
            self.data = None
            return
        super().process_formdata(valuelist)


class Range(NumberRange):
    """NumberRange that stays quiet when the value did not even parse (one message is enough)."""

    def __call__(self, form, field):
        if field.data is None:
            return
        super().__call__(form, field)


def optional_int(value):
    """Coerce for filter selects whose "all" option is empty."""
    if value is None or value == "":
        return None
    return int(value)


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3 wants."""
    return [SelectChoice(value, label) for value, label in pairs]
