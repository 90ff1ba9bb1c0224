"""A field's default answer period counts calendar or working days; the admin chooses which."""

from sqlalchemy import select

from app.extensions import db
from app.models import AuditEvent, Field


def giao_thong(app) -> Field:
    with app.app_context():
        field = db.session.scalar(select(Field).where(Field.name == "Giao thông"))
        db.session.expunge(field)
        return field


def test_fields_count_calendar_days_unless_told(app):
    assert giao_thong(app).default_deadline_unit == "calendar"


def test_admin_sets_a_field_to_working_days(login_as, app):
    client = login_as("admin")
    field = giao_thong(app)
    page = client.get(f"/admin/fields/{field.id}").get_data(as_text=True)
    assert '<option selected value="calendar">ngày</option>' in page
    assert '<option value="working">ngày làm việc</option>' in page
    response = client.post(f"/admin/fields/{field.id}", data={
        "name": field.name, "default_lead_unit_id": field.default_lead_unit_id, "default_answer_days": "15",
        "default_deadline_unit": "working", "active": "y", "version": str(field.version),
    })
    assert response.status_code == 303
    field = giao_thong(app)
    assert (field.default_answer_days, field.default_deadline_unit) == (15, "working")
    assert "15 ngày làm việc" in client.get("/admin/fields").get_data(as_text=True)
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "field.update")).one()
        assert event.before["default_deadline_unit"] == "calendar" and event.after["default_deadline_unit"] == "working"


def test_an_unknown_unit_is_refused(login_as, app):
    client = login_as("admin")
    field = giao_thong(app)
    response = client.post(f"/admin/fields/{field.id}", data={
        "name": field.name, "default_lead_unit_id": 0, "default_answer_days": "15",
        "default_deadline_unit": "lunar", "active": "y", "version": str(field.version),
    })
    assert response.status_code == 400
    assert giao_thong(app).default_deadline_unit == "calendar"
