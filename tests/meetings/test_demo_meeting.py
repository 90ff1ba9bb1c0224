"""Issue 14 §3-4: the demo is one timeline relative to today, names no real person, marks
itself as an illustration and prints the article's figures only with ratios they support."""

import re
from datetime import timedelta
from decimal import Decimal

from sqlalchemy import func, select

from app import clock
from app.demo import load_demo
from app.demo_mode import forget_demo_mode, mark_demo_database
from app.directives.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    DirectiveEvent,
    ProgressReport,
)
from app.extensions import db
from app.meetings import demo as demo_meeting
from app.models import Meeting, User
from app.proposals.models import Proposal, ProposalEvent

# Every person the source article names.
ARTICLE_PEOPLE = ("Hồ Quốc Dũng", "Rah Lan Chung", "Phạm Anh Tuấn", "Châu Ngọc Tuấn", "Nguyễn Ngọc Lương",
                  "Đỗ Thị Diệu Hạnh")


def _load(app):
    with app.test_request_context():
        mark_demo_database()
        load_demo()
        db.session.commit()
    forget_demo_mode(app)


def test_the_demo_is_one_timeline_after_the_meeting(app):
    _load(app)
    with app.app_context():
        today = clock.today()
        meeting = db.session.scalar(select(Meeting))
        assert db.session.scalar(select(func.count()).select_from(Meeting)) == 1
        assert meeting.held_on == today - timedelta(days=demo_meeting.DAYS_BEFORE_TODAY)
        start = clock.start_of_day(meeting.held_on)
        for model, column in ((Proposal, Proposal.created_at), (ProposalEvent, ProposalEvent.created_at),
                              (Directive, Directive.created_at), (DirectiveEvent, DirectiveEvent.created_at),
                              (Assignment, Assignment.created_at), (AssignmentEvent, AssignmentEvent.created_at),
                              (ProgressReport, ProgressReport.created_at)):
            earliest = db.session.scalar(select(func.min(column)))
            assert earliest is not None and earliest >= start, model.__name__
        issued = db.session.scalar(select(func.min(Directive.created_at)))
        assert clock.local_date(issued) == meeting.held_on + demo_meeting.DIRECTIVES_ISSUED_AFTER


def test_the_demo_names_no_person_of_the_article(app):
    _load(app)
    with app.app_context():
        texts = [u.full_name for u in db.session.scalars(select(User).where(User.is_demo.is_(True)))]
        for m in db.session.scalars(select(Meeting)):
            texts += [m.chair_name, m.chair_title, m.participants, m.summary]
        for d in db.session.scalars(select(Directive)):
            texts += [d.issued_by_name, d.title, d.content]
        for e in db.session.scalars(select(DirectiveEvent)):
            texts.append(e.note or "")
        for p in db.session.scalars(select(Proposal)):
            texts += [p.title, p.content, p.location or "", p.answer_text or ""]
        blob = "\n".join(t or "" for t in texts)
        for person in ARTICLE_PEOPLE:
            assert person not in blob
        for invented_fact in ("Nguyễn Bá Ngọc", "Trần Hưng Đạo", "VNPT", "Bưu điện tỉnh"):
            assert invented_fact not in blob
        # The article's conclusions are kept as it states them.
        summary = db.session.scalar(select(Meeting.summary))
        assert "Kết luận của Bí thư Tỉnh ủy: tiếp tục kiện toàn tổ chức bộ máy" in summary
        assert "Dữ liệu minh họa" in summary


def test_every_percentage_of_the_summary_is_supported_by_its_figures():
    text = demo_meeting.files_sentence()
    assert "92%" not in text
    assert "293.275" in text and "269.439" in text and "262.589" in text
    found = re.findall(r"(\d+,\d)% số hồ sơ (tiếp nhận|đã giải quyết)", text)
    assert found == [("91,9", "tiếp nhận"), ("97,5", "đã giải quyết"), ("89,5", "tiếp nhận")]
    # Check against the figures themselves, not against the formatter.
    assert Decimal(269439 * 1000 // 293275) / 10 == Decimal("91.8")  # 91,87 → 91,9
    assert round(Decimal(262589) / Decimal(269439) * 100, 1) == Decimal("97.5")
    assert round(Decimal(262589) / Decimal(293275) * 100, 1) == Decimal("89.5")


def test_a_demo_site_says_on_every_page_that_its_data_is_an_illustration(app, client):
    _load(app)
    page = client.get("/auth/login").get_data(as_text=True)
    assert "Dữ liệu minh họa." in page
    banner = page[page.index('data-testid="demo-banner"'):]
    banner = banner[:banner.index("</div>")]
    assert "no-print" not in banner.split(">")[0]  # printed with the page too
