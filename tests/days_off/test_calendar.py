"""Issue 14 §5: the year's calendar on one page (holidays, days in lieu, make-up working days,
the province's own entries), editable, and the one deadlines count by."""

import re
from datetime import date

import pytest

from app import deadlines
from app.days_off.models import DayOff

URL = "/admin/days-off/"


def kinds_on_page(body: str) -> dict[str, str]:
    return dict(re.findall(r'<td class="day-[a-z_]+(?: today)?" data-date="([\d-]+)" data-kind="([a-z_]+)"', body))


def test_the_year_on_one_page(login_as):
    body = login_as("admin").get(URL + "?year=2026").get_data(as_text=True)
    days = kinds_on_page(body)
    assert len(days) == 365
    assert days["2026-02-17"] == "holiday"  # Tết
    assert days["2026-04-27"] == "holiday"  # day off in lieu of Giỗ Tổ (a Sunday)
    assert days["2026-08-22"] == "national_workday"  # the government's make-up Saturday
    assert days["2026-08-31"] == "holiday"  # the bridge day it pays for
    assert days["2026-03-14"] == "weekend" and days["2026-03-16"] == "work"
    assert "Ngày làm bù theo quy định" in body and "22/08/2026" in body
    assert "Tết Nguyên đán" in body


def test_the_page_counts_as_deadlines_count(login_as, app):
    client = login_as("admin")
    client.post(URL, data={"date": "14/03/2026", "reason": "Làm bù cho ngày 30/03/2026", "kind": "workday"})
    client.post(URL, data={"date": "30/03/2026", "reason": "Nghỉ bù theo Quyết định 5/QĐ-UBND", "kind": "day_off"})
    client.post(URL, data={"date": "24/11/2026", "reason": "Tỉnh không nghỉ", "kind": "holiday_worked"})
    body = client.get(URL + "?year=2026").get_data(as_text=True)
    days = kinds_on_page(body)
    with app.test_request_context():
        for iso, kind in days.items():
            off = kind in ("weekend", "holiday", "day_off")
            assert deadlines.is_working_day(date.fromisoformat(iso)) is not off, iso
        worked = sum(1 for iso in days if deadlines.is_working_day(date.fromisoformat(iso)))
    assert f'data-working-days="{worked}"' in body
    assert days["2026-03-14"] == "workday" and days["2026-03-30"] == "day_off" and days["2026-11-24"] == "holiday_worked"


def test_deadlines_use_make_up_days_and_cancelled_holidays(login_as, app):
    client = login_as("admin")
    with app.test_request_context():
        # Friday 13/03/2026 + 1 working day: Monday 16/03 by the national calendar.
        assert deadlines.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 16)
        # 23/11/2026 + 1 working day skips Ngày Văn hóa Việt Nam (24/11).
        assert deadlines.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 25)
    assert client.post(URL, data={"date": "14/03/2026", "reason": "Làm bù", "kind": "workday"}).status_code == 303
    assert client.post(URL, data={"date": "24/11/2026", "reason": "Không nghỉ", "kind": "holiday_worked"}).status_code == 303
    with app.test_request_context():
        assert deadlines.add_working_days(date(2026, 3, 13), 1) == date(2026, 3, 14)
        assert deadlines.add_working_days(date(2026, 11, 23), 1) == date(2026, 11, 24)
        assert deadlines.working_days_between(date(2026, 3, 13), date(2026, 3, 16)) == 2
        assert {(d.date, d.kind) for d in DayOff.query.all()} == {
            (date(2026, 3, 14), "workday"), (date(2026, 11, 24), "holiday_worked"),
        }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"date": "16/03/2026", "kind": "workday"}, "đã là ngày làm việc; ngày làm bù phải là thứ Bảy hoặc Chủ nhật"),
        ({"date": "22/08/2026", "kind": "workday"}, "đã là ngày làm việc"),  # the government's make-up day
        ({"date": "17/02/2026", "kind": "workday"}, "chọn “Đi làm, không nghỉ lễ”"),
        ({"date": "16/03/2026", "kind": "holiday_worked"}, "không phải ngày nghỉ lễ, Tết"),
        ({"date": "16/03/2026", "kind": "nonsense"}, "Lựa chọn không hợp lệ"),
    ],
)
def test_entries_that_make_no_sense_are_refused_next_to_the_date(login_as, app, data, message):
    response = login_as("admin").post(URL, data={**data, "reason": "Lý do"})
    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert message in body
    assert 'value="Lý do"' in body  # nothing typed is lost
    with app.app_context():
        assert DayOff.query.count() == 0
