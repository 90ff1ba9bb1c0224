"""Demo of work handed down inside a unit: the Sở Tài chính and the Xã Ia Ly each get a head
and two officers (invented people, the demo's shared password), and some of their open items
are given to an officer, one with a draft waiting for the head."""

from datetime import timedelta

from sqlalchemy import select

from app import clock, policy
from app.admin import services as accounts
from app.delegation import items, services, workflow
from app.delegation.models import Delegation
from app.demo_mode import DEMO_PASSWORD
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment
from app.extensions import db
from app.models import UNIT_HEAD, User

# unit (code or exact name), role, [(username, full name, head?)]
DEMO_TEAMS = [
    ("STC", policy.DEPARTMENT, [
        ("stc.truong.demo", "Đinh Quang Huy", True),
        ("stc.cv1.demo", "Phan Thị Mai", False),
        ("stc.cv2.demo", "Lý Văn Toàn", False),
    ]),
    ("Xã Ia Ly", policy.COMMUNE, [
        ("ialy.truong.demo", "Siu Thị H'Nhi", True),
        ("ialy.cv1.demo", "Rơ Mah Thuận", False),
        ("ialy.cv2.demo", "Kpă Thị Hằng", False),
    ]),
]


def load_delegation_demo(users: dict[str, User]) -> None:
    """Runs after the other loaders: the units it touches have their demo history already."""
    for unit_ref, role, people in DEMO_TEAMS:
        unit = accounts.find_unit(unit_ref)
        if unit is None:  # another province's catalogue
            continue
        team = []
        for username, full_name, head in people:
            user = db.session.scalar(select(User).where(User.username == username))
            if user is None:
                user, _ = accounts.create_user(username, role, unit, password=DEMO_PASSWORD, full_name=full_name,
                                               must_change=False, is_demo=True)
                if head:
                    user.unit_role = UNIT_HEAD
            users[username] = user
            team.append(user)
        db.session.flush()
        _hand_down(unit.id, team[0], team[1:])


def _hand_down(unit_id: int, head: User, officers: list[User]) -> None:
    if db.session.scalar(select(Delegation.id).where(Delegation.unit_id == unit_id)) is not None:
        return  # loaded before
    open_tasks = db.session.scalars(select(Assignment).where(
        Assignment.unit_id == unit_id, Assignment.state == directive_workflow.IN_PROGRESS).order_by(Assignment.id))
    today = clock.today()
    for n, assignment in enumerate(list(open_tasks)[:3]):
        item = items.of_assignment(assignment)
        officer, helper = officers[n % 2], officers[(n + 1) % 2]
        deadline = assignment.deadline
        internal = deadline - timedelta(days=3) if deadline is not None and deadline - timedelta(days=3) >= today else None
        services.assign(item, head, officer.id, [helper.id] if n == 0 else [], internal)
        if n == 1:  # a draft report waiting for the head
            services.submit(item, officer, services.DraftInput(
                workflow.REPORT, "Đã rà soát, tổng hợp số liệu; dự thảo báo cáo gửi lãnh đạo cho ý kiến.", percent=50))
