"""Form pieces every feature shares: the base form, dd/mm/yyyy dates, choices.

WTForms ships no Vietnamese catalogue, so its own messages ("Not a valid integer value.")
come from our translations/vi/LC_MESSAGES/wtforms.po, compiled in memory once.

Every text field of every form (StringField and its kin: text areas, hidden fields, the
money field; passwords apart) is cleaned as it is read: control and invisible characters
go, line breaks become "\n" (app.text.clean). A NUL byte is refused with a message next to
the field, passwords included: PostgreSQL cannot store one, and it is never typed on purpose.
"""

import datetime as dt
import io
import re
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as flask_wtf_translations
from markupsafe import escape
from wtforms import DateField as _DateField
from wtforms import HiddenField, PasswordField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, StopValidation, ValidationError
from wtforms.widgets import Select, TextInput

from app import idempotency, text
from app.urls import parse_id

CATALOGUE_DIR = Path(__file__).parent / "translations"


@cache
def _wtforms_catalogue(locale: str) -> Translations | None:
    """Load translations/<locale>/LC_MESSAGES/wtforms.po, compiled in memory once."""
    path = CATALOGUE_DIR / locale / "LC_MESSAGES" / "wtforms.po"
    if not path.exists():
        return None
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(fp=buffer, domain="wtforms")


def refuse_nul(form, field):
    """Refuse a value holding a NUL byte (what was typed stays in the box, without it)."""
    if any(isinstance(value, str) and "\x00" in value for value in field.raw_data or ()):
        raise StopValidation(_l("Ô này có ký tự không hợp lệ (ký tự rỗng, mã 0), thường do dán từ phần mềm khác. "
                                "Hãy kiểm tra lại nội dung rồi gửi lại."))


def single_line(form, field):
    """Refuse a line break in a value that must stay on one line (a name goes into e-mail headers)."""
    if isinstance(field.data, str) and "\n" in field.data.strip():
        raise ValidationError(_l("Ghi trên một dòng, không xuống dòng."))


class FastSelect(Select):
    """WTForms' <select>, each plain option written by one format instead of html_params.

    The list filters carry hundreds of options (300 meetings, 159 units, the fields): WTForms
    builds every option's attributes through sorted keyword arguments and Markup.format, which
    was a quarter of the directive list's CPU (bench/page_profile.py). The HTML is the same
    byte for byte (attributes in html_params' sorted order: selected, then value); an option
    with its own attributes goes the stock way.
    """

    @classmethod
    def render_option(cls, choice, **kwargs):
        if kwargs or choice.render_kw:
            return Select.render_option(choice, **kwargs)
        value = str(choice.value) if isinstance(choice.value, bool) else choice.value
        selected = "selected " if choice.selected else ""
        return f'<option {selected}value="{escape(value)}">{escape(choice.label or choice.value)}</option>'


class Mandatory:
    """Mark a field required (star, `required`, aria-required) whose check lives elsewhere.

    For fields a choice or a validate_<name> method already enforces: the mark tells users
    and screen readers up front, without a second, differently worded message.
    """

    field_flags = {"required": True}

    def __call__(self, form, field):
        return None


class BaseForm(FlaskForm):
    """Every form of the site derives from this one."""

    class Meta(FlaskForm.Meta):
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if type(field.widget) is Select:
                field.widget = FastSelect(multiple=field.widget.multiple)
            if isinstance(field, StringField):
                field.validators = [refuse_nul, *field.validators]
                if not isinstance(field, PasswordField):  # a password is checked exactly as typed
                    field.filters = [text.clean, *field.filters]
            return field

        def get_translations(self, form):
            catalogue = _wtforms_catalogue(str(get_locale() or "vi"))
            return catalogue if catalogue is not None else flask_wtf_translations


class IdempotentForm(BaseForm):
    """A form that creates something: it carries a key issued when it is rendered, so that
    sending it twice shows the first result instead of making a copy (app.idempotency)."""

    idempotency_key = HiddenField()

    def issue_key(self) -> None:
        """Give the form a fresh key (on GET); a form shown again after an error keeps its own."""
        if not self.idempotency_key.data:
            self.idempotency_key.data = idempotency.new_key()

    def clean_idempotency_key(self) -> str | None:
        return idempotency.clean(self.idempotency_key.data)


# 05/01/2026, 5/1/2026, 5-1-2026 or 5.1.2026 (day first, as everyone here writes it); 2026-01-05
# from links and from browsers' own date boxes.
_DAY_FIRST = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
DATE_PLACEHOLDER = "dd/mm/yyyy"


def parse_day(text: str | None) -> dt.date | None:
    """The date typed in text (day first, or ISO), None when it is no date at all."""
    text = (text or "").strip()
    if match := _ISO.fullmatch(text):
        year, month, day = map(int, match.groups())
    elif match := _DAY_FIRST.fullmatch(text):
        day, month, year = map(int, match.groups())
    else:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


class DateInput(TextInput):
    """A plain text box for dd/mm/yyyy whatever the browser's language (a native date box shows
    mm/dd/yyyy in an English browser); static/js/dates.js adds the calendar button."""

    def __call__(self, field, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("autocomplete", "off")
        kwargs.setdefault("placeholder", DATE_PLACEHOLDER)
        kwargs.setdefault("maxlength", 20)
        kwargs.setdefault("data-date-picker", "")
        kwargs["class"] = " ".join(filter(None, [kwargs.get("class", ""), "date-input"]))
        return super().__call__(field, **kwargs)


class DateField(_DateField):
    """A date typed as 05/01/2026 or 5/1/2026 (or sent as 2026-01-05), shown as 05/01/2026."""

    widget = DateInput()

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", "%d/%m/%Y")
        kwargs.setdefault(
            "invalid_value_message", _l("Ngày không hợp lệ: nhập theo dạng ngày/tháng/năm, ví dụ 05/01/2026.")
        )
        super().__init__(label, validators, **kwargs)

    def _value(self):
        # A date read is shown the one way (5/1/2026 comes back as 05/01/2026); a wrong one as typed.
        if self.data is not None:
            return self.data.strftime("%d/%m/%Y")
        return " ".join(self.raw_data or ())

    def process_formdata(self, valuelist):
        # An empty box is "no date", not a bad one: InputRequired says when one is needed.
        text = " ".join(valuelist or ()).strip()
        if not text:
            self.data = None
            return
        self.data = parse_day(text)
        if self.data is None:
            raise ValueError(self.invalid_value_message)


class Range(NumberRange):
    """NumberRange that stays quiet when the value did not even parse (one message is enough)."""

    def __call__(self, form, field):
        if field.data is None:
            return
        super().__call__(form, field)


def optional_int(value):
    """Coerce for filter selects of ids whose "all" option is empty; no id is beyond the database's."""
    if value is None or value == "":
        return None
    number = value if isinstance(value, int) and not isinstance(value, bool) else parse_id(str(value))
    if number is None:
        raise ValueError(value)
    return number


def choices(pairs) -> list[SelectChoice]:
    """(value, label) pairs as the SelectChoice objects WTForms 3.3 wants."""
    return [SelectChoice(value, label) for value, label in pairs]
