"""The assign form's deadline: a date, or n calendar or working days from today (checked over Tết 2026)."""

import re
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Field
from app.proposals import services, workflow
from tests.proposals.conftest import field_id, load, unit_id, version_on

FRIDAY_13_FEB_2026 = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # 09:00 in Gia Lai, the last working day before Tết


@pytest.fixture
def before_tet(pin_today):
    """Make the province's "now" Friday 13/02/2026, 09:00."""
    pin_today(FRIDAY_13_FEB_2026)


def page_of(client, proposal_id) -> str:
    response = client.get(f"/proposals/{proposal_id}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def post_assign(app, client, proposal_id, **deadline):
    page = page_of(client, proposal_id)
    data = {"assign-version": version_on(page, "assign-"), "assign-field_id": field_id(app),
            "assign-lead_unit_id": unit_id(app, "SXD")}
    data.update({f"assign-{key}": value for key, value in deadline.items()})
    return client.post(f"/proposals/{proposal_id}/assign", data=data)


def set_field_period(app, days, unit, name="Giao thông"):
    with app.app_context():
        field = db.session.scalar(select(Field).where(Field.name == name))
        field.default_answer_days, field.default_deadline_unit = days, unit
        db.session.commit()


def test_five_working_days_from_13_february_2026_end_on_27_february(app, make_proposal, as_user, before_tet):
    proposal_id = make_proposal(workflow.SUBMITTED)
    # The date box still holds the default date: choosing days makes the server ignore it.
    response = post_assign(app, as_user("coordinator"), proposal_id, deadline_by="days", deadline_days="5",
                           deadline_unit="working", answer_deadline="2026-12-31")
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.state == workflow.ASSIGNED
    assert proposal.answer_deadline == date(2026, 2, 27)
    assert "Hạn trả lời: 27/02/2026 (5 ngày làm việc)" in proposal.events[-1].note


def test_five_calendar_days_ending_in_tet_move_to_the_next_working_day(app, make_proposal, as_user, before_tet):
    proposal_id = make_proposal(workflow.SUBMITTED)
    response = post_assign(app, as_user("coordinator"), proposal_id, deadline_by="days", deadline_days="5",
                           deadline_unit="calendar")
    assert response.status_code == 303
    assert load(app, proposal_id).answer_deadline == date(2026, 2, 23)


def test_a_date_is_kept_as_given(app, make_proposal, as_user, before_tet):
    proposal_id = make_proposal(workflow.SUBMITTED)
    response = post_assign(app, as_user("coordinator"), proposal_id, deadline_by="date", answer_deadline="2026-03-02",
                           deadline_days="5", deadline_unit="working")
    assert response.status_code == 303
    assert load(app, proposal_id).answer_deadline == date(2026, 3, 2)


def test_the_field_default_counts_in_the_field_unit(app, make_proposal, as_user, before_tet):
    set_field_period(app, 15, "working")
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("coordinator")
    page = page_of(client, proposal_id)
    # The form shows the default date and, for the days choice, the field's period.
    assert 'name="assign-answer_deadline" placeholder="dd/mm/yyyy" type="text" value="13/03/2026"' in page
    assert 'name="assign-deadline_days" type="number" value="15"' in page
    assert '<option selected value="working">ngày làm việc</option>' in page
    response = post_assign(app, client, proposal_id, deadline_by="date", answer_deadline="")
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.answer_deadline == date(2026, 3, 13)
    assert "(15 ngày làm việc)" in proposal.events[-1].note


def test_without_a_field_period_the_setting_counts_calendar_days(app, before_tet):
    with app.app_context():
        field = db.session.scalar(select(Field).where(Field.name == "Giao thông"))
        assert field.default_answer_days is None
        assert services.default_period(field) == services.Period(30, "calendar")
        assert services.default_deadline(field, date(2026, 2, 13)) == date(2026, 3, 16)  # 15/03 is a Sunday
        field.default_answer_days, field.default_deadline_unit = 5, "working"
        assert services.default_deadline(field, date(2026, 2, 13)) == date(2026, 2, 27)


@pytest.mark.parametrize(
    ("deadline", "field", "message"),
    [
        ({"deadline_by": "days", "deadline_days": ""}, "deadline_days", "Nhập số ngày."),
        ({"deadline_by": "days", "deadline_days": "0"}, "deadline_days", "Số ngày từ 1 đến 365."),
        ({"deadline_by": "days", "deadline_days": "366"}, "deadline_days", "Số ngày từ 1 đến 365."),
        ({"deadline_by": "days", "deadline_days": "năm"}, "deadline_days", "Nhập một số nguyên."),
        ({"deadline_by": "days", "deadline_days": "5", "deadline_unit": "lunar"}, "deadline_unit",
         "Chọn ngày hoặc ngày làm việc."),
        ({"deadline_by": "week"}, "deadline_by", "Chọn cách đặt thời hạn."),
    ],
)
def test_a_wrong_period_is_refused_next_to_its_field(app, make_proposal, as_user, deadline, field, message):
    proposal_id = make_proposal(workflow.SUBMITTED)
    response = post_assign(app, as_user("coordinator"), proposal_id, **deadline)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    if field == "deadline_by":
        assert f'<small class="field-error">{message}</small>' in body
    else:
        assert re.search(rf'id="assign-{field}-error" class="field-error">{re.escape(message)}', body)
    assert load(app, proposal_id).state == workflow.SUBMITTED


def test_the_preview_shows_the_date_saving_would_give(app, as_user, before_tet):
    client = as_user("coordinator")
    response = client.get("/proposals/deadline-preview?assign-deadline_by=days&assign-deadline_days=5"
                          "&assign-deadline_unit=working", htmx=True)
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert body.strip().startswith('<output id="assign-deadline_by-preview"')
    assert "Hạn sẽ là thứ Sáu, 27/02/2026 (5 ngày làm việc kể từ hôm nay)" in body
    body = client.get("/proposals/deadline-preview?assign-deadline_by=days&assign-deadline_days=0"
                      "&assign-deadline_unit=working").get_data(as_text=True)
    assert 'class="field-error">Số ngày từ 1 đến 365.' in body
    body = client.get("/proposals/deadline-preview?assign-deadline_by=date&assign-answer_deadline=2026-02-17"
                      ).get_data(as_text=True)
    assert "thứ Ba, 17/02/2026 — ngày nghỉ" in body


def test_the_assign_form_asks_for_the_preview(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    page = page_of(as_user("coordinator"), proposal_id)
    assert 'id="assign-deadline_by-preview"' in page and 'hx-get="/proposals/deadline-preview"' in page
    assert 'name="assign-deadline_by" type="radio" value="days"' in page


@pytest.mark.parametrize("role", ["commune_a", "department", "leader", "admin"])
def test_only_coordinators_use_the_preview(as_user, role):
    assert as_user(role).get("/proposals/deadline-preview?assign-deadline_by=days&assign-deadline_days=5").status_code == 403
