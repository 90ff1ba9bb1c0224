"""Locale choice: Vietnamese unless the user asks for another catalogue that exists."""

import os

from flask import g, has_app_context, request
from flask_babel import Domain

SUPPORTED = ("vi", "en")


def select_locale() -> str:
    """Vietnamese first; ?lang=en only where an English catalogue is wanted."""
    wanted = request.args.get("lang") if request else None
    if wanted in SUPPORTED:
        return wanted
    return "vi"


class RequestDomain(Domain):
    """flask_babel's message domain, with the request's catalogue remembered for the request.

    flask_babel finds the catalogue again on every gettext: five context-local lookups, the
    locale and its identifier string. A page translates a label per row (status, links,
    lazy labels): 1,300 times on a directive with 135 units, a fifth of its CPU
    (bench/page_profile.py). The catalogue is kept on flask_babel's own request namespace
    next to the locale it was found for, and found again when the locale object changes
    (force_locale, used for e-mails, sets a new one and puts the old one back).
    """

    def get_translations(self):
        try:
            context = g._flask_babel
            remembered = context.giaoban_translations
            if remembered[0] is context.babel_locale:
                return remembered[1]
        except (AttributeError, RuntimeError):  # nothing remembered yet, or outside a request
            pass
        translations = super().get_translations()
        context = g.get("_flask_babel") if has_app_context() else None
        locale = getattr(context, "babel_locale", None)
        if locale is not None:
            context.giaoban_translations = (locale, translations)
        return translations


def init_babel(app, babel) -> None:
    """Bind flask_babel with our locale choice and the remembering domain."""
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=os.path.join(os.path.dirname(__file__), "translations"),
    )
    babel.domain_instance = RequestDomain(domain=app.config.get("BABEL_DOMAIN", "messages"))
