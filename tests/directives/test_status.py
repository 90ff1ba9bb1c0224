"""The five-way classification and the rates, against hand-worked examples."""

from datetime import date

import pytest

from app.directives import status
from app.directives.status import (
    CANCELLED,
    DONE_LATE,
    DONE_ON_TIME,
    ONGOING,
    OPEN_ON_TIME,
    OPEN_OVERDUE,
    SUSPENDED,
    classify,
    classify_assignment,
    completion_rate,
    count_keys,
    counts_from_mapping,
    deadline_in_force,
    format_rate,
    on_time_rate,
    reporting_period_start,
)

TODAY = date(2025, 10, 15)
DEADLINE = date(2025, 10, 15)


@pytest.mark.parametrize(
    ("deadline", "completed_on", "key", "days_overdue"),
    [
        # Done on the deadline day itself: still on time.
        (DEADLINE, date(2025, 10, 15), DONE_ON_TIME, 0),
        (DEADLINE, date(2025, 10, 1), DONE_ON_TIME, 0),
        # One day after the deadline: late by one day.
        (DEADLINE, date(2025, 10, 16), DONE_LATE, 1),
        (DEADLINE, date(2025, 11, 14), DONE_LATE, 30),
        # No deadline: ongoing, done or not.
        (None, None, ONGOING, 0),
        (None, date(2025, 10, 1), ONGOING, 0),
    ],
)
def test_done_and_ongoing(deadline, completed_on, key, days_overdue):
    result = classify(deadline, completed_on, TODAY)
    assert result.key == key
    assert result.days_overdue == days_overdue
    assert result.due_soon is False


def test_open_on_the_deadline_day_is_on_time_and_due_soon():
    result = classify(date(2025, 10, 15), None, TODAY)
    assert result.key == OPEN_ON_TIME
    assert result.days_left == 0
    assert result.due_soon is True
    assert result.label == "Đang thực hiện trong hạn"


def test_open_the_day_after_the_deadline_is_overdue_by_one_day():
    result = classify(date(2025, 10, 14), None, TODAY)
    assert result.key == OPEN_OVERDUE
    assert result.days_overdue == 1
    assert result.due_soon is False
    assert result.label == "Đang thực hiện quá hạn"


@pytest.mark.parametrize(
    ("deadline", "due_soon"),
    [
        (date(2025, 10, 18), True),   # 3 days away: within the default 3 days
        (date(2025, 10, 19), False),  # 4 days away
        (date(2025, 10, 16), True),
    ],
)
def test_due_soon_flag(deadline, due_soon):
    result = classify(deadline, None, TODAY)
    assert result.key == OPEN_ON_TIME
    assert result.due_soon is due_soon


def test_due_soon_days_is_a_parameter():
    assert classify(date(2025, 10, 20), None, TODAY, due_soon_days=5).due_soon is True
    assert classify(date(2025, 10, 16), None, TODAY, due_soon_days=0).due_soon is False
    assert classify(date(2025, 10, 15), None, TODAY, due_soon_days=0).due_soon is True


def test_approved_extension_replaces_the_deadline():
    original, extended = date(2025, 10, 10), date(2025, 10, 31)
    # Without the extension the task would be five days overdue ...
    assert classify(original, None, TODAY).key == OPEN_OVERDUE
    # ... with it, it is on time; and done on 20/10 counts as on time too.
    assert deadline_in_force(original, extended) == extended
    assert classify(deadline_in_force(original, extended), None, TODAY).key == OPEN_ON_TIME
    assert classify(deadline_in_force(original, extended), date(2025, 10, 20), TODAY).key == DONE_ON_TIME
    assert deadline_in_force(original, None) == original
    assert deadline_in_force(None, None) is None


def test_assignment_states_suspended_and_cancelled_are_counted_apart():
    assert classify_assignment("suspended", date(2025, 1, 1), None, TODAY).key == SUSPENDED
    assert classify_assignment("cancelled", date(2025, 1, 1), None, TODAY).key == CANCELLED
    # Waiting for confirmation is still open: the completion date counts only once confirmed.
    assert classify_assignment("awaiting_confirmation", date(2025, 10, 10), None, TODAY).key == OPEN_OVERDUE
    assert classify_assignment("awaiting_confirmation", date(2025, 10, 10), date(2025, 10, 9), TODAY).key == OPEN_OVERDUE
    assert classify_assignment("done", date(2025, 10, 10), date(2025, 10, 9), TODAY).key == DONE_ON_TIME
    assert classify_assignment("in_progress", None, None, TODAY).key == ONGOING


