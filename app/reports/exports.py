"""Exports of the proposal list and the assignments list, as the user filtered them.

The filters are read by the lists' own code and the rows come from the lists' own queries,
so the file holds exactly what the screen lists (every page of it), within what the user
may see. Rows are streamed from the database into the file: an Excel workbook (title and
filters above the table) or a CSV file (the table alone, for other programs).
"""

from __future__ import annotations

from typing import BinaryIO

from flask import request
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, nulls_last, select
from sqlalchemy.orm import aliased

from app import clock, policy
from app import settings as app_settings
from app.directives import choices as directive_choices
from app.directives import services as directives
from app.directives import status
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment, Directive
from app.documents.csvfile import write_csv
from app.documents.xlsx import write_xlsx
from app.extensions import db
from app.formatting import format_date, format_datetime
from app.listing import parse_sort
from app.models import Field, Meeting, Unit
from app.proposals import list_args, timeliness, workflow
from app.proposals import services as proposals
from app.proposals.models import Proposal, proposal_support_units
from app.text import in_sentence

STREAM_ROWS = 500
TITLES = {"proposals": _l("Danh sách kiến nghị"), "assignments": _l("Danh sách nhiệm vụ")}


def _name(model, ident) -> str:
    row = db.session.get(model, ident) if ident else None
    if row is None:
        return ""
    return getattr(row, "name", None) or getattr(row, "title", "")


def _footer_lines(user) -> list[str]:
    return [_("Xuất lúc %(at)s, người xuất: %(who)s (%(unit)s)", at=format_datetime(clock.now()),
              who=user.full_name or user.username, unit=user.unit.name)]


# --- proposals ------------------------------------------------------------------------------


def proposal_filter_lines(user, filters: proposals.ListFilters) -> list[str]:
    """The filters in words, as the list's filter form shows them."""
    if user.role == policy.COMMUNE:
        lines = [_("Phạm vi: kiến nghị của %(unit)s", unit=in_sentence(user.unit.name))]
    elif user.role == policy.DEPARTMENT:
        lines = [_("Phạm vi: kiến nghị %(unit)s chủ trì hoặc phối hợp xử lý", unit=in_sentence(user.unit.name))]
    else:
        lines = [_("Phạm vi: toàn tỉnh")]
    if filters.q:
        lines.append(_("Tìm kiếm: “%(q)s”", q=filters.q))
    if filters.state in workflow.STATES:
        lines.append(_("Trạng thái: %(v)s", v=workflow.STATE_LABELS[filters.state]))
    if filters.field_id:
        lines.append(_("Lĩnh vực: %(v)s", v=_name(Field, filters.field_id)))
    if filters.commune_id:
        lines.append(_("Xã, phường: %(v)s", v=_name(Unit, filters.commune_id)))
    if filters.department_id:
        lines.append(_("Đơn vị xử lý (chủ trì hoặc phối hợp): %(v)s", v=_name(Unit, filters.department_id)))
    if filters.lead_id:
        lines.append(_("Đơn vị chủ trì: %(v)s", v=_name(Unit, filters.lead_id)))
    if filters.meeting_id:
        lines.append(_("Hội nghị: %(v)s", v=_name(Meeting, filters.meeting_id)))
    if filters.timeliness in timeliness.FILTER_LABELS:
        lines.append(_("Thời hạn: %(v)s", v=timeliness.FILTER_LABELS[filters.timeliness]))
    if filters.feedback in workflow.FEEDBACK_LABELS:
        lines.append(_("Ý kiến của xã về câu trả lời: %(v)s", v=workflow.FEEDBACK_LABELS[filters.feedback]))
    if filters.date_from or filters.date_to:
        lines.append(_("Gửi từ ngày %(a)s đến ngày %(b)s", a=format_date(filters.date_from) or "…",
                       b=format_date(filters.date_to) or "…"))
    return lines


def _proposal_rows_query(user, filters: proposals.ListFilters):
    """The list's own query (scope, filters, sort), reading exactly the columns the file writes:
    plain rows, no objects. The commune's name comes from the commune the list joins to sort by."""
    _sort, order = parse_sort(proposals.sort_columns(), list_args.DEFAULT_SORT)
    commune = proposals.sort_columns()["commune"].parent.entity  # the list's own alias of Unit
    lead = aliased(Unit, name="lead_unit")
    return (
        proposals.list_query(user, filters, nulls_last(order))
        .with_only_columns(
            Proposal.id, Proposal.title, commune.name, Field.name, Proposal.requested_amount, Proposal.submitted_at,
            Proposal.state, Proposal.received_at, lead.name, Proposal.answer_deadline, Proposal.answered_on,
            Proposal.answer_outcome, Meeting.title,
        )
        .outerjoin(Field, Field.id == Proposal.field_id)
        .outerjoin(lead, lead.id == Proposal.lead_unit_id)
        .outerjoin(Meeting, Meeting.id == Proposal.meeting_id)
    )


