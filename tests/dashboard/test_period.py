"""Periods: this week, month, quarter or a custom range; the day statuses are taken on; the one before."""

from datetime import date

import pytest

from app.dashboard import period as periods

TODAY = date(2025, 11, 12)  # a Wednesday


@pytest.mark.parametrize(
    ("kind", "start", "end"),
    [
        ("week", date(2025, 11, 10), date(2025, 11, 16)),
        ("month", date(2025, 11, 1), date(2025, 11, 30)),
        ("quarter", date(2025, 10, 1), date(2025, 12, 31)),
        (None, date(2025, 11, 1), date(2025, 11, 30)),  # the default: this month
        ("bogus", date(2025, 11, 1), date(2025, 11, 30)),
    ],
)
def test_named_periods_are_calendar_units_containing_today(kind, start, end):
    chosen = periods.resolve(kind, TODAY)
    assert (chosen.start, chosen.end) == (start, end)
    assert chosen.as_of == TODAY  # the period has not ended: statuses are today's


def test_previous_period_is_the_previous_unit_over_as_many_days():
    month = periods.resolve("month", TODAY)
    assert month.days == 12
    before = month.previous()
    assert (before.start, before.end) == (date(2025, 10, 1), date(2025, 10, 12))
    week = periods.resolve("week", TODAY).previous()
    assert (week.start, week.end) == (date(2025, 11, 3), date(2025, 11, 5))
    # A finished quarter of 92 days is compared with the whole previous one (91 days).
    quarter = periods.resolve("quarter", date(2026, 1, 5)).previous()
    assert (quarter.start, quarter.end) == (date(2025, 10, 1), date(2025, 10, 5))
    full = periods.Period("quarter", date(2025, 10, 1), date(2025, 12, 31), date(2026, 2, 1)).previous()
    assert (full.start, full.end) == (date(2025, 7, 1), date(2025, 9, 30))
    march = periods.Period("month", date(2025, 3, 1), date(2025, 3, 31), date(2025, 5, 1)).previous()
    assert (march.start, march.end) == (date(2025, 2, 1), date(2025, 2, 28))  # clamped to February


def test_custom_range_and_the_days_before_it():
    chosen = periods.resolve("custom", TODAY, date(2025, 9, 1), date(2025, 9, 30))
    assert chosen.as_of == date(2025, 9, 30)  # ended: statuses on its last day
    before = chosen.previous()
    assert (before.start, before.end) == (date(2025, 8, 2), date(2025, 8, 31))
    # Dates without a kind mean a custom range.
    assert periods.resolve(None, TODAY, date(2025, 9, 1), date(2025, 9, 30)).kind == "custom"


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2025, 9, 30), date(2025, 9, 1), "Ngày kết thúc phải sau ngày bắt đầu."),
        (date(2025, 9, 1), None, "Nhập cả ngày bắt đầu và ngày kết thúc."),
        (date(2015, 1, 1), date(2025, 1, 1), "Khoảng thời gian dài nhất là 5 năm."),
    ],
)
def test_bad_custom_ranges_are_refused_with_a_message(start, end, message):
    with pytest.raises(periods.PeriodError, match=message):
        periods.resolve("custom", TODAY, start, end)


def test_quarter_bounds_across_the_year():
    assert periods.unit_bounds("quarter", date(2025, 12, 31)) == (date(2025, 10, 1), date(2025, 12, 31))
    assert periods.unit_bounds("quarter", date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))
    assert periods.unit_bounds("month", date(2024, 2, 10)) == (date(2024, 2, 1), date(2024, 2, 29))
