"""Shared pieces of list screens: allow-listed sorting and page numbers from the query string."""

from flask import request


def page_number(arg: str = "page") -> int:
    """The requested page, 1 when missing or bad."""
    raw = request.args.get(arg, "1")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100000 else 1


def parse_sort(allowed: dict, default: str) -> tuple[str, object]:
    """Turn ?sort=name or ?sort=-name into an ORDER BY clause taken only from allowed."""
    raw = request.args.get("sort", default)
    key = raw.lstrip("-")
    if key not in allowed:
        raw, key = default, default.lstrip("-")
    column = allowed[key]
    return raw, (column.desc() if raw.startswith("-") else column.asc())
