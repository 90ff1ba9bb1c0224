"""Delegation fixtures: the Sở Xây dựng with a head and two officers (the seeded "so.xd" account
is one of them), and the proposal and directive fixtures of their own folders."""

import pytest
from sqlalchemy import select

from app.admin import services as accounts
from app.extensions import db
from app.models import UNIT_HEAD, Unit, User
from tests.conftest import PASSWORD
from tests.directives.conftest import assign, assignment_of, make_directive  # noqa: F401
from tests.proposals.conftest import as_user, make_proposal  # noqa: F401

TEAM = {
    "head": ("so.xd.truong", "Nguyễn Văn Trưởng"),
    "officer2": ("so.xd.cv2", "Võ Thị Cúc"),
}


@pytest.fixture
def team(app, users):
    """{"head", "officer" (the seeded so.xd), "officer2"} -> user id, in the Sở Xây dựng."""
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "SXD"))
        out = {"officer": users["department"].id}
        for key, (username, full_name) in TEAM.items():
            user, _ = accounts.create_user(username, "department", unit, password=PASSWORD, full_name=full_name,
                                           must_change=False)
            if key == "head":
                user.unit_role = UNIT_HEAD
            db.session.flush()
            out[key] = user.id
        db.session.commit()
    return out


def get_user(user_id: int) -> User:
    return db.session.get(User, user_id)
