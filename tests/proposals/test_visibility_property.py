"""The Python rule (workflow.can_see, which the workflow's decisions use) and the SQL rule
(visibility.scope, which every list, page, panel, export and report starts from) agree on
who sees which proposal, for every role, on generated proposals."""

from types import SimpleNamespace

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app import policy
from app.extensions import db
from app.models import COMMUNE_KINDS, Field, Unit, User
from app.proposals import visibility, workflow
from app.proposals.models import Proposal

COMMUNES = 3
DEPARTMENTS = 3

proposal_shapes = st.lists(
    st.fixed_dictionaries({
        "state": st.sampled_from(workflow.STATES),
        "commune": st.integers(0, COMMUNES - 1),
        "lead": st.one_of(st.none(), st.integers(0, DEPARTMENTS - 1)),
        "supports": st.frozensets(st.integers(0, DEPARTMENTS - 1), max_size=DEPARTMENTS),
    }),
    min_size=1, max_size=8,
)


def _actors(communes, departments, other_unit):
    """One user per role and unit that role can hold, and some that hold no relation at all."""
    for role in policy.ROLES:
        units = communes if role == policy.COMMUNE else [*departments, other_unit]
        for unit in units:
            yield SimpleNamespace(role=role, unit_id=unit.id)
    yield SimpleNamespace(role=policy.DEPARTMENT, unit_id=None)
    yield SimpleNamespace(role="unknown", unit_id=communes[0].id)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shapes=proposal_shapes)
def test_sql_scope_and_python_rule_agree_for_every_role(app, shapes):
    with app.app_context():
        communes = list(db.session.scalars(
            select(Unit).where(Unit.kind.in_(COMMUNE_KINDS)).order_by(Unit.id).limit(COMMUNES)))
        bodies = list(db.session.scalars(
            select(Unit).where(Unit.kind.not_in(COMMUNE_KINDS)).order_by(Unit.id).limit(DEPARTMENTS + 1)))
        departments, other_unit = bodies[:DEPARTMENTS], bodies[DEPARTMENTS]
        author = db.session.scalar(select(User).order_by(User.id))
        field = db.session.scalar(select(Field).order_by(Field.id))
        try:
            made = []
            for shape in shapes:
                lead = departments[shape["lead"]] if shape["lead"] is not None else None
                proposal = Proposal(
                    commune_unit_id=communes[shape["commune"]].id, author_id=author.id, title="t", content="c",
                    field_id=field.id, state=shape["state"], lead_unit_id=lead.id if lead else None,
                    support_units=[departments[i] for i in sorted(shape["supports"]) if departments[i] is not lead],
                )
                db.session.add(proposal)
                made.append(proposal)
            db.session.flush()
            ids = [p.id for p in made]
            for user in _actors(communes, departments, other_unit):
                actor = visibility.actor_of(user)
                by_python = {p.id for p in made if workflow.can_see(actor, p.facts)}
                by_sql = set(db.session.scalars(visibility.scope(select(Proposal.id), user).where(Proposal.id.in_(ids))))
                assert by_sql == by_python, (user, shapes)
        finally:
            db.session.rollback()