def test_counts_and_rates_hand_worked():
    # 135 communes: 90 done on time, 22 done late, 10 open on time, 8 overdue, 5 cancelled.
    keys = [DONE_ON_TIME] * 90 + [DONE_LATE] * 22 + [OPEN_ON_TIME] * 10 + [OPEN_OVERDUE] * 8 + [CANCELLED] * 5
    counts = count_keys(keys)
    assert counts.done == 112
    # The total of tasks leaves cancelled ones out (counted apart), the same everywhere.
    assert counts.total == 130
    assert counts[CANCELLED] == 5
    assert counts.due == 120
    # 112 / (112 + 8) = 0.9333...; 90 / 112 = 0.8035...
    assert counts.completion_rate == pytest.approx(112 / 120)
    assert counts.on_time_rate == pytest.approx(90 / 112)
    assert format_rate(counts.completion) == "93,3%"
    assert format_rate(counts.on_time) == "80,4%"
    assert (counts.completion.part, counts.completion.whole) == (112, 120)
    assert (counts.on_time.part, counts.on_time.whole) == (90, 112)


def test_ongoing_suspended_and_cancelled_stay_out_of_rates():
    counts = count_keys([DONE_ON_TIME, OPEN_OVERDUE, ONGOING, ONGOING, SUSPENDED, CANCELLED])
    assert counts.completion_rate == pytest.approx(0.5)
    assert counts.on_time_rate == 1.0
    assert format_rate(counts.on_time) == "100%"


def test_empty_sets_give_no_rate_and_a_dash():
    empty = count_keys([])
    assert empty.total == 0
    assert empty.completion_rate is None
    assert empty.on_time_rate is None
    assert format_rate(empty.completion) == "—"
    # Nothing due yet (all open on time or ongoing): still no rate, not 0%.
    not_due = count_keys([OPEN_ON_TIME, ONGOING])
    assert not_due.completion_rate is None
    assert not_due.on_time_rate is None
    # Tasks due but none done: completion 0%, on-time undefined.
    none_done = count_keys([OPEN_OVERDUE, OPEN_OVERDUE])
    assert none_done.completion_rate == 0
    assert format_rate(none_done.completion) == "0%"
    assert none_done.on_time_rate is None


def test_rate_functions_take_plain_counts():
    assert completion_rate(7, 1) == pytest.approx(0.875)
    assert format_rate(count_keys([DONE_ON_TIME] * 7 + [OPEN_OVERDUE]).completion) == "87,5%"
    assert on_time_rate(2, 3) == pytest.approx(2 / 3)
    assert format_rate(count_keys([DONE_ON_TIME] * 2 + [DONE_LATE]).on_time) == "66,7%"
    assert completion_rate(0, 0) is None
    assert on_time_rate(0, 0) is None


def test_counts_from_a_grouped_query_and_unknown_keys():
    counts = counts_from_mapping({DONE_ON_TIME: 3, OPEN_OVERDUE: 1})
    assert counts.done == 3 and counts[OPEN_OVERDUE] == 1 and counts[DONE_LATE] == 0
    assert counts.completion_rate == pytest.approx(0.75)
    with pytest.raises(ValueError):
        count_keys(["finished"])
    with pytest.raises(ValueError):
        counts_from_mapping({"finished": 1})


def test_every_key_has_a_vietnamese_label():
    assert status.LABELS[DONE_ON_TIME] == "Hoàn thành đúng hạn"
    assert status.LABELS[DONE_LATE] == "Hoàn thành quá hạn"
    assert status.LABELS[OPEN_ON_TIME] == "Đang thực hiện trong hạn"
    assert status.LABELS[OPEN_OVERDUE] == "Đang thực hiện quá hạn"
    assert status.LABELS[ONGOING] == "Thường xuyên"
    assert set(status.LABELS) == set(status.ALL_KEYS)


@pytest.mark.parametrize(
    ("period", "today", "start"),
    [
        ("weekly", date(2025, 10, 15), date(2025, 10, 13)),  # Wednesday -> Monday
        ("weekly", date(2025, 10, 13), date(2025, 10, 13)),
        ("monthly", date(2025, 10, 15), date(2025, 10, 1)),
        ("quarterly", date(2025, 11, 30), date(2025, 10, 1)),
        ("quarterly", date(2025, 3, 31), date(2025, 1, 1)),
    ],
)
def test_reporting_period_start(period, today, start):
    assert reporting_period_start(period, today) == start


def test_reporting_period_unknown():
    with pytest.raises(ValueError):
        reporting_period_start("daily", TODAY)
