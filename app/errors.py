"""Friendly Vietnamese error pages (and short fragments for htmx requests)."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError

from app.extensions import db
from app.htmx import is_htmx

API_PREFIX = "/api/"

MESSAGES = {
    400: (_l("Yêu cầu không hợp lệ"), _l("Dữ liệu gửi lên không hợp lệ. Tải lại trang rồi làm lại thao tác.")),
    403: (_l("Không có quyền truy cập"), _l("Tài khoản của bạn không được phép thực hiện thao tác này.")),
    404: (_l("Không tìm thấy trang"), _l("Trang hoặc hồ sơ bạn tìm không tồn tại, hoặc bạn không có quyền xem.")),
    405: (_l("Thao tác không được hỗ trợ"), _l("Trang này không hỗ trợ thao tác vừa gửi.")),
    409: (_l("Dữ liệu đã thay đổi"), _l("Hồ sơ vừa được người khác cập nhật. Tải lại trang để xem bản mới nhất.")),
    413: (_l("Tệp quá lớn"), _l("Tệp hoặc dữ liệu gửi lên vượt quá dung lượng cho phép.")),
    429: (_l("Thử quá nhiều lần"), _l("Bạn đã thử quá nhiều lần. Đợi một phút rồi thử lại.")),
    500: (_l("Lỗi hệ thống"), _l("Đã có lỗi xảy ra. Dữ liệu đã lưu trước đó không bị mất; thử lại sau ít phút.")),
}


def render_error(status: int, detail: str | None = None):
    if request.path.startswith(API_PREFIX):  # a URL under the API that matched no route
        from app.api.problems import response

        return response(status)
    title, message = MESSAGES.get(status, MESSAGES[500])
    template = "errors/_error.html" if is_htmx() else "errors/error.html"
    return render_template(template, status=status, title=title, message=detail or message), status


def register_error_handlers(app) -> None:
    for status in MESSAGES:
        if status == 500:
            continue
        app.register_error_handler(status, lambda e, s=status: render_error(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return render_error(400, str(_l("Phiên làm việc đã hết hạn hoặc thiếu mã bảo mật. Tải lại trang rồi làm lại thao tác.")))

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return render_error(500)
