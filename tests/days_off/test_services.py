"""The admin's extra days off, through the services (moved from tests/test_deadlines.py)."""

from datetime import date as D

import pytest

from app.days_off import services as days_off


def test_the_same_day_off_twice_is_refused(app):
    with app.app_context():
        days_off.add_day_off(D(2026, 6, 1), "Quyết định của tỉnh")
        with pytest.raises(days_off.DayOffError, match="01/06/2026"):
            days_off.add_day_off(D(2026, 6, 1), "Lần nữa")
