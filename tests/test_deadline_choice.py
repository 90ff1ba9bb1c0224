"""A deadline given as n calendar or working days: the Period value and the preview line."""

from datetime import date

import pytest

from app.deadline_choice import Period, preview_text, weekday_and_date
from app.deadlines import WorkingCalendar


def test_the_tet_2026_arithmetic_the_feature_tests_rely_on():
    calendar = WorkingCalendar()
    # Friday 13/02/2026; Tết is 16-20/02; the count starts the next day.
    assert calendar.deadline_from(date(2026, 2, 13), 5, "working") == date(2026, 2, 27)
    assert calendar.deadline_from(date(2026, 2, 13), 15, "working") == date(2026, 3, 13)
    # 5 calendar days end on 18/02, a Tết day: the deadline moves to the next working day.
    assert calendar.deadline_from(date(2026, 2, 13), 5, "calendar") == date(2026, 2, 23)


def test_period_counts_through_app_deadlines(app):
    with app.app_context():
        assert Period(5, "working").deadline_from(date(2026, 2, 13)) == date(2026, 2, 27)
        assert Period(5).deadline_from(date(2026, 2, 13)) == date(2026, 2, 23)


def test_period_labels_and_unknown_unit(app):
    with app.test_request_context():
        assert Period(15, "working").label == "15 ngày làm việc"
        assert Period(30).label == "30 ngày"
    with pytest.raises(ValueError):
        Period(5, "lunar")


def test_preview_names_the_weekday_and_warns_of_a_day_off(app):
    with app.test_request_context():
        assert weekday_and_date(date(2026, 2, 27)) == "thứ Sáu, 27/02/2026"
        assert weekday_and_date(date(2026, 3, 1)) == "Chủ nhật, 01/03/2026"
        assert preview_text(date(2026, 2, 27)) == "Ngày đã chọn: thứ Sáu, 27/02/2026"
        assert preview_text(date(2026, 2, 17)).endswith("ngày nghỉ, không phải ngày làm việc")
