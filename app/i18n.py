"""Locale choice: Vietnamese unless the user asks for another catalogue that exists."""

from flask import request

SUPPORTED = ("vi", "en")


def select_locale() -> str:
    """Vietnamese first; ?lang=en only where an English catalogue is wanted."""
    wanted = request.args.get("lang") if request else None
    if wanted in SUPPORTED:
        return wanted
    return "vi"
