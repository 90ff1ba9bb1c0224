"""Proposal fixtures: proposals walked to any state through the real services."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Field, Meeting, Unit, User
from app.proposals import services, workflow
from app.proposals.models import Proposal

VERSION_RE = r'name="{prefix}version" type="hidden" value="(\d+)"'


def unit_id(app, code_or_name: str) -> int:
    with app.app_context():
        unit = db.session.scalar(select(Unit).where((Unit.code == code_or_name) | (Unit.name == code_or_name)))
        return unit.id


def field_id(app, name: str = "Giao thông") -> int:
    with app.app_context():
        return db.session.scalar(select(Field.id).where(Field.name == name))


def version_on(page_html: str, prefix: str = "") -> str:
    """The version a form on the page carries (prefix: the action form's prefix, e.g. 'answer-')."""
    match = re.search(VERSION_RE.format(prefix=re.escape(prefix)), page_html)
    assert match, f"no {prefix}version field on the page"
    return match.group(1)


def load(app, proposal_id: int) -> Proposal:
    """Read a proposal fresh from the database (detached, attributes loaded)."""
    with app.app_context():
        proposal = db.session.get(Proposal, proposal_id)
        _ = proposal.support_units, proposal.events, proposal.lead_unit, proposal.field
        db.session.expunge_all()
        return proposal


# Department test accounts by unit code.
LEAD_USERS = {"SXD": "department", "SNV": "department_other"}


@pytest.fixture
def make_proposal(app, users):
    """make_proposal(state, ...) -> id of a proposal walked to state through services."""

    def make(
        state: str = workflow.SUBMITTED,
        *,
        commune: str = "commune_a",
        title: str = "Đầu tư đường giao thông liên thôn",
        content: str = "Đường đất dài 7 km, mùa mưa lầy lội.",
        field: str = "Giao thông",
        lead: str = "SXD",
        supports: tuple[str, ...] = (),
        deadline_days: int | None = 30,
        answered_days_late: int = 0,
        amount: int | None = 1_000_000_000,
        location: str = "",
        meeting_id: int | None = None,
    ) -> int:
        with app.app_context():
            get = lambda key: db.session.get(User, users[key].id)  # noqa: E731
            author, coordinator = get(commune), get("coordinator")

            data = services.ProposalInput(
                title=title, content=content,
                field=db.session.scalar(select(Field).where(Field.name == field)),
                requested_amount=amount, location=location,
                meeting=db.session.get(Meeting, meeting_id) if meeting_id else None,
            )
            proposal = services.create(author, data)
            path = {
                workflow.DRAFT: [],
                workflow.SUBMITTED: ["submit"],
                workflow.RETURNED: ["submit", "return"],
                workflow.WITHDRAWN: ["submit", "withdraw"],
                workflow.ASSIGNED: ["submit", "assign"],
                workflow.ANSWERED: ["submit", "assign", "answer"],
                workflow.CLOSED: ["submit", "assign", "answer", "close"],
            }[state]
            today = clock.today()
            for step in path:
                if step == "submit":
                    services.submit(proposal, author)
                elif step == "return":
                    services.return_to_commune(proposal, coordinator, "Bổ sung khái toán kinh phí.")
                elif step == "withdraw":
                    services.withdraw(proposal, author)
                elif step == "assign":
                    unit = db.session.scalar(select(Unit).where(Unit.code == lead))
                    helpers = list(db.session.scalars(select(Unit).where(Unit.code.in_(supports))))
                    services.assign(proposal, coordinator, unit, helpers)
                    if deadline_days is not None:  # set directly: the service refuses past dates
                        proposal.answer_deadline = today + timedelta(days=deadline_days)
                elif step == "answer":
                    if answered_days_late:
                        proposal.answer_deadline = today - timedelta(days=answered_days_late)
                    services.answer(proposal, get(LEAD_USERS[lead]), workflow.RESOLVED, "Đã bố trí vốn năm 2026.")
                elif step == "close":
                    services.close(proposal, coordinator)
            db.session.commit()
            return proposal.id

    return make


@pytest.fixture
def as_user(app, login_as):
    """as_user(key) -> a logged-in client, one per key, without tripping the login rate limit."""
    from app.extensions import limiter

    clients = {}

    def get(key: str):
        if key not in clients:
            with app.app_context():
                limiter.reset()  # the login limit is tested in tests/auth; here we need many logins
            clients[key] = login_as(key)
        return clients[key]

    return get
