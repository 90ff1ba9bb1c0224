"""Base form: WTForms' own messages in Vietnamese (WTForms ships no Vietnamese catalogue)."""

import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask_babel import get_locale
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as flask_wtf_translations

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


class BaseForm(FlaskForm):
    """Every form of the site derives from this one."""

    class Meta(FlaskForm.Meta):
        def get_translations(self, form):
            catalogue = _wtforms_catalogue(str(get_locale() or "vi"))
            return catalogue if catalogue is not None else flask_wtf_translations
