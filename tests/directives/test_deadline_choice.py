"""The directive form's deadline: a date, or n calendar or working days from today (checked over Tết 2026)."""

from datetime import date

import pytest
from sqlalchemy import select

from app.directives.models import Directive
from app.extensions import db
from app.models import Field


@pytest.fixture
def before_tet(pin_today):
    """Make the province's today Friday 13/02/2026, the last working day before Tết."""
    pin_today(date(2026, 2, 13))


def form(app, **overrides):
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Giảm nghèo, an sinh xã hội"))
    data = {
        "meeting_id": "0", "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
        "title": "Rà soát hộ nghèo sau Tết", "content": "Báo cáo kết quả rà soát.",
        "field_id": str(field_id), "timing": "dated", "deadline": "", "reporting_period": "",
    }
    data.update(overrides)
    return data


def saved_deadline(app):
    with app.app_context():
        return db.session.scalar(select(Directive.deadline))


def test_five_working_days_from_13_february_2026(app, login_as, before_tet):
    client = login_as("coordinator")
    response = client.post("/directives/new", data=form(app, deadline_by="days", deadline_days="5", deadline_unit="working",
                                                        deadline="2026-12-31"))
    assert response.status_code == 303
    assert saved_deadline(app) == date(2026, 2, 27)


def test_five_calendar_days_ending_in_tet_move_to_the_next_working_day(app, login_as, before_tet):
    response = login_as("coordinator").post("/directives/new", data=form(app, deadline_by="days", deadline_days="5",
                                                                         deadline_unit="calendar"))
    assert response.status_code == 303
    assert saved_deadline(app) == date(2026, 2, 23)


def test_a_date_is_kept_and_ongoing_has_none(app, login_as, before_tet):
    client = login_as("coordinator")
    assert client.post("/directives/new", data=form(app, deadline_by="date", deadline="2026-03-31",
                                                    deadline_days="5")).status_code == 303
    assert saved_deadline(app) == date(2026, 3, 31)
    response = client.post("/directives/new", data=form(app, title="Thường xuyên", timing="ongoing", reporting_period="monthly",
                                                        deadline_by="days", deadline_days="5", deadline_unit="working"))
    assert response.status_code == 303
    with app.app_context():
        ongoing = db.session.scalar(select(Directive).where(Directive.title == "Thường xuyên"))
        assert ongoing.is_ongoing and ongoing.deadline is None


def test_editing_with_days_counts_from_the_day_of_the_edit(app, login_as, make_directive, before_tet):
    directive_id = make_directive(deadline=date(2026, 2, 14))
    client = login_as("coordinator")
    data = form(app, deadline_by="days", deadline_days="10", deadline_unit="working", version="1")
    response = client.post(f"/directives/{directive_id}/edit", data=data)
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(Directive, directive_id).deadline == date(2026, 3, 6)


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"deadline_by": "days", "deadline_days": ""}, "Nhập số ngày."),
        ({"deadline_by": "days", "deadline_days": "0"}, "Số ngày từ 1 đến 365."),
        ({"deadline_by": "days", "deadline_days": "5", "deadline_unit": "tuần"}, "Chọn ngày hoặc ngày làm việc."),
        ({"deadline_by": "date", "deadline": ""}, "Nhập hạn hoàn thành, hoặc chọn Thường xuyên."),
    ],
)
def test_a_wrong_deadline_is_refused_and_nothing_saved(app, login_as, overrides, message):
    response = login_as("coordinator").post("/directives/new", data=form(app, **overrides))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert message in body and "Rà soát hộ nghèo sau Tết" in body
    assert saved_deadline(app) is None


def test_the_form_offers_days_and_a_live_preview(app, login_as, before_tet):
    client = login_as("coordinator")
    page = client.get("/directives/new").get_data(as_text=True)
    assert 'name="deadline_by" type="radio" value="days"' in page and 'name="deadline_days"' in page
    assert 'id="deadline_by-preview"' in page and 'hx-get="/directives/deadline-preview"' in page
    body = client.get("/directives/deadline-preview?deadline_by=days&deadline_days=5&deadline_unit=working",
                      htmx=True).get_data(as_text=True)
    assert "Hạn sẽ là thứ Sáu, 27/02/2026 (5 ngày làm việc kể từ hôm nay)" in body
    assert login_as("leader").get("/directives/deadline-preview?deadline_by=days&deadline_days=5").status_code == 403
