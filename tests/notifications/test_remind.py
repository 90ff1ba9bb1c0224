"""flask remind: reminder sources, idempotence, digests and pending e-mail in one daily run."""

from datetime import date

import pytest
from sqlalchemy import func, select

from app import deadlines
from app.extensions import db
from app.models import User
from app.notifications import Reminder, due_soon_until, register_reminder_source, users_of_unit
from app.notifications.models import Notification
from app.notifications.reminders import reminder_sources, unregister_reminder_source
from tests.notifications.conftest import notifications_of, set_user


@pytest.fixture
def register():
    """Register reminder sources for one test and remove them afterwards."""
    added = []

    def add(fn):
        register_reminder_source(fn)
        added.append(fn)
        return fn

    yield add
    for fn in added:
        unregister_reminder_source(fn)


@pytest.fixture
def tasks(app, users):
    """Two tasks with deadlines, as a directives feature would keep them: (id, unit_id, deadline)."""
    with app.app_context():
        commune_unit = db.session.get(User, users["commune_a"].id).unit_id
    return [
        {"id": 1, "unit_id": commune_unit, "deadline": deadlines.add_working_days(date(2026, 2, 12), 4)},  # 25/02/2026, after Tết
        {"id": 2, "unit_id": commune_unit, "deadline": date(2026, 3, 31)},
    ]


def deadline_source(tasks):
    """A source written the way features should write theirs."""

    def source(today):
        for task in tasks:
            deadline = task["deadline"]
            if today <= deadline <= due_soon_until(today):
                yield Reminder(users_of_unit(task["unit_id"]), "task.due_soon",
                               f"Nhiệm vụ số {task['id']} sắp đến hạn ({deadline:%d/%m/%Y})", f"/tasks/{task['id']}",
                               "task", task["id"], f"due_soon:task:{task['id']}:{deadline.isoformat()}")
            elif deadline < today:
                yield Reminder(users_of_unit(task["unit_id"]), "task.overdue",
                               f"Nhiệm vụ số {task['id']} đã quá hạn ({deadline:%d/%m/%Y})", f"/tasks/{task['id']}",
                               "task", task["id"], f"overdue:task:{task['id']}:{deadline.isoformat()}")

    return source


def titles(app, user) -> list[str]:
    return [n.title for n in notifications_of(app, user)]


def test_remind_is_idempotent_day_after_day(app, users, runner, register, tasks):
    register(deadline_source(tasks))
    result = runner.invoke(args=["remind", "--date", "2026-02-20"])  # 5 days before: nothing yet
    assert result.exit_code == 0, result.output
    assert "0 notification(s) created" in result.output and "E-mail: off" in result.output
    assert titles(app, users["commune_a"]) == []

    for _run in range(2):  # the same day twice
        assert runner.invoke(args=["remind", "--date", "2026-02-22"]).exit_code == 0
    assert titles(app, users["commune_a"]) == ["Nhiệm vụ số 1 sắp đến hạn (25/02/2026)"]

    runner.invoke(args=["remind", "--date", "2026-02-23"])  # still due soon: no second reminder
    runner.invoke(args=["remind", "--date", "2026-02-25"])  # the deadline day itself
    assert len(titles(app, users["commune_a"])) == 1

    result = runner.invoke(args=["remind", "--date", "26/02/2026"])  # first day overdue
    assert "1 notification(s) created" in result.output
    runner.invoke(args=["remind", "--date", "26/02/2026"])
    runner.invoke(args=["remind", "--date", "27/02/2026"])
    assert titles(app, users["commune_a"]) == [
        "Nhiệm vụ số 1 sắp đến hạn (25/02/2026)", "Nhiệm vụ số 1 đã quá hạn (25/02/2026)",
    ]
    # Only the commune's own staff heard of it.
    for key in ("commune_b", "department", "coordinator", "leader", "admin"):
        assert titles(app, users[key]) == []
    [overdue] = [n for n in notifications_of(app, users["commune_a"]) if n.kind == "task.overdue"]
    assert (overdue.object_type, overdue.object_id, overdue.link) == ("task", 1, "/tasks/1")


def test_an_extended_deadline_gets_its_own_reminder(app, users, runner, register, tasks):
    register(deadline_source(tasks))
    runner.invoke(args=["remind", "--date", "2026-02-23"])
    tasks[0]["deadline"] = date(2026, 3, 5)  # the coordinator approved an extension
    runner.invoke(args=["remind", "--date", "2026-03-02"])
    assert titles(app, users["commune_a"]) == [
        "Nhiệm vụ số 1 sắp đến hạn (25/02/2026)", "Nhiệm vụ số 1 sắp đến hạn (05/03/2026)",
    ]


def test_due_soon_follows_the_admin_setting(app):
    with app.app_context():
        assert due_soon_until(date(2026, 3, 2)) == date(2026, 3, 5)
        from app import settings

        settings.set_int("due_soon_days", 5)
        db.session.commit()
        assert due_soon_until(date(2026, 3, 2)) == date(2026, 3, 7)


def test_a_broken_source_does_not_stop_the_others(app, users, runner, register):
    @register
    def broken(today):
        yield Reminder([users["leader"].id], "k", "Một nửa", "/a", None, None, "broken:1")
        raise RuntimeError("lỗi nguồn nhắc việc")

    @register
    def working(today):
        return [([users["coordinator"].id], "k", "Nhắc điều phối", "/b", None, None, f"ok:{today}")]

    result = runner.invoke(args=["remind", "--date", "2026-03-02"])
    assert result.exit_code == 1
    assert "broken" in result.output
    assert titles(app, users["coordinator"]) == ["Nhắc điều phối"]
    assert titles(app, users["leader"]) == []  # the broken source's half-done work was rolled back


def test_a_reminder_without_dedup_key_is_refused(app, users, runner, register):
    @register
    def careless(today):
        return [Reminder([users["leader"].id], "k", "Không khóa", "/a", None, None, "")]

    result = runner.invoke(args=["remind", "--date", "2026-03-02"])
    assert result.exit_code == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Notification)) == 0


def test_registering_twice_keeps_one(register):
    def source(today):
        return []

    register(source)
    register(source)
    assert reminder_sources().count(source) == 1


def test_remind_emails_once_across_runs(mail_app, smtp, users, runner, register, tasks):
    set_user(mail_app, users["commune_a"], email="xa.iaboong@gialai.gov.vn", email_preference="immediate")
    set_user(mail_app, users["commune_b"], email="p.pleiku@gialai.gov.vn", email_preference="digest")
    register(deadline_source(tasks))

    @register
    def to_commune_b(today):
        return [Reminder([users["commune_b"].id], "task.due_soon", "Nhiệm vụ của phường sắp đến hạn",
                         "/tasks/7", "task", 7, "due_soon:task:7:2026-02-25")]

    outputs = []
    for _run in range(2):
        result = runner.invoke(args=["remind", "--date", "2026-02-23"])
        assert result.exit_code == 0, result.output
        outputs.append(result.output)
    assert "2 notification(s) created" in outputs[0] and "1 digest e-mail(s)" in outputs[0]
    assert "0 notification(s) created" in outputs[1] and "E-mails: 0 sent" in outputs[1]
    assert [m["Subject"] for m in smtp.inbox.to("xa.iaboong@gialai.gov.vn")] == [
        "[Giao Ban] Nhiệm vụ số 1 sắp đến hạn (25/02/2026)"]
    [digest] = smtp.inbox.to("p.pleiku@gialai.gov.vn")
    assert "Nhiệm vụ của phường sắp đến hạn" in digest.get_body(("plain",)).get_content()
    assert len(smtp.inbox.messages) == 2
