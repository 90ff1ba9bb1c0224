"""Each directive and assignment event notifies exactly the users issue 6 lists, once, and no one else;
the 135-unit broadcast makes one notification per assignment and staff member, in a few statements."""

import re
import time
from datetime import date, timedelta

import pytest
from sqlalchemy import event, func, select

from app.directives import notices, workflow
from app.directives import services as directive_services
from app.directives.models import Assignment, Directive
from app.extensions import db
from app.models import COMMUNE_KINDS, Field, Unit, User
from app.notifications.models import Notification
from tests.notifications.event_helpers import (
    COMMUNE_A,
    COORDINATORS,
    expect,
    get,
    last_notification_id,
    news_since,
    notifications_since,
    unit,
)

SXD = ("department", "department2")


def issue(app, people, *, deadline: date | None = date(2030, 6, 30), title="Rà soát, bổ sung biên chế còn thiếu") -> int:
    with app.app_context():
        field_id = db.session.scalar(select(Field.id).where(Field.name == "Biên chế, tổ chức bộ máy"))
        directive = directive_services.create_directive({
            "issued_by_name": "Lương Văn Trọng", "title": title, "content": "Báo cáo trước hạn.", "field_id": field_id,
            "is_ongoing": deadline is None, "deadline": deadline, "reporting_period": None if deadline else "monthly",
        }, get(people, "coordinator"))
        db.session.commit()
        return directive.id


def assign(app, people, directive_id, units, role=workflow.LEAD):
    with app.app_context():
        directive = db.session.get(Directive, directive_id)
        ids = directive_services.units_for_scope(units) if isinstance(units, str) else [unit(u).id for u in units]
        result = directive_services.assign_to_units(directive, ids, role, get(people, "coordinator"))
        db.session.commit()
        return result


def assignment_id(app, directive_id, unit_ref) -> int:
    with app.app_context():
        return db.session.scalar(select(Assignment.id).where(
            Assignment.directive_id == directive_id, Assignment.unit_id == unit(unit_ref).id))


def act(app, assignment, fn):
    with app.app_context():
        fn(db.session.get(Assignment, assignment))
        db.session.commit()


@pytest.fixture
def commune_a_task(app, people):
    """(directive id, commune_a's assignment id), assigned to commune_a, commune_b and SXD."""
    directive_id = issue(app, people)
    assign(app, people, directive_id, ["Xã Ia Boòng", "Phường Pleiku", "SXD"])
    return directive_id, assignment_id(app, directive_id, "Xã Ia Boòng")


def test_assigning_tells_each_unit_staff_once_per_assignment(app, people):
    directive_id = issue(app, people)
    since = last_notification_id(app)
    assign(app, people, directive_id, ["Xã Ia Boòng", "SXD"])
    kind = notices.ASSIGNED
    assert news_since(app, since) == expect(people, kind, *COMMUNE_A, *SXD)
    rows = notifications_since(app, since)
    commune_task = assignment_id(app, directive_id, "Xã Ia Boòng")
    mine = [n for n in rows if n.recipient_id == people["commune_a"]][0]
    assert (mine.object_type, mine.object_id, mine.link) == ("assignment", commune_task, f"/assignments/{commune_task}")
    assert mine.title == "Nhiệm vụ mới (chủ trì): Rà soát, bổ sung biên chế còn thiếu, hạn 30/06/2030"


def test_support_role_and_ongoing_directive_read_so(app, people):
    directive_id = issue(app, people, deadline=None)
    since = last_notification_id(app)
    assign(app, people, directive_id, ["SXD"], role=workflow.SUPPORT)
    assert {n.title for n in notifications_since(app, since)} == {
        "Nhiệm vụ mới (phối hợp): Rà soát, bổ sung biên chế còn thiếu, thường xuyên"}


def test_assigning_again_adds_no_news(app, people, commune_a_task):
    directive_id, _task = commune_a_task
    since = last_notification_id(app)
    result = assign(app, people, directive_id, ["Xã Ia Boòng", "SXD"])
    assert (result.created, news_since(app, since)) == (0, {})


def add_commune_staff(app, per_unit=2) -> tuple[int, int]:
    """per_unit more accounts in every commune, plus one disabled account in each; returns
    (active commune staff, communes)."""
    with app.app_context():
        communes = list(db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True))))
        for commune in communes:
            for number in range(per_unit + 1):
                db.session.add(User(username=f"cb{commune.id}.{number}", role="commune", unit_id=commune.id,
                                    full_name="Cán bộ xã", password_hash="!", active=number < per_unit))
        db.session.commit()
        staff = db.session.scalar(select(func.count()).select_from(User).join(Unit, User.unit_id == Unit.id).where(
            Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True), User.active.is_(True), User.role == "commune"))
        return staff, len(communes)


