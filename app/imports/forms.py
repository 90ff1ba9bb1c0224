"""Forms of the import screens: upload a file, confirm or drop a preview, pick what to download."""

from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import SelectField

from app.forms import BaseForm, IdempotentForm, optional_int


class UploadForm(IdempotentForm):
    """A file sent twice (a double click, Back then send) opens the first sending's preview."""

    # No FileRequired: services.check_spreadsheet says what is wrong in one place.
    file = FileField(_l("Tệp Excel (.xlsx)"))


class ConfirmForm(BaseForm):
    """Confirm or discard a preview: only the CSRF token; the rows stay on the server."""


class ProgressDownloadForm(BaseForm):
    """Which open assignments to download (read from the query string)."""

    class Meta:
        csrf = False

    directive = SelectField(_l("Chỉ đạo"), coerce=optional_int, validate_choice=False)
    unit = SelectField(_l("Đơn vị"), coerce=optional_int, validate_choice=False)
