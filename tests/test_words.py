"""Issue 14 §6: words as a provincial clerk writes them."""

import re
from datetime import date

from app import deadlines
from app.directives import status
from app.imports import sheets
from app.settings import SETTINGS
from app.text import in_sentence

TODAY = date(2026, 12, 2)


def _badge(app, st) -> str:
    with app.test_request_context():
        macro = app.jinja_env.get_template("directives/_macros.html").module.status_badge
        return " ".join(re.sub(r"<[^>]+>", " ", str(macro(st))).split())


def test_status_badges_say_each_thing_once(app):
    overdue = status.classify(date(2026, 11, 12), None, TODAY)
    late = status.classify(date(2026, 11, 12), date(2026, 11, 20), TODAY)
    assert _badge(app, overdue) == "Đang thực hiện quá hạn 20 ngày"
    assert _badge(app, late) == "Hoàn thành quá hạn (chậm 8 ngày)"


def test_a_commune_inside_a_sentence_is_lower_case():
    assert in_sentence("Xã Ia Boòng") == "xã Ia Boòng"
    assert in_sentence("Phường Pleiku") == "phường Pleiku"
    assert in_sentence("Sở Xây dựng") == "Sở Xây dựng"
    assert in_sentence(None) == ""


def test_labels_and_names(app):
    with app.test_request_context():
        labels = {str(spec.label) for spec in SETTINGS.values()}
        assert "Số ngày cảnh báo trước hạn" in labels
        assert not any("Cảnh báo sắp đến hạn trước" in label for label in labels)
    assert deadlines.public_holiday_name(date(2026, 2, 17)) == "Tết Nguyên đán"
    assert all("Nguyên Đán" not in name for _d, name in deadlines.public_holidays(2026))


def test_dashboard_heading_and_excel_hint(app):
    source = (app.root_path + "/../templates/dashboard/_panels.html")
    with open(source, encoding="utf-8") as f:
        assert "10 việc quá hạn lâu nhất" in f.read()
    with open(sheets.__file__, encoding="utf-8") as f:
        text = f.read()
    assert "Lưu dưới dạng" in text and "Save As" not in text
