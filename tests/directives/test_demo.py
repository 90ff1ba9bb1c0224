"""The demo content (`flask demo`): the 24-9-2025 meeting's conclusions, every status class, idempotent."""

from datetime import date

from sqlalchemy import func, select

from app import clock
from app.demo import load_demo
from app.directives import services
from app.directives.models import Assignment, Directive, ExtensionRequest
from app.extensions import db
from app.meetings.demo import MEETING_TITLE
from app.models import Meeting, Unit, User


def _counts(app):
    with app.app_context():
        return tuple(
            db.session.scalar(select(func.count()).select_from(model)) for model in (Meeting, Directive, Assignment, ExtensionRequest)
        )


def test_demo_loads_every_status_class_and_twice_adds_nothing(app):
    # The proposals demo may have recorded the meeting already: it is reused, not duplicated.
    with app.app_context():
        db.session.add(Meeting(title=MEETING_TITLE, held_on=date(2025, 9, 24), chair_name="Người khác tạo"))
        db.session.commit()
    # `flask demo` runs this loader only on an empty database (tests/test_demo_mode.py); here it
    # is called on the seeded one, which already holds the meeting.
    with app.test_request_context():
        load_demo()
        db.session.commit()
    first = _counts(app)
    assert first[0] == 1 and first[1] == 6
    with app.test_request_context():
        load_demo()
        db.session.commit()
    assert _counts(app) == first
    with app.app_context():
        today = clock.today()
        counts = services.overall_counts(today)
        for key in ("done_on_time", "done_late", "open_on_time", "open_overdue", "ongoing", "suspended", "cancelled"):
            assert counts[key] > 0, key
        states = set(db.session.scalars(select(Assignment.state)))
        assert {"in_progress", "awaiting_confirmation", "done"} <= states
        assert db.session.scalar(select(func.count()).select_from(ExtensionRequest).where(ExtensionRequest.state == "pending")) >= 2
        # Every directive comes from the meeting; the apparatus one went to all 135 communes.
        meeting = db.session.scalar(select(Meeting))
        assert meeting.held_on == date(2025, 9, 24)  # the one found, not a second one
        assert set(db.session.scalars(select(Directive.meeting_id))) == {meeting.id}
        apparatus = db.session.scalar(select(Directive).where(Directive.title.like("Kiện toàn tổ chức bộ máy%")))
        assert db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.directive_id == apparatus.id)) == 135
        # The demo commune and department have open work; due-soon items exist.
        for username in ("xa.demo", "so.demo"):
            user = db.session.scalar(select(User).where(User.username == username))
            open_ones = db.session.scalars(
                select(Assignment).where(Assignment.unit_id == user.unit_id, Assignment.state == "in_progress")
            ).all()
            assert open_ones, username
        soon = [a for a in db.session.scalars(select(Assignment).where(Assignment.state == "in_progress")) if a.status_on(today).due_soon]
        assert soon
        ia_boong = db.session.scalar(select(Unit.id).where(Unit.name == "Xã Ia Boòng"))
        assert db.session.scalar(select(func.count()).select_from(Assignment).where(Assignment.unit_id == ia_boong)) == 4
