"""Who may see which directive, assignment and progress report: one scoped query per entity
that the lists, pages, panels, exports, reports and file downloads start from."""

from __future__ import annotations

from flask import abort
from sqlalchemy import false, select

from app import policy
from app.directives.models import (
    Assignment,
    Directive,
    ProgressReport,
)
from app.extensions import db
from app.models import Attachment


def scope_directives(query, user):
    """Province-wide roles see every directive; a unit only those assigned to it; admins none."""
    if policy.sees_everything(user):
        return query
    if user.role in (policy.COMMUNE, policy.DEPARTMENT):
        mine = select(Assignment.id).where(Assignment.directive_id == Directive.id, Assignment.unit_id == user.unit_id)
        return query.where(mine.exists())
    return query.where(false())


def visible_directives(user):
    """select() of the directives user may see."""
    return scope_directives(select(Directive), user)


def scope_assignments(query, user):
    """Restrict a select() involving Assignment to the assignments user may see: province-wide
    roles all, a unit its own, anyone else none."""
    return policy.scope_to_unit(query, user, Assignment.unit_id)


def visible_assignments(user):
    """select() of the assignments user may see."""
    return scope_assignments(select(Assignment), user)


def get_directive_or_404(directive_id: int, user) -> Directive:
    directive = db.session.scalar(visible_directives(user).where(Directive.id == directive_id))
    if directive is None:
        abort(404)
    return directive


def get_assignment_or_404(assignment_id: int, user) -> Assignment:
    assignment = db.session.scalar(visible_assignments(user).where(Assignment.id == assignment_id))
    if assignment is None:
        abort(404)
    return assignment


def can_see_directive(user, directive_id: int) -> bool:
    query = scope_directives(select(Directive.id), user).where(Directive.id == directive_id)
    return db.session.scalar(query) is not None


def can_see_report(user, report_id: int) -> bool:
    query = scope_assignments(
        select(ProgressReport.id).join(Assignment, ProgressReport.assignment_id == Assignment.id), user
    ).where(ProgressReport.id == report_id)
    return db.session.scalar(query) is not None


def attachments_of(owner_type: str, owner_id: int) -> list[Attachment]:
    return list(db.session.scalars(Attachment.for_owner(owner_type, owner_id)))
