"""Timeliness is derived from the deadline, the answer's date and today."""

from datetime import date

import pytest

from app.proposals import timeliness as t

DEADLINE = date(2025, 10, 24)


@pytest.mark.parametrize(
    ("answered_on", "key", "days_late"),
    [
        (date(2025, 10, 1), t.ANSWERED_ON_TIME, 0),
        (DEADLINE, t.ANSWERED_ON_TIME, 0),  # the deadline day itself is on time
        (date(2025, 10, 25), t.ANSWERED_LATE, 1),
        (date(2025, 11, 3), t.ANSWERED_LATE, 10),
    ],
)
def test_answered(answered_on, key, days_late):
    result = t.classify(DEADLINE, answered_on, date(2026, 1, 1), pending=False)
    assert (result.key, result.days_late) == (key, days_late)


@pytest.mark.parametrize(
    ("today", "key", "days_late", "days_left", "due_soon"),
    [
        (date(2025, 10, 1), t.PENDING_ON_TIME, 0, 23, False),
        (date(2025, 10, 21), t.PENDING_ON_TIME, 0, 3, True),
        (DEADLINE, t.PENDING_ON_TIME, 0, 0, True),
        (date(2025, 10, 25), t.PENDING_OVERDUE, 1, None, False),
        (date(2025, 11, 23), t.PENDING_OVERDUE, 30, None, False),
    ],
)
def test_pending(today, key, days_late, days_left, due_soon):
    result = t.classify(DEADLINE, None, today, pending=True, due_soon_days=3)
    assert (result.key, result.days_late, result.days_left, result.due_soon) == (key, days_late, days_left, due_soon)


def test_the_due_soon_window_is_a_parameter():
    assert not t.classify(DEADLINE, None, date(2025, 10, 21), pending=True, due_soon_days=2).due_soon
    assert t.classify(DEADLINE, None, date(2025, 10, 17), pending=True, due_soon_days=7).due_soon


def test_no_deadline_or_not_pending_is_not_applicable():
    assert t.classify(None, None, DEADLINE, pending=True).key == t.NOT_APPLICABLE
    assert not t.classify(None, None, DEADLINE, pending=True).applies
    # Withdrawn or submitted: neither pending an answer nor answered.
    assert t.classify(DEADLINE, None, DEADLINE, pending=False).key == t.NOT_APPLICABLE


def test_a_reopened_proposal_is_pending_again_even_with_an_old_answer_date():
    result = t.classify(DEADLINE, date(2025, 10, 1), date(2025, 10, 30), pending=True)
    assert (result.key, result.days_late) == (t.PENDING_OVERDUE, 6)
