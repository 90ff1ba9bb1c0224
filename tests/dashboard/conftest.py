"""A small seeded province for the dashboard and report tests: proposals in every state and
timeliness, two directives whose tasks fall in every status class, one progress report."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.directives.models import Assignment, ProgressReport
from app.extensions import db
from app.models import Field, Unit, User
from app.proposals import workflow
from tests.directives.conftest import (  # noqa: F401  (fixtures used here and by the tests)
    assign,
    assignment_of,
    days,
    make_directive,
    set_assignment,
)
from tests.proposals.conftest import as_user, make_proposal  # noqa: F401


def ids(app, *refs: str) -> list[int]:
    with app.app_context():
        return [db.session.scalar(select(Unit.id).where((Unit.code == r) | (Unit.name == r))) for r in refs]


def field_id(app, name: str) -> int:
    with app.app_context():
        return db.session.scalar(select(Field.id).where(Field.name == name))


@pytest.fixture
def seeded(app, users, make_proposal, make_directive, assign, assignment_of, set_assignment):  # noqa: F811
    """Proposals sent today and tasks given today, judged over the last 60 days."""
    proposals = {
        "submitted": make_proposal(workflow.SUBMITTED, title="Kiến nghị mới gửi"),
        "pending": make_proposal(workflow.ASSIGNED, title="Đường liên thôn trong hạn", lead="SXD", supports=("STC",)),
        "overdue": make_proposal(workflow.ASSIGNED, title="Cầu tràn quá hạn", lead="SXD", deadline_days=-5),
        "on_time": make_proposal(workflow.ANSWERED, title="Kênh mương đã trả lời", commune="commune_b",
                                 field="Thủy lợi", lead="SNV"),
        "late": make_proposal(workflow.CLOSED, title="Trụ sở trả lời chậm", lead="SXD", answered_days_late=3,
                              field="Trụ sở làm việc"),
        "withdrawn": make_proposal(workflow.WITHDRAWN, title="Kiến nghị đã rút"),
        "draft": make_proposal(workflow.DRAFT, title="Bản nháp chưa gửi"),
    }
    staffing = make_directive(title="Kiện toàn tổ chức bộ máy", deadline=days(-10))
    assign(staffing, ["Xã Ia Boòng", "Phường Pleiku", "SXD", "SNV"])
    set_assignment(assignment_of(staffing, "Xã Ia Boòng"), state="done", completed_on=days(-12))
    set_assignment(assignment_of(staffing, "Phường Pleiku"), state="done", completed_on=days(-2))
    set_assignment(assignment_of(staffing, "SNV"), extended_deadline=days(5))
    poverty = make_directive(title="Giảm nghèo, an sinh xã hội", ongoing=True, period="monthly",
                             field_name="Giảm nghèo, an sinh xã hội")
    assign(poverty, ["Xã Ia Boòng", "Phường Pleiku"])
    with app.app_context():
        sxd_task = assignment_of(staffing, "SXD")
        db.session.add(ProgressReport(assignment_id=sxd_task, text="Đang rà soát.", percent=40,
                                      author_id=db.session.get(User, users["department"].id).id))
        db.session.commit()
        tasks = {a.id: a.unit.name for a in db.session.scalars(select(Assignment))}
    start, end = days(-60), days(0)
    return {
        "proposals": proposals, "directives": {"staffing": staffing, "poverty": poverty}, "tasks": tasks,
        "query": f"period=custom&from={start.isoformat()}&to={end.isoformat()}",
        "start": start, "end": end, "before": (start - timedelta(days=61), start - timedelta(days=1)),
    }