def test_the_135_unit_broadcast_makes_one_notification_per_assignment_and_person_fast(app, people):
    staff, communes = add_commune_staff(app)
    assert communes == 135
    # commune_a's unit has 2 more active accounts (commune_a, commune_a2), Phường Pleiku one (commune_b).
    assert staff == 135 * 2 + 3
    directive_id = issue(app, people)
    since = last_notification_id(app)
    statements = []

    def count(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", count)
        try:
            started = time.perf_counter()
            directive = db.session.get(Directive, directive_id)
            ids = directive_services.units_for_scope(directive_services.SCOPE_ALL_COMMUNES)
            statements.clear()
            result = directive_services.assign_to_units(directive, ids, workflow.LEAD, get(people, "coordinator"))
            db.session.commit()
            elapsed = time.perf_counter() - started
        finally:
            event.remove(db.engine, "before_cursor_execute", count)
    assert result.created == 135
    with app.app_context():
        pairs = db.session.execute(select(Notification.recipient_id, Notification.object_id, User.unit_id)
                                   .join(User, Notification.recipient_id == User.id)
                                   .where(Notification.id > since)).all()
        task_unit = dict(db.session.execute(select(Assignment.id, Assignment.unit_id)
                                            .where(Assignment.directive_id == directive_id)).all())
        inactive = set(db.session.scalars(select(User.id).where(User.active.is_(False))))
    assert len(pairs) == staff  # 135 assignments x the active staff of each commune
    assert len({(recipient, task) for recipient, task, _unit in pairs}) == staff  # nobody twice
    assert all(task_unit[task] == unit_id for _recipient, task, unit_id in pairs)  # each hears of its own unit's task
    assert not {recipient for recipient, _task, _unit in pairs} & inactive
    assert {recipient for recipient, _task, _unit in pairs}.isdisjoint(
        {people[key] for key in ("department", "department_other", "coordinator", "leader", "admin")})
    # Bulk work: a handful of statements whatever the number of units, not one or more per unit.
    assert len(statements) <= 12, statements
    assert elapsed < 3.0


@pytest.mark.parametrize(("step", "kind", "keys"), [
    ("request_completion", notices.COMPLETION_REQUESTED, COORDINATORS),
    ("confirm", notices.CONFIRMED, COMMUNE_A),
    ("send_back", notices.SENT_BACK, COMMUNE_A),
    ("request_extension", notices.EXTENSION_REQUESTED, COORDINATORS),
    ("approve_extension", notices.EXTENSION_APPROVED, COMMUNE_A),
    ("refuse_extension", notices.EXTENSION_REFUSED, COMMUNE_A),
])
def test_assignment_steps_tell_exactly_who_the_issue_lists(app, people, commune_a_task, step, kind, keys):
    _directive_id, task = commune_a_task
    today = date(2026, 3, 2)
    commune, coordinator = "commune_a", "coordinator"
    before_step = {
        "confirm": ["request_completion"], "send_back": ["request_completion"],
        "approve_extension": ["request_extension"], "refuse_extension": ["request_extension"],
    }.get(step, [])
    steps = {
        "request_completion": lambda a: directive_services.request_completion(a, get(people, commune), today),
        "confirm": lambda a: directive_services.confirm_completion(a, get(people, coordinator)),
        "send_back": lambda a: directive_services.send_back(a, get(people, coordinator), "Thiếu biên bản."),
        "request_extension": lambda a: directive_services.request_extension(
            a, get(people, commune), date(2030, 9, 30), "Chờ hướng dẫn của Bộ.", today),
        "approve_extension": lambda a: directive_services.decide_extension(a, get(people, coordinator), True),
        "refuse_extension": lambda a: directive_services.decide_extension(a, get(people, coordinator), False, "Không đủ lý do."),
    }
    for earlier in before_step:
        act(app, task, steps[earlier])
    since = last_notification_id(app)
    act(app, task, steps[step])
    assert news_since(app, since) == expect(people, kind, *keys)
    [first, *_rest] = notifications_since(app, since)
    assert (first.object_type, first.object_id, first.link) == ("assignment", task, f"/assignments/{task}")


def test_decision_titles_name_the_dates(app, people, commune_a_task):
    _directive_id, task = commune_a_task
    act(app, task, lambda a: directive_services.request_extension(
        a, get(people, "commune_a"), date(2030, 9, 30), "Chờ hướng dẫn.", date(2026, 3, 2)))
    since = last_notification_id(app)
    act(app, task, lambda a: directive_services.decide_extension(a, get(people, "coordinator"), True))
    assert notifications_since(app, since)[0].title == \
        "Đồng ý gia hạn nhiệm vụ “Rà soát, bổ sung biên chế còn thiếu” đến 30/09/2030"


def test_a_department_hears_of_its_own_assignment_steps_too(app, people, commune_a_task):
    directive_id, _task = commune_a_task
    sxd_task = assignment_id(app, directive_id, "SXD")
    act(app, sxd_task, lambda a: directive_services.request_completion(a, get(people, "department"), date(2026, 3, 2)))
    since = last_notification_id(app)
    act(app, sxd_task, lambda a: directive_services.confirm_completion(a, get(people, "coordinator")))
    assert news_since(app, since) == expect(people, notices.CONFIRMED, *SXD)


@pytest.mark.parametrize("step", ["report", "suspend", "resume", "cancel", "edit_deadline"])
def test_other_steps_notify_no_one(app, people, commune_a_task, step):
    directive_id, task = commune_a_task
    if step == "resume":
        act(app, task, lambda a: directive_services.suspend(a, get(people, "coordinator"), "Chờ ngân sách."))
    since = last_notification_id(app)
    if step == "edit_deadline":
        with app.app_context():
            directive = db.session.get(Directive, directive_id)
            data = {"issued_by_name": directive.issued_by_name, "title": directive.title, "content": directive.content,
                    "field_id": directive.field_id, "deadline": directive.deadline + timedelta(days=30)}
            directive_services.update_directive(directive, data, get(people, "coordinator"))
            db.session.commit()
    else:
        act(app, task, {
            "report": lambda a: directive_services.add_report(a, get(people, "commune_a"), "Đã rà soát 3 thôn.", 40),
            "suspend": lambda a: directive_services.suspend(a, get(people, "coordinator"), "Chờ ngân sách."),
            "resume": lambda a: directive_services.resume(a, get(people, "coordinator")),
            "cancel": lambda a: directive_services.cancel(a, get(people, "coordinator"), "Không còn phù hợp."),
        }[step])
    assert news_since(app, since) == {}


def test_a_leader_comment_tells_the_departments_assigned_not_the_communes(app, people, commune_a_task):
    directive_id, _task = commune_a_task
    assign(app, people, directive_id, ["STC"], role=workflow.SUPPORT)
    since = last_notification_id(app)
    with app.app_context():
        directive_services.add_comment(db.session.get(Directive, directive_id), get(people, "leader"), "Khẩn trương.")
        db.session.commit()
    assert news_since(app, since) == expect(people, notices.LEADER_COMMENT, *SXD, "support")
    first = notifications_since(app, since)[0]
    assert (first.object_type, first.object_id, first.link) == ("directive", directive_id, f"/directives/{directive_id}")
    assert first.title == "Ý kiến chỉ đạo của Lương Văn Trọng về nhiệm vụ “Rà soát, bổ sung biên chế còn thiếu”"


def unread_in_bell(client) -> str | None:
    match = re.search(r'data-testid="unread-count">([^<]+)<', client.get("/notifications/bell", htmx=True).get_data(as_text=True))
    return match.group(1) if match else None


def test_through_the_site_a_leader_comment_lights_the_bell_until_the_directive_is_opened(app, people, login_as,
                                                                                         commune_a_task):
    directive_id, task = commune_a_task
    department = login_as("department")
    assert unread_in_bell(department) == "1"  # the assignment itself
    assert department.get(f"/assignments/{assignment_id(app, directive_id, 'SXD')}").status_code == 200
    assert unread_in_bell(department) is None
    leader = login_as("leader")
    response = leader.post(f"/directives/{directive_id}/comments", data={"text": "Báo cáo trước 15/3."})
    assert response.status_code == 303
    assert unread_in_bell(department) == "1"
    assert unread_in_bell(login_as("commune_a")) == "1"  # its assignment only, not the comment
    assert department.get(f"/directives/{directive_id}").status_code == 200
    assert unread_in_bell(department) is None
