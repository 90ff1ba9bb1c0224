"""Helpers for the feature-event tests: more accounts per unit, items walked through the
real services, and "who got what" read back from the database."""

from collections import defaultdict
from datetime import date

from sqlalchemy import func, select

from app.admin import services as accounts
from app.extensions import db
from app.models import Field, Unit, User
from app.notifications.models import Notification
from app.proposals import services as proposal_services
from app.proposals import workflow
from tests.conftest import PASSWORD

# Who hears of an event, as account keys: both active people of each unit.
COORDINATORS = ("coordinator", "coordinator2")
COMMUNE_A = ("commune_a", "commune_a2")

# key -> (username, role, unit code or name, active); added next to the seeded accounts so
# every unit that hears of something has two active people and one disabled account.
EXTRA_ACCOUNTS = {
    "commune_a2": ("xa.a2", "commune", "Xã Ia Boòng", True),
    "commune_a_off": ("xa.a.nghi", "commune", "Xã Ia Boòng", False),
    "department2": ("so.xd2", "department", "SXD", True),
    "department_off": ("so.xd.nghi", "department", "SXD", False),
    "support": ("so.tc", "department", "STC", True),
    "coordinator2": ("vanphong2", "coordinator", "UB-VP", True),
    "coordinator_off": ("vanphong.nghi", "coordinator", "TU-VP", False),
    "leader2": ("lanhdao2", "leader", "TU-VP", True),
}


def make_people(app, users) -> dict[str, int]:
    """Every seeded and extra account's id by key."""
    people = {key: user.id for key, user in users.items()}
    with app.app_context():
        for key, (username, role, unit_ref, active) in EXTRA_ACCOUNTS.items():
            user, _password = accounts.create_user(username, role, accounts.find_unit(unit_ref), password=PASSWORD,
                                                   full_name=f"Cán bộ {username}", must_change=False)
            user.active = active
            people[key] = user.id
        db.session.commit()
    return people


def get(people: dict[str, int], key: str) -> User:
    """The account by key, inside an app context."""
    return db.session.get(User, people[key])


def unit(code_or_name: str) -> Unit:
    return db.session.scalar(select(Unit).where((Unit.code == code_or_name) | (Unit.name == code_or_name)))


def last_notification_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(Notification.id))) or 0


def news_since(app, since: int) -> dict[int, list[str]]:
    """{recipient id: [kinds]} of the notifications created after id since."""
    out: dict[int, list[str]] = defaultdict(list)
    with app.app_context():
        rows = db.session.execute(select(Notification.recipient_id, Notification.kind)
                                  .where(Notification.id > since).order_by(Notification.id))
        for recipient_id, kind in rows:
            out[recipient_id].append(kind)
    return dict(out)


def notifications_since(app, since: int) -> list[Notification]:
    with app.app_context():
        rows = list(db.session.scalars(select(Notification).where(Notification.id > since).order_by(Notification.id)))
        db.session.expunge_all()
        return rows


def expect(people: dict[str, int], kind: str, *keys: str) -> dict[int, list[str]]:
    """The news_since() result when exactly keys got one notification of kind each."""
    return {people[key]: [kind] for key in keys}


def walk_proposal(app, people, state: str, *, lead: str = "SXD", supports: tuple[str, ...] = ("STC",),
                  deadline: date | None = None, title: str = "Sửa chữa trường tiểu học thôn 3") -> int:
    """A proposal of commune_a walked to state through the services; returns its id."""
    with app.app_context():
        author, coordinator = get(people, "commune_a"), get(people, "coordinator")
        field = db.session.scalar(select(Field).where(Field.name == "Giáo dục (trường học)"))
        proposal = proposal_services.create(author, proposal_services.ProposalInput(
            title=title, content="Hai phòng học xuống cấp, mùa mưa dột.", field=field))
        steps = {
            workflow.DRAFT: [], workflow.SUBMITTED: ["submit"], workflow.RETURNED: ["submit", "return"],
            workflow.ASSIGNED: ["submit", "assign"], workflow.ANSWERED: ["submit", "assign", "answer"],
            workflow.CLOSED: ["submit", "assign", "answer", "close"],
        }[state]
        for step in steps:
            if step == "submit":
                proposal_services.submit(proposal, author)
            elif step == "return":
                proposal_services.return_to_commune(proposal, coordinator, "Bổ sung dự toán.")
            elif step == "assign":
                proposal_services.assign(proposal, coordinator, unit(lead), [unit(code) for code in supports])
                if deadline is not None:
                    proposal.answer_deadline = deadline
            elif step == "answer":
                proposal_services.answer(proposal, get(people, "department"), workflow.RESOLVED, "Đã bố trí vốn.")
            elif step == "close":
                proposal_services.close(proposal, coordinator)
        db.session.commit()
        return proposal.id
