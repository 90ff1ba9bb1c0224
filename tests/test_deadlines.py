"""Working-day arithmetic over weekends, Tết 2026 (16–20/02), year ends and an admin's day off."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app import clock, deadlines
from app.days_off import services as days_off
from app.days_off.models import DayOff
from app.deadlines import (
    WorkingCalendar,
    add_working_days,
    deadline_from,
    is_working_day,
    working_days_between,
)
from app.extensions import db
from app.models import User

D = date


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (D(2026, 2, 13), True),  # Friday before Tết
        (D(2026, 2, 14), False),  # Saturday
        (D(2026, 2, 15), False),  # Sunday
        (D(2026, 2, 16), False),  # 29 Tết (Giao thừa)
        (D(2026, 2, 17), False),  # Mùng 1
        (D(2026, 2, 20), False),  # Mùng 4
        (D(2026, 2, 23), True),  # first working day after Tết
        (D(2026, 1, 1), False),  # Tết Dương lịch
        (D(2026, 4, 27), False),  # Giỗ Tổ Hùng Vương falls on Sunday 26/04: Monday is off instead
        (D(2026, 9, 2), False),  # Quốc khánh
        (D(2026, 8, 31), False),  # bridge day off, swapped with Saturday 22/08
        (D(2026, 8, 22), True),  # that Saturday is worked
        (D(2026, 3, 4), True),
    ],
)
def test_is_working_day(day, working):
    assert is_working_day(day) is working


@pytest.mark.parametrize(
    ("start", "days", "expected"),
    [
        (D(2026, 2, 13), 1, D(2026, 2, 23)),  # received Friday before Tết: due the Monday after
        (D(2026, 2, 12), 2, D(2026, 2, 23)),
        (D(2026, 2, 12), 1, D(2026, 2, 13)),  # the receipt day itself is not counted
        (D(2026, 2, 14), 1, D(2026, 2, 23)),  # received on a Saturday: counting still starts after it
        (D(2026, 2, 17), 5, D(2026, 2, 27)),  # received during Tết
        (D(2026, 2, 9), 10, D(2026, 3, 2)),  # four working days, Tết, then six more
        (D(2026, 3, 6), 1, D(2026, 3, 9)),  # Friday to Monday over a plain weekend
        (D(2026, 3, 2), 5, D(2026, 3, 9)),
        (D(2025, 12, 31), 1, D(2026, 1, 2)),  # over New Year's Day and the year boundary
        (D(2025, 12, 30), 3, D(2026, 1, 5)),
        (D(2026, 8, 21), 1, D(2026, 8, 22)),  # the worked Saturday counts
        (D(2026, 8, 28), 1, D(2026, 9, 3)),  # 31/08, 01/09, 02/09 off
        (D(2026, 5, 5), 0, D(2026, 5, 5)),
    ],
)
def test_add_working_days(start, days, expected):
    assert add_working_days(start, days) == expected


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (D(2026, 2, 13), D(2026, 2, 23), 1),
        (D(2026, 1, 31), D(2026, 2, 28), 15),  # 20 weekdays in February 2026, 5 of them Tết
        (D(2026, 2, 14), D(2026, 2, 22), 0),  # a weekend, Tết, a weekend
        (D(2025, 12, 31), D(2026, 1, 5), 2),  # 02/01 and 05/01
        (D(2025, 12, 26), D(2026, 1, 2), 4),  # 29, 30, 31/12 and 02/01
        (D(2026, 2, 23), D(2026, 2, 13), -1),  # reversed: negative
        (D(2026, 3, 4), D(2026, 3, 4), 0),
    ],
)
def test_working_days_between(a, b, expected):
    assert working_days_between(a, b) == expected


@pytest.mark.parametrize(
    ("start", "amount", "unit", "expected"),
    [
        (D(2026, 2, 13), 3, "calendar", D(2026, 2, 23)),  # 16/02 is Tết: moves to the next working day
        (D(2026, 1, 29), 30, "calendar", D(2026, 3, 2)),  # 28/02 is a Saturday
        (D(2026, 3, 2), 30, "calendar", D(2026, 4, 1)),  # a working day stays put
        (D(2026, 2, 13), 3, "working", D(2026, 2, 25)),
        (D(2025, 12, 15), 15, "working", D(2026, 1, 6)),
    ],
)
def test_deadline_from(start, amount, unit, expected):
    assert deadline_from(start, amount, unit) == expected


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="unknown deadline unit"):
        deadline_from(D(2026, 3, 2), 3, "weeks")
    with pytest.raises(ValueError, match="between 0 and"):
        add_working_days(D(2026, 3, 2), -1)
    with pytest.raises(TypeError):
        add_working_days(D(2026, 3, 2), 1.5)
    with pytest.raises(TypeError):
        add_working_days("2026-03-02", 1)


def test_a_moment_counts_as_the_provinces_date():
    # 18:00 UTC on Thursday 12/02 is already 01:00 on Friday 13/02 in Vietnam.
    assert add_working_days(datetime(2026, 2, 12, 18, 0, tzinfo=UTC), 1) == D(2026, 2, 23)
    assert add_working_days(datetime(2026, 2, 12, 16, 0, tzinfo=UTC), 1) == D(2026, 2, 13)
    assert clock.local_date(datetime(2025, 12, 31, 17, 30, tzinfo=UTC)) == D(2026, 1, 1)


def test_holiday_names_come_from_the_holidays_package_in_vietnamese():
    names = dict(deadlines.public_holidays(2026))
    assert names[D(2026, 2, 17)] == "Tết Nguyên đán"
    assert D(2026, 2, 16) in names and D(2026, 2, 20) in names
    assert deadlines.public_holiday_name(D(2026, 3, 4)) is None


def test_extra_day_off_is_skipped(app, users):
    with app.app_context():
        assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)
        admin = db.session.get(User, users["admin"].id)
        days_off.add_day_off(D(2026, 1, 2), "Tỉnh cho nghỉ bù", actor=admin)
        db.session.commit()
        assert not is_working_day(D(2026, 1, 2))
        assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
        assert working_days_between(D(2025, 12, 31), D(2026, 1, 5)) == 1
        assert deadline_from(D(2025, 12, 30), 3, "calendar") == D(2026, 1, 5)
    with app.app_context():  # a new request reads the day off from the database
        assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 5)
        day_off = db.session.scalar(db.select(DayOff))
        days_off.remove_day_off(day_off, actor=None)
        db.session.commit()
        assert add_working_days(D(2025, 12, 31), 1) == D(2026, 1, 2)


days = st.dates(min_value=D(2024, 1, 1), max_value=D(2028, 12, 31))


@settings(max_examples=200, deadline=None)
@given(start=days, count=st.integers(min_value=0, max_value=60))
def test_counting_back_gives_the_number_added(start, count):
    calendar = WorkingCalendar([D(2026, 6, 1)])
    end = calendar.add_working_days(start, count)
    assert calendar.working_days_between(start, end) == count
    if count:
        assert calendar.is_working_day(end)
        assert calendar.working_days_between(start, end - timedelta(days=1)) == count - 1
