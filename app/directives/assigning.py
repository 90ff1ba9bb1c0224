"""Assigning a directive to units: the form's shortcuts, the unit picker, bulk inserts."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite

from app import audit, clock, reference
from app.directives import notices, workflow
from app.directives.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    DirectiveEvent,
)
from app.extensions import db
from app.models import COMMUNE_KINDS, PROVINCIAL_KINDS, Unit
from app.service_error import ServiceError
from app.urls import parse_id

# Assign-form shortcuts.
SCOPE_ALL_COMMUNES = "all_communes"
SCOPE_ALL_BODIES = "all_bodies"
SCOPE_PICKED = "picked"


@dataclass(frozen=True)
class AssignResult:
    created: int
    skipped: int


def units_for_scope(scope: str, picked: list[str] | None = None) -> list[int]:
    """Unit ids for an assign-form shortcut, or the picked ids once checked to be real units."""
    if scope == SCOPE_ALL_COMMUNES:
        query = select(Unit.id).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True))
        return list(db.session.scalars(query.order_by(Unit.id)))
    if scope == SCOPE_ALL_BODIES:
        query = select(Unit.id).where(Unit.kind.in_(PROVINCIAL_KINDS), Unit.active.is_(True))
        return list(db.session.scalars(query.order_by(Unit.sort_order, Unit.id)))
    if scope != SCOPE_PICKED:
        raise ServiceError(_l("Chọn phạm vi giao nhiệm vụ."), field="scope")
    raw = [value.strip() for value in (picked or []) if value.strip()]
    if not raw:
        raise ServiceError(_l("Chọn ít nhất một đơn vị."), field="unit_ids")
    numbers = [parse_id(value) for value in raw]
    if None in numbers:
        raise ServiceError(_l("Danh sách đơn vị có giá trị không hợp lệ."), field="unit_ids")
    ids = list(dict.fromkeys(numbers))
    found = set(db.session.scalars(select(Unit.id).where(Unit.id.in_(ids), Unit.active.is_(True))))
    if len(found) != len(ids):
        raise ServiceError(_l("Có đơn vị không tồn tại hoặc đã ngừng hoạt động trong danh sách đã chọn."), field="unit_ids")
    return ids


def _insert_ignoring_duplicates(table):
    """INSERT ... ON CONFLICT DO NOTHING for the database in use."""
    dialect = db.session.get_bind().dialect.name
    module = postgresql if dialect == "postgresql" else sqlite
    return module.insert(table).on_conflict_do_nothing(index_elements=["directive_id", "unit_id"])


def assign_to_units(
    directive: Directive, unit_ids: list[int], role: str, user, *, source: str | None = None
) -> AssignResult:
    """Create one assignment per unit not yet assigned, in one transaction of bulk inserts.

    Units that already have an assignment are skipped, and the unique (directive, unit)
    constraint with ON CONFLICT DO NOTHING keeps a double submit from adding anything even
    when two requests race. source (an imported file and row) goes into the history and
    the audit log. The caller commits.
    """
    if role not in workflow.ROLES:
        raise ServiceError(_l("Vai trò không hợp lệ."), field="role")
    wanted = list(dict.fromkeys(unit_ids))
    existing = set(db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive.id)))
    new_ids = [unit_id for unit_id in wanted if unit_id not in existing]
    inserted: list[tuple[int, int]] = []
    if new_ids:
        now = clock.now()
        rows = [
            {
                "directive_id": directive.id,
                "unit_id": unit_id,
                "role": role,
                "state": workflow.IN_PROGRESS,
                "original_deadline": directive.deadline,
                "assigned_by_id": user.id,
                "created_at": now,
                "updated_at": now,
                "version": 1,
            }
            for unit_id in new_ids
        ]
        table = Assignment.__table__
        statement = _insert_ignoring_duplicates(table).returning(table.c.id, table.c.unit_id)
        inserted = [tuple(row) for row in db.session.execute(statement, rows)]
        if inserted:
            db.session.execute(
                AssignmentEvent.__table__.insert(),
                [
                    {
                        "assignment_id": assignment_id,
                        "actor_id": user.id,
                        "created_at": now,
                        "kind": "assigned",
                        "to_state": workflow.IN_PROGRESS,
                        "note": str(workflow.ROLE_LABELS[role]),  # a column takes text, not a lazy string
                    }
                    for assignment_id, _unit_id in inserted
                ],
            )
    created = len(inserted)
    skipped = len(wanted) - created
    if created:
        db.session.add(
            DirectiveEvent(
                directive_id=directive.id, actor_id=user.id, kind="assigned", note=source,
                changes={"role": role, "created": created, "skipped": skipped},
            )
        )
        after = {"role": role, "unit_ids": sorted(unit for _id, unit in inserted), "skipped": skipped}
        if source:
            after["source"] = source
        audit.record("directive.assign", directive, after=after)
        notices.assigned(directive, inserted, role)
    return AssignResult(created=created, skipped=skipped)


def assigned_unit_ids(directive: Directive) -> set[int]:
    return set(db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive.id)))


def picker_units(q: str = "", level: str = "") -> list[Unit]:
    """Active units for the assign form's picker, bodies first then communes in Vietnamese order."""
    return reference.find_units(q, level, active_only=True)
