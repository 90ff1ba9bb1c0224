"""Rows as the API's JSON (the shapes are documented in schemas.py)."""

from __future__ import annotations

import hashlib
import json
from datetime import date

from flask import jsonify, request

from app.directives import status as directive_status
from app.directives.models import Assignment, Directive, ProgressReport
from app.models import Field, Meeting, Unit
from app.proposals import workflow as proposal_workflow
from app.proposals.models import Proposal


def unit_ref(unit: Unit | None) -> dict | None:
    return None if unit is None else {"id": unit.id, "name": unit.name}


def unit(u: Unit) -> dict:
    return {"id": u.id, "code": u.code, "name": u.name, "kind": u.kind, "is_commune": u.is_commune, "active": u.active}


def field(f: Field) -> dict:
    return {"id": f.id, "name": f.name, "active": f.active}


def meeting(m: Meeting) -> dict:
    return {"id": m.id, "title": m.title, "held_on": m.held_on.isoformat(), "kind": m.kind,
            "chair_name": m.chair_name or "", "chair_title": m.chair_title or "", "summary": m.summary or "",
            "version": m.version}


def _iso(value) -> str | None:
    return None if value is None else value.isoformat()


def proposal(p: Proposal) -> dict:
    return {
        "id": p.id, "title": p.title, "content": p.content, "state": p.state,
        "state_label": str(proposal_workflow.STATE_LABELS[p.state]),
        "commune": unit_ref(p.commune), "field": field(p.field), "meeting_id": p.meeting_id,
        "requested_amount": p.requested_amount, "location": p.location or "",
        "lead_unit": unit_ref(p.lead_unit), "support_units": [unit_ref(u) for u in p.support_units],
        "answer_deadline": _iso(p.answer_deadline), "answered_on": _iso(p.answered_on),
        "answer_outcome": p.answer_outcome, "answer_text": p.answer_text,
        "sent_at": _iso(p.sent_at), "version": p.version,
    }


def counts(c: directive_status.Counts) -> dict:
    out = {key: c[key] for key in directive_status.ALL_KEYS}
    out["total"] = c.total
    out["completion_rate"] = c.completion_rate
    out["on_time_rate"] = c.on_time_rate
    return out


def directive(d: Directive, rollup: directive_status.Counts) -> dict:
    return {
        "id": d.id, "title": d.title, "content": d.content or "", "meeting_id": d.meeting_id,
        "field_id": d.field_id, "issued_by_name": d.issued_by_name or "",
        "issued_by_title": d.issued_by_title or "", "deadline": _iso(d.deadline), "is_ongoing": d.is_ongoing,
        "reporting_period": d.reporting_period, "created_at": _iso(d.created_at), "version": d.version,
        "rollup": counts(rollup),
    }


def assignment(a: Assignment, today: date, soon: int) -> dict:
    s = a.status_on(today, soon)
    return {
        "id": a.id, "directive_id": a.directive_id, "directive_title": a.directive.title,
        "unit": unit_ref(a.unit), "role": a.role, "state": a.state, "state_label": str(a.state_label),
        "original_deadline": _iso(a.original_deadline), "extended_deadline": _iso(a.extended_deadline),
        "deadline": _iso(a.deadline), "completion_requested_on": _iso(a.completion_requested_on),
        "completed_on": _iso(a.completed_on),
        "status": {"key": s.key, "label": str(s.label), "days_overdue": s.days_overdue,
                   "days_left": s.days_left, "due_soon": s.due_soon},
        "version": a.version,
    }


def report(r: ProgressReport) -> dict:
    return {"id": r.id, "assignment_id": r.assignment_id, "text": r.text, "percent": r.percent,
            "created_at": _iso(r.created_at)}


def page(keyset_page, rows: list[dict]) -> dict:
    return {"items": rows, "total": keyset_page.total, "total_capped": keyset_page.total_capped,
            "next_cursor": keyset_page.next_cursor}


def conditional(body: dict, version: int | None = None):
    """Answer body with an ETag; 304 when If-None-Match already names it.

    The tag is "<version>-<digest>" for one versioned row (If-Match compares the version),
    the digest alone for lists and figures: anything in the body changing changes the tag.
    """
    encoded = json.dumps(body, sort_keys=True, ensure_ascii=False, default=str).encode("utf-8")
    digest = hashlib.sha256(encoded).hexdigest()[:16]
    tag = f"{version}-{digest}" if version is not None else digest
    reply = jsonify(body)
    reply.set_etag(tag)
    reply.headers["Cache-Control"] = "private, no-cache"
    if request.if_none_match.contains(tag):
        reply = jsonify({})
        reply.status_code = 304
        reply.set_data(b"")
        reply.set_etag(tag)
    return reply
