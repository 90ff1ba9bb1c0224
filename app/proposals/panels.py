"""Home-page panels: the coordinator's inbox and overdue list, the department's queue,
the commune's own proposals, the leader's counts."""

from flask import url_for
from sqlalchemy import Select, func, select, union_all
from sqlalchemy.orm import selectinload

from app import clock, policy
from app import settings as app_settings
from app.extensions import db
from app.listing import panel_count
from app.main.panels import register_panel
from app.proposals import services, timeliness, workflow
from app.proposals.inbox import inbox_context
from app.proposals.models import Proposal, proposal_support_units

PANEL_ROWS = 10


@register_panel((policy.COORDINATOR,), order=10)
def coordinator_inbox(user):
    """Submitted proposals waiting for triage, with the bulk actions."""
    return "proposals/_panel_inbox.html", inbox_context(limit=PANEL_ROWS)


@register_panel((policy.COORDINATOR, policy.LEADER), order=20)
def overdue(user):
    """Assigned proposals past their answer deadline, most overdue first."""
    today = clock.today()
    query = (
        services.scope(select(Proposal), user)
        .where(services.timeliness_clause(timeliness.PENDING_OVERDUE, today))
        .options(selectinload(Proposal.lead_unit), selectinload(Proposal.commune))
        .order_by(Proposal.answer_deadline, Proposal.id)
    )
    total, capped = panel_count(query)
    return "proposals/_panel_overdue.html", {
        "rows": list(db.session.scalars(query.limit(PANEL_ROWS))),
        "total": total,
        "total_capped": capped,
        "badge_of": services.timeliness_checker(today),
        "more_url": url_for("proposals.index", timeliness=timeliness.PENDING_OVERDUE, sort="deadline"),
    }


@register_panel((policy.COORDINATOR,), order=12)
def disagreed(user):
    """Answers the commune does not agree with ("chưa đồng ý"): the office reopens or closes them."""
    query = (
        services.scope(select(Proposal), user)
        .where(services.disagreed_clause())
        .options(selectinload(Proposal.lead_unit), selectinload(Proposal.commune))
        .order_by(Proposal.feedback_at, Proposal.id)
    )
    total, capped = panel_count(query)
    return "proposals/_panel_disagreed.html", {
        "rows": list(db.session.scalars(query.limit(PANEL_ROWS))),
        "total": total,
        "total_capped": capped,
        "more_url": url_for("proposals.index", feedback=workflow.DISAGREE),
    }


@register_panel((policy.DEPARTMENT,), order=12)
def department_due_soon(user):
    """Proposals the unit leads or supports whose answer falls due within the warning period
    (the same rows, and count, as the list's "Sắp đến hạn trả lời" filter)."""
    today, days = clock.today(), app_settings.get_int("due_soon_days")
    query = (
        services.scope(select(Proposal), user)
        .where(services.due_soon_clause(today, days))
        .options(selectinload(Proposal.commune))
        .order_by(Proposal.answer_deadline, Proposal.id)
    )
    total, capped = panel_count(query)
    return "proposals/_panel_due_soon.html", {
        "rows": list(db.session.scalars(query.limit(PANEL_ROWS))),
        "total": total,
        "total_capped": capped,
        "days": days,
        "unit_id": user.unit_id,
        "badge_of": services.timeliness_checker(today),
        "more_url": url_for("proposals.index", timeliness=timeliness.DUE_SOON),
    }


@register_panel((policy.DEPARTMENT,), order=10)
def department_queue(user):
    """Proposals the unit must answer (lead) or give an opinion on (support), due soonest first."""
    lead, support = _waiting_for(user.unit_id)
    # The first rows of each half, then of both: the index on (lead unit, state, deadline)
    # serves the lead half, so a department with 15,000 proposals waiting reads a few dozen
    # rows, where "lead = X OR id IN (its support rows)" read every assigned proposal.
    first = [q.order_by(Proposal.answer_deadline, Proposal.id).limit(PANEL_ROWS).subquery() for q in (lead, support)]
    ids = union_all(*(select(sub.c.id) for sub in first))
    query = (
        select(Proposal)
        .where(Proposal.id.in_(ids))
        .options(selectinload(Proposal.commune), selectinload(Proposal.support_units))
        .order_by(Proposal.answer_deadline, Proposal.id)
    )
    both = union_all(lead, support).subquery()
    total, capped = panel_count(select(both.c.id))
    return "proposals/_panel_queue.html", {
        "rows": list(db.session.scalars(query.limit(PANEL_ROWS))),
        "total": total,
        "total_capped": capped,
        "unit_id": user.unit_id,
        "badge_of": services.timeliness_checker(),
        "more_url": url_for("proposals.index", state=workflow.ASSIGNED, sort="deadline"),
    }


def _waiting_for(unit_id: int) -> tuple[Select, Select]:
    """Ids (with deadlines) of the assigned proposals unit_id leads, and of those it supports.

    Together they are services.scope() for a department, restricted to the assigned state;
    a lead unit is never also a support unit of the same proposal, so the halves are disjoint.
    """
    lead = select(Proposal.id, Proposal.answer_deadline).where(
        Proposal.lead_unit_id == unit_id, Proposal.state == workflow.ASSIGNED)
    support = (
        select(Proposal.id, Proposal.answer_deadline)
        .join(proposal_support_units, proposal_support_units.c.proposal_id == Proposal.id)
        .where(proposal_support_units.c.unit_id == unit_id, Proposal.state == workflow.ASSIGNED,
               Proposal.lead_unit_id.is_distinct_from(unit_id))
    )
    return lead, support


# What a commune must act on comes first: returned, answered (feedback), drafts.
_COMMUNE_ORDER = {workflow.RETURNED: 0, workflow.ANSWERED: 1, workflow.DRAFT: 2}


@register_panel((policy.COMMUNE,), order=10)
def commune_proposals(user):
    """The commune's own proposals, those waiting for it first."""
    rows = list(db.session.scalars(
        services.scope(select(Proposal), user)
        .where(Proposal.state != workflow.WITHDRAWN)
        .options(selectinload(Proposal.lead_unit))
        .order_by(Proposal.updated_at.desc(), Proposal.id.desc())
        .limit(50)
    ))
    rows.sort(key=lambda p: _COMMUNE_ORDER.get(p.state, 3))
    # Only the returned ones are announced: count those (an index range), not every state.
    returned = db.session.scalar(
        services.scope(select(func.count()).select_from(Proposal), user).where(Proposal.state == workflow.RETURNED)
    )
    counts = {workflow.RETURNED: returned} if returned else {}
    return "proposals/_panel_commune.html", {
        "rows": rows[:PANEL_ROWS],
        "counts": counts,
        "badge_of": services.timeliness_checker(),
    }


@register_panel((policy.LEADER,), order=10)
def leader_counts(user):
    """How many proposals are in each state."""
    counts = dict(db.session.execute(
        services.scope(select(Proposal.state, func.count()), user).group_by(Proposal.state)
    ).all())
    return "proposals/_panel_counts.html", {"counts": counts, "labels": workflow.STATE_LABELS}