def _support_names(ids: list[int]) -> dict[int, str]:
    """The supporting units of the proposals ids, by proposal, in the order the proposal page
    lists them (one query for a batch of rows)."""
    names: dict[int, list[str]] = {}
    query = (
        select(proposal_support_units.c.proposal_id, Unit.name)
        .join(Unit, Unit.id == proposal_support_units.c.unit_id)
        .where(proposal_support_units.c.proposal_id.in_(ids))
        .order_by(proposal_support_units.c.proposal_id, Unit.sort_order, Unit.id)
    )
    for proposal_id, name in db.session.execute(query):
        names.setdefault(proposal_id, []).append(name)
    return {key: ", ".join(value) for key, value in names.items()}


def proposal_rows(user, filters: proposals.ListFilters):
    """The export's rows, as lists of cell values, streamed in batches of STREAM_ROWS.

    Everything a row shows that repeats (labels, the timeliness text, the local date of a
    moment) is worked out once per distinct value, not once per row."""
    today = clock.today()
    due_soon_days = app_settings.get_int("due_soon_days")
    # Each label translated once, not once per row (thousands of rows).
    state_labels, timeliness_labels, outcome_labels = (
        {key: str(label) for key, label in labels.items()}
        for labels in (workflow.STATE_LABELS, timeliness.LABELS, workflow.OUTCOME_LABELS)
    )
    received_label = str(workflow.RECEIVED_LABEL)
    badges: dict[tuple, str] = {}

    def badge_text(deadline, answered_on, pending: bool) -> str:
        key = (deadline, answered_on, pending)
        text = badges.get(key)
        if text is None:
            badge = timeliness.classify(deadline, answered_on, today, pending=pending, due_soon_days=due_soon_days)
            late = f" ({badge.days_late} ngày)" if badge.days_late else ""
            text = badges[key] = (timeliness_labels[badge.key] + late) if badge.applies else ""
        return text

    result = db.session.execute(_proposal_rows_query(user, filters).execution_options(yield_per=STREAM_ROWS))
    for batch in result.partitions():
        support = _support_names([row[0] for row in batch])
        for (ident, title, commune, field, amount, submitted_at, state, received_at, lead, deadline, answered_on,
             outcome, meeting) in batch:
            yield [
                ident, title, commune, field or "", amount,
                clock.local_date(submitted_at) if submitted_at else None,
                received_label if state == workflow.SUBMITTED and received_at else state_labels[state],
                lead or "", support.get(ident, ""), deadline,
                badge_text(deadline, answered_on, state == workflow.ASSIGNED),
                outcome_labels.get(outcome, ""),
                answered_on, meeting or "",
            ]


def proposals_file(user, kind: str, out: BinaryIO, *, in_memory: bool = False) -> None:
    """Write the proposal list's rows as .xlsx or .csv into out (a file, or BytesIO).

    in_memory: a workbook of a bounded number of rows (a file sent in its request) is put
    together in memory, which is faster; otherwise rows go through temporary files, so that
    memory stays flat however many rows there are (a document job writes straight to its file)."""
    filters = list_args.filters_from_args(request.args, user)
    rows = proposal_rows(user, filters)
    title = str(TITLES["proposals"])
    columns = [
        (_("Số"), 7), (_("Tiêu đề"), 45), (_("Xã, phường"), 20), (_("Lĩnh vực"), 24), (_("Kinh phí (đồng)"), 16),
        (_("Ngày gửi"), 11), (_("Trạng thái"), 16), (_("Đơn vị chủ trì"), 24), (_("Đơn vị phối hợp"), 24),
        (_("Hạn trả lời"), 11), (_("Thời hạn"), 22), (_("Kết quả trả lời"), 20), (_("Ngày trả lời"), 11),
        (_("Hội nghị"), 30),
    ]
    if kind == "csv":
        write_csv(out, columns, rows)
    else:
        write_xlsx(out, title, columns, rows, proposal_filter_lines(user, filters) + _footer_lines(user),
                   in_memory=in_memory)


