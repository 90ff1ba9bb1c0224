import pytest
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import Unit, User

ROLE_OF_KEY = {"commune_a": "commune", "department": "department", "coordinator": "coordinator",
               "leader": "leader", "admin": "admin"}


@pytest.fixture
def guarded_app(app):
    """The app with one probe view per role decorator, added before the first request."""
    for role in policy.ROLES:
        app.add_url_rule(f"/probe/{role}", f"probe_{role}", policy.role_required(role)(lambda role=role: f"ok {role}"))
    app.add_url_rule("/probe/province", "probe_province",
                     policy.role_required(policy.COORDINATOR, policy.LEADER)(lambda: "ok province"))
    return app


@pytest.mark.parametrize("user_key", list(ROLE_OF_KEY))
@pytest.mark.parametrize("guard", [*policy.ROLES, "province"])
def test_role_decorators(guarded_app, login_as, user_key, guard):
    client = login_as(user_key)
    response = client.get(f"/probe/{guard}")
    role = ROLE_OF_KEY[user_key]
    allowed = role == guard or (guard == "province" and role in ("coordinator", "leader"))
    assert response.status_code == (200 if allowed else 403)


def test_role_decorator_sends_anonymous_to_login(guarded_app):
    response = guarded_app.test_client().get("/probe/leader?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/probe/leader?x%3D1"


def test_scope_to_unit(app, users):
    with app.app_context():
        query = select(Unit.id)

        def visible(key):
            user = db.session.get(User, users[key].id)
            return set(db.session.scalars(policy.scope_to_unit(query, user, Unit.id)))

        everything = set(db.session.scalars(query))
        assert visible("coordinator") == everything
        assert visible("leader") == everything
        assert visible("commune_a") == {users["commune_a"].unit_id}
        assert visible("department") == {users["department"].unit_id}
        assert visible("admin") == set()


def test_roles_allowed_per_unit(app):
    with app.app_context():
        commune = db.session.scalar(select(Unit).where(Unit.kind == "xa"))
        body = db.session.scalar(select(Unit).where(Unit.code == "SNV"))
        assert policy.allowed_roles_for_unit(commune) == ("commune",)
        assert "commune" not in policy.allowed_roles_for_unit(body)
