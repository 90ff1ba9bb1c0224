"""What other features reuse (the meeting section) and the demo data."""

from collections import Counter
from datetime import date

from flask import render_template
from flask_login import login_user
from sqlalchemy import func, select

from app import clock
from app.demo import load_demo
from app.demo_mode import mark_demo_database
from app.extensions import db, limiter
from app.meetings import demo as demo_meeting
from app.models import Meeting, User
from app.proposals import demo, services, timeliness, workflow
from app.proposals.models import Proposal, ProposalEvent
from tests.conftest import AuthActions, Client


def test_meeting_section_lists_what_the_user_may_see(app, make_proposal, users):
    with app.app_context():
        meeting = Meeting(title="Giao ban quý III", held_on=services_today(app))
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
    make_proposal(workflow.SUBMITTED, title="Trụ sở xã Ia Boòng", meeting_id=meeting_id)
    make_proposal(workflow.ASSIGNED, title="Trạm y tế Pleiku", commune="commune_b", meeting_id=meeting_id)
    make_proposal(workflow.DRAFT, title="Nháp chưa gửi", meeting_id=meeting_id)
    make_proposal(workflow.SUBMITTED, title="Không thuộc hội nghị")
    with app.test_request_context():
        for key, expected in [
            ("coordinator", {"Trụ sở xã Ia Boòng", "Trạm y tế Pleiku"}),
            ("commune_a", {"Trụ sở xã Ia Boòng", "Nháp chưa gửi"}),
            ("department", {"Trạm y tế Pleiku"}),
            ("admin", set()),
        ]:
            user = db.session.get(User, users[key].id)
            login_user(user)
            rows = list(db.session.scalars(services.proposals_for_meeting(meeting_id, user)))
            assert {p.title for p in rows} == expected, key
            html = render_template("proposals/_meeting_section.html", proposals=rows)
            assert "Kiến nghị nêu tại hội nghị" in html and "<html" not in html
            for title in expected:
                assert title in html
            assert "Không thuộc hội nghị" not in html


def services_today(app):
    with app.test_request_context():
        return clock.today()


def test_demo_covers_every_state_and_runs_twice_without_duplicates(app):
    with app.test_request_context():
        load_demo()
        db.session.commit()
        first = db.session.scalar(select(func.count()).select_from(Proposal))
        events = db.session.scalar(select(func.count()).select_from(ProposalEvent))
        load_demo()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Proposal)) == first == len(demo.SCENARIOS)
        assert db.session.scalar(select(func.count()).select_from(ProposalEvent)) == events
        meetings = db.session.scalars(select(Meeting).where(Meeting.title == demo_meeting.MEETING_TITLE)).all()
        assert len(meetings) == 1 and meetings[0].chair_name == demo_meeting.CHAIR_NAME
        assert meetings[0].issuing_unit.code == "TU-VP"

        proposals = list(db.session.scalars(select(Proposal)))
        assert set(Counter(p.state for p in proposals)) == set(workflow.STATES)
        check = services.timeliness_checker()
        kinds = Counter(check(p).key for p in proposals)
        assert all(kinds[key] for key in timeliness.KEYS), kinds
        so_demo = db.session.scalar(select(User).where(User.username == "so.demo"))
        queue = [p for p in db.session.scalars(services.visible_proposals(so_demo)) if p.state == workflow.ASSIGNED]
        assert len(queue) >= 3
        assert len({p.commune_unit_id for p in proposals}) >= 15
        assert all(p.meeting_id == meetings[0].id for p in proposals)
        assert {"opinion", "leader_comment", "feedback"} <= {e.kind for p in proposals for e in p.events}


def test_demo_reuses_a_meeting_someone_else_created(app):
    with app.test_request_context():
        existing = Meeting(title=demo_meeting.MEETING_TITLE, held_on=date(2025, 9, 24), chair_name="Người khác tạo")
        db.session.add(existing)
        db.session.commit()
        load_demo()
        db.session.commit()
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert {p.meeting_id for p in db.session.scalars(select(Proposal))} == {existing.id}


def test_demo_pages_render_for_every_demo_account(app):
    with app.test_request_context():
        mark_demo_database()  # demo accounts log in only on a demo site
        load_demo()
        db.session.commit()
        ids = db.session.scalars(select(Proposal.id)).all()
    for username in ("xa.demo", "xa2.demo", "so.demo", "so2.demo", "vanphong.demo", "lanhdao.demo"):
        with app.app_context():
            limiter.reset()
        app.test_client_class = Client
        client = app.test_client()
        assert AuthActions(client).login(username, password="GiaoBan@2025").status_code == 303
        assert client.get("/").status_code == 200
        assert client.get("/proposals/").status_code == 200
        statuses = {client.get(f"/proposals/{i}").status_code for i in ids}
        assert statuses <= {200, 404} and 200 in statuses, username
