from datetime import UTC, date, datetime

import pytest

from app.formatting import (
    format_date,
    format_datetime,
    format_document_date,
    format_number,
    format_vnd,
)


@pytest.fixture(autouse=True)
def _context(app):
    with app.test_request_context():
        yield


def test_date_is_day_month_year():
    assert format_date(date(2026, 1, 5)) == "05/01/2026"
    assert format_date(None) == ""


def test_datetime_shows_province_time():
    # 17:30 UTC is 00:30 the next day in Asia/Ho_Chi_Minh
    assert format_datetime(datetime(2025, 9, 24, 17, 30, tzinfo=UTC)) == "25/09/2025 00:30"


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2026, 1, 5), "ngày 05 tháng 01 năm 2026"),
        (date(2026, 2, 28), "ngày 28 tháng 02 năm 2026"),
        (date(2025, 9, 24), "ngày 24 tháng 9 năm 2025"),
        (date(2025, 12, 1), "ngày 01 tháng 12 năm 2025"),
    ],
)
def test_document_date_pads_day_and_first_two_months(day, expected):
    assert format_document_date(day) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(293275, "293.275"), (269439, "269.439"), (0, "0"), (1000000, "1.000.000"), (None, "")],
)
def test_number_uses_dot_thousands(value, expected):
    assert format_number(value) == expected


@pytest.mark.parametrize("value", [0, 7, -7, 999, 1000, -1234, 293275, -1000000, 10**15, 2.5, -1234.5])
def test_number_writes_what_babel_writes(value):
    """Whole numbers take a shortcut; it must write exactly what Babel writes for vi_VN."""
    from babel.numbers import format_decimal

    assert format_number(value) == format_decimal(value, locale="vi_VN", group_separator=True)


def test_vnd_is_whole_dong():
    assert format_vnd(1500000000) == "1.500.000.000 ₫"


def test_filters_are_registered_in_templates(app):
    template = app.jinja_env.from_string("{{ d|date }} {{ n|number }} {{ d|document_date }}")
    assert template.render(d=date(2026, 1, 5), n=217709) == "05/01/2026 217.709 ngày 05 tháng 01 năm 2026"
