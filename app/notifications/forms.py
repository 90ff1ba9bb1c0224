"""The user's own choice of how notifications reach them by e-mail."""

from flask_babel import lazy_gettext as _l
from wtforms import RadioField
from wtforms.fields.choices import SelectChoice

from app.forms import BaseForm
from app.notifications.models import EMAIL_PREFERENCE_LABELS


class EmailPreferenceForm(BaseForm):
    email_preference = RadioField(
        _l("Nhận thông báo qua thư điện tử"),
        choices=[SelectChoice(value, label) for value, label in EMAIL_PREFERENCE_LABELS.items()],
        validate_choice=True,
    )
