"""RFC 9457 problem details: every API error as application/problem+json.

`title` is Vietnamese (what a clerk reads), `title_en` English (what another system's
engineer reads); field errors list the field and a Vietnamese and English message.
"""

from __future__ import annotations

from flask import jsonify
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException

from app.extensions import db

PROBLEM_TYPE = "https://giaoban.gov.vn/problems/"  # a name, not fetched: the slug says the kind

TITLES = {
    400: ("bad-request", _l("Yêu cầu không hợp lệ"), "Bad request"),
    401: ("unauthenticated", _l("Thiếu khóa truy cập hoặc khóa không còn hiệu lực"), "Missing, expired or revoked API token"),
    403: ("forbidden", _l("Khóa truy cập không được phép thực hiện thao tác này"), "The API token may not do this"),
    404: ("not-found", _l("Không tìm thấy, hoặc bạn không có quyền xem"), "Not found, or not visible to this token"),
    405: ("method-not-allowed", _l("Thao tác không được hỗ trợ"), "Method not allowed"),
    406: ("not-acceptable", _l("Định dạng yêu cầu không được hỗ trợ"), "Not acceptable"),
    409: ("conflict", _l("Xung đột dữ liệu"), "Conflict"),
    412: ("precondition-failed", _l("Hồ sơ đã được người khác cập nhật"), "The version in If-Match is not the current one"),
    413: ("too-large", _l("Dữ liệu gửi lên quá lớn"), "Request too large"),
    415: ("unsupported-media-type", _l("Dữ liệu phải ở dạng JSON"), "The body must be JSON"),
    422: ("validation", _l("Dữ liệu gửi lên chưa đúng"), "Validation failed"),
    428: ("precondition-required", _l("Thiếu phiên bản hồ sơ (If-Match)"), "If-Match is required"),
    429: ("rate-limited", _l("Gửi quá nhiều yêu cầu; đợi ít phút rồi gửi lại"), "Too many requests"),
    500: ("server-error", _l("Lỗi hệ thống"), "Internal server error"),
}

# webargs/marshmallow's messages in Vietnamese; anything else is shown as it is in English.
FIELD_MESSAGES = {
    "Missing data for required field.": _l("Trường này là bắt buộc."),
    "Field may not be null.": _l("Trường này không được để trống."),
    "Not a valid integer.": _l("Phải là một số nguyên."),
    "Not a valid string.": _l("Phải là chuỗi ký tự."),
    "Not a valid boolean.": _l("Phải là true hoặc false."),
    "Not a valid date.": _l("Ngày phải theo dạng YYYY-MM-DD."),
    "Not a valid list.": _l("Phải là một danh sách."),
    "Unknown field.": _l("Trường này không có trong tài liệu API."),
    "Invalid input type.": _l("Dữ liệu phải là một đối tượng JSON."),
    "Invalid value.": _l("Giá trị không hợp lệ."),
}


class Problem(Exception):
    """Raise from a view to answer a problem; field errors are {field: message}."""

    def __init__(self, status: int, detail: str | None = None, *, errors: dict | None = None,
                 headers: dict | None = None, slug: str | None = None):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.errors = errors or {}
        self.headers = headers or {}
        self.slug = slug


def _message_pair(message) -> tuple[str, str]:
    english = str(message)
    if english in FIELD_MESSAGES:
        return str(FIELD_MESSAGES[english]), english
    if english.startswith("Must be one of"):
        return str(_l("Giá trị không nằm trong danh sách cho phép.")), english
    if english.startswith("Length must be") or english.startswith("Shorter than") or english.startswith("Longer than"):
        return str(_l("Độ dài không hợp lệ.")), english
    if english.startswith("Must be greater") or english.startswith("Must be less"):
        return str(_l("Giá trị nằm ngoài khoảng cho phép.")), english
    return english, english


def _flatten(messages, prefix: str = "") -> list[dict]:
    """webargs' nested {location: {field: [messages]}} as a flat list of field errors."""
    out = []
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key in ("json", "query", "headers", "form", "view_args") and not prefix:
                out.extend(_flatten(value, ""))
            else:
                name = f"{prefix}.{key}" if prefix else str(key)
                out.extend(_flatten(value, name))
    elif isinstance(messages, list | tuple):
        for item in messages:
            out.extend(_flatten(item, prefix))
    else:
        vi, en = _message_pair(messages)
        out.append({"field": prefix or None, "message": vi, "message_en": en})
    return out


def response(status: int, detail: str | None = None, *, errors=None, headers=None, slug: str | None = None):
    default_slug, title, title_en = TITLES.get(status, TITLES[500] if status >= 500 else TITLES[400])
    body = {
        "type": PROBLEM_TYPE + (slug or default_slug),
        "title": str(title),
        "title_en": title_en,
        "status": status,
    }
    if detail:
        body["detail"] = str(detail)
    if errors:
        body["errors"] = errors if isinstance(errors, list) else [
            {"field": field, "message": str(message), "message_en": str(message)}
            for field, message in errors.items()
        ]
    reply = jsonify(body)
    reply.status_code = status
    reply.mimetype = "application/problem+json"
    for name, value in (headers or {}).items():
        reply.headers[name] = value
    return reply


def handle_problem(error: Problem):
    return response(error.status, error.detail, errors=error.errors, headers=error.headers, slug=error.slug)


def handle_http_exception(error: HTTPException):
    """Any HTTP error raised inside the API (abort(404), webargs' 422, the limiter's 429)."""
    status = error.code or 500
    errors = None
    data = getattr(error, "data", None) or {}
    if status == 422 and "messages" in data:
        errors = _flatten(data["messages"])
    headers = {}
    if status == 405 and error.valid_methods:
        headers["Allow"] = ", ".join(error.valid_methods)
    if status == 429:
        headers.update(dict(getattr(error, "headers", None) or {}))
    detail = None if status in (404, 500) else _safe_detail(error)
    return response(status, detail, errors=errors, headers=headers)


def _safe_detail(error: HTTPException) -> str | None:
    description = getattr(error, "description", None)
    return str(description) if isinstance(description, str) and len(description) < 300 else None


def handle_server_error(error):
    db.session.rollback()
    return response(500)