def proposal_count(user, limit: int) -> int:
    """How many rows the proposal export would hold, counted no further than limit + 1."""
    filters = list_args.filters_from_args(request.args, user)
    return _bounded_count(proposals.filtered_query(user, filters).with_only_columns(Proposal.id), limit)


def _bounded_count(ids, limit: int) -> int:
    """The number of rows of a select of ids, but no more than limit + 1 counted."""
    return db.session.scalar(select(func.count()).select_from(ids.order_by(None).limit(limit + 1).subquery()))


# --- assignments ----------------------------------------------------------------------------


def assignment_filter_lines(user, form, filters: dict, on) -> list[str]:
    if policy.sees_everything(user):
        lines = [_("Phạm vi: toàn tỉnh")]
    else:
        lines = [_("Phạm vi: nhiệm vụ giao cho %(unit)s", unit=in_sentence(user.unit.name))]
    view = filters.get("status") or directives.LIST_OPEN
    labels = {value: label for value, label, *_rest in form.status.choices}
    lines.append(_("Tình trạng: %(v)s", v=labels.get(view, view)))
    if filters.get("q"):
        lines.append(_("Tìm kiếm: “%(q)s”", q=filters["q"]))
    if filters.get("unit_id"):
        lines.append(_("Đơn vị: %(v)s", v=_name(Unit, filters["unit_id"])))
    if filters.get("field_id"):
        lines.append(_("Lĩnh vực: %(v)s", v=_name(Field, filters["field_id"])))
    if filters.get("date_from") or filters.get("date_to"):
        lines.append(_("Theo dõi từ ngày %(a)s đến ngày %(b)s", a=format_date(filters.get("date_from")) or "…",
                       b=format_date(filters.get("date_to")) or "…"))
    lines.append(_("Tình trạng tính đến ngày %(d)s", d=format_date(on)))
    return lines


def assignment_count(user, limit: int) -> int:
    """How many rows the assignments export would hold, counted no further than limit + 1."""
    _form, filters, on = directive_choices.assignment_list_filters()
    ids = directives.filtered_assignments(user, filters, on, counting=True).with_only_columns(Assignment.id)
    return _bounded_count(ids, limit)


def assignments_file(user, kind: str, out: BinaryIO, *, in_memory: bool = False) -> None:
    """Write the assignments list's rows as .xlsx or .csv into out, as proposals_file does."""
    form, filters, on = directive_choices.assignment_list_filters()
    soon = directives.due_soon_days()
    # The list's own query (scope, filters, order), reading only the columns written: plain rows.
    query = directives.search_assignments(user, filters, on).with_only_columns(
        Directive.title, Directive.issued_by_name, Unit.name, Assignment.role, Assignment.original_deadline,
        Assignment.extended_deadline, Assignment.state, Assignment.completed_on,
    ).execution_options(yield_per=STREAM_ROWS)
    # Cells take text, not lazy strings: each label translated once, not once per row.
    role_labels, state_labels, status_labels = (
        {key: str(label) for key, label in labels.items()}
        for labels in (directive_workflow.ROLE_LABELS, directive_workflow.STATE_LABELS, status.LABELS)
    )
    ongoing = _("Thường xuyên")

    def rows():
        for title, issued_by, unit, role, original, extended, state, completed_on in db.session.execute(query):
            deadline = status.deadline_in_force(original, extended)
            standing = status.classify_assignment(state, deadline, completed_on, on, soon)
            yield [
                title, issued_by, unit, role_labels[role],
                deadline if deadline is not None else ongoing,
                original if extended else None,
                state_labels[state], status_labels[standing.key],
                standing.days_overdue or None, completed_on,
            ]

    title = str(TITLES["assignments"])
    columns = [
        (_("Chỉ đạo"), 50), (_("Người chỉ đạo"), 20), (_("Đơn vị"), 24), (_("Vai trò"), 10), (_("Thời hạn"), 12),
        (_("Thời hạn ban đầu (trước gia hạn)"), 14), (_("Trạng thái"), 18), (_("Tình trạng"), 24),
        (_("Số ngày quá hạn"), 10), (_("Ngày hoàn thành"), 12),
    ]
    if kind == "csv":
        write_csv(out, columns, rows())
    else:
        write_xlsx(out, title, columns, rows(), assignment_filter_lines(user, form, filters, on) + _footer_lines(user),
                   in_memory=in_memory)


# What each list's export builds and how its rows are counted (app/reports/routes.py).
FILES = {"proposals": proposals_file, "assignments": assignments_file}
COUNTS = {"proposals": proposal_count, "assignments": assignment_count}

