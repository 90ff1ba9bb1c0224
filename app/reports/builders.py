"""The four reports, built as documents.model.Report from the data.

Numbers come from the functions the dashboard uses (app.dashboard.services, the status module
of directives and the timeliness module of proposals). Every percentage a report states is
written with the counts it is computed from, and those counts are rows of the report's own
table.

Document wording (headings, column names) is Vietnamese as the official layout requires.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.dashboard import services as dash
from app.dashboard.period import Period
from app.demo_mode import demo_mode
from app.directives import services as directives
from app.directives import status
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment, Directive
from app.documents.model import GroupRow, Report, Section, Table, build_header, recipient_lines
from app.extensions import db
from app.formatting import format_date, format_document_date, format_number
from app.models import Field, Meeting, Unit
from app.proposals import services as proposals
from app.proposals import timeliness, workflow
from app.proposals.models import Proposal
from app.reports.issuing import Issuing
from app.text import in_sentence

TITLE = "BÁO CÁO"
# Items overdue this many days or more are put to the leaders in the weekly summary.
LONG_OVERDUE_DAYS = 30
ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV",
         "XVI", "XVII", "XVIII", "XIX", "XX")


def roman(n: int) -> str:
    return ROMAN[n - 1] if n <= len(ROMAN) else str(n)


def _label(text) -> str:
    return str(text)


def _recipients(issuing: Issuing, *middle: str) -> list[str]:
    """"Nơi nhận" as printed: the superior first, then middle, then where the copy is kept."""
    issuer, header = issuing.issuer, issuing.header
    if issuer.is_leading_body:
        superior = ["Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy"] if header.party else \
            ["Thường trực Tỉnh ủy (để báo cáo)", "Thường trực HĐND tỉnh (để báo cáo)", "Chủ tịch, các PCT UBND tỉnh"]
    elif issuer.is_commune:
        superior = ["UBND tỉnh (để báo cáo)"]
    elif header.party:
        superior = ["Thường trực Tỉnh ủy (để báo cáo)"]
    else:
        superior = ["Thường trực UBND tỉnh (để báo cáo)"]
    if header.party:
        # HD 36: the copy stays with the office that keeps the body's records.
        keeper = issuing.drafter if issuing.drafter_header.party else issuer
        storage = f"Lưu {keeper.name}"
    else:
        storage = f"Lưu: VT, {issuing.drafter_header.abbr}"
    return recipient_lines([*superior, *middle], storage, party=header.party)


def _report(issuing: Issuing, on: date, subject: str, sections: list[Section], *,
            intro: list[str] = (), middle: tuple[str, ...] = ()) -> Report:
    return Report(
        header=build_header(issuing.header, on),
        title=TITLE,
        subject=subject,
        intro=list(intro),
        sections=sections,
        recipients=_recipients(issuing, *middle),
        signer_title=issuing.signer_lines,
        signer_name=issuing.signer_name,
        demo=demo_mode(),
    )


def covered_span(start: date, end: date, today: date) -> str:
    """"từ ngày … đến ngày …" of what a report covers: a period not over yet ends on the day the
    report is made ("this month" printed on 02/12 covers 01/12 to 02/12, not to 31/12)."""
    return f"từ ngày {format_date(start)} đến ngày {format_date(min(end, max(today, start)))}"


# --- the five-way summary every directive report starts with --------------------------------

# Rows 1-6 add up to the total of tasks (status.Counts.total); cancelled tasks are stated apart.
FIVE_WAY_ROWS = (
    status.DONE_ON_TIME, status.DONE_LATE, status.OPEN_ON_TIME, status.OPEN_OVERDUE, status.ONGOING,
    status.SUSPENDED,
)


def five_way_section(heading: str, counts: status.Counts, lead: list[str]) -> Section:
    """The counts table (rows numbered 1-6 and their total) and both rates, written with the rows they use."""
    rows = [[str(i), _label(status.LABELS[key]), format_number(counts[key])] for i, key in enumerate(FIVE_WAY_ROWS, 1)]
    table = Table(
        columns=["TT", "Tình trạng nhiệm vụ", "Số nhiệm vụ"],
        rows=rows,
        widths_mm=[12, 113, 40],
        total_row=["", "Tổng số nhiệm vụ được giao", format_number(counts.total)],
        numeric={0, 2},
    )
    done, overdue, on_time = counts.done, counts[status.OPEN_OVERDUE], counts[status.DONE_ON_TIME]
    after = [
        "Tỷ lệ hoàn thành nhiệm vụ đến hạn = (1) + (2) trên (1) + (2) + (4) = "
        f"{format_number(done)}/{format_number(done + overdue)} = {status.format_rate(counts.completion)}.",
        f"Tỷ lệ hoàn thành đúng hạn = (1) trên (1) + (2) = {format_number(on_time)}/{format_number(done)} = "
        f"{status.format_rate(counts.on_time)}.",
        "Nhiệm vụ thường xuyên, tạm hoãn không tính vào hai tỷ lệ trên.",
    ]
    if counts[status.CANCELLED]:
        after.append(f"Ngoài ra có {format_number(counts[status.CANCELLED])} nhiệm vụ đã hủy, không tính vào tổng số "
                     "và hai tỷ lệ trên.")
    return Section(heading, lead, table, after)


# --- 1. a meeting's proposals -----------------------------------------------------------------


def _answer_cell(p: Proposal) -> str:
    return p.answer_text or ""


def _outcome_cell(p: Proposal) -> str:
    if not p.answer_outcome:
        return ""
    text = _label(workflow.OUTCOME_LABELS[p.answer_outcome])
    if p.answer_outcome == workflow.IN_PROGRESS and p.answer_planned_on:
        text += f" (dự kiến {format_date(p.answer_planned_on)})"
    return text


def _state_cell(p: Proposal, check) -> str:
    text = _label(workflow.state_label(p.state, p.received_at is not None))
    t = check(p)
    if t.key == timeliness.PENDING_OVERDUE:
        text += f", quá hạn {t.days_late} ngày"
    elif t.key == timeliness.ANSWERED_LATE:
        text += f", trả lời chậm {t.days_late} ngày"
    return text


def _content_cell(p: Proposal) -> str:
    text = p.title
    if p.requested_amount:
        text += f". Kinh phí đề nghị: {format_number(p.requested_amount)} đồng"
    return text


NOT_ANSWERED = "Chưa trả lời"


def outcome_key(p: Proposal) -> str:
    """Which line of the outcome totals a proposal counts in."""
    if p.state == workflow.WITHDRAWN:
        return workflow.WITHDRAWN
    return p.answer_outcome or NOT_ANSWERED


def meeting_report(meeting: Meeting, user, issuing: Issuing, today: date) -> Report:
    """Every proposal raised at the meeting, grouped by field, with its answer; totals per outcome."""
    rows_by_field: dict[int, list[Proposal]] = {}
    items = list(db.session.scalars(proposals.proposals_for_meeting(meeting.id, user).options(
        selectinload(Proposal.support_units))))
    for p in items:
        rows_by_field.setdefault(p.field_id, []).append(p)
    fields = sorted(
        db.session.scalars(select(Field).where(Field.id.in_(list(rows_by_field)))),
        key=lambda f: (f.sort_order, f.id),
    )
    check = proposals.timeliness_checker(today)
    rows: list = []
    for group_no, field in enumerate(fields, 1):
        group = rows_by_field[field.id]
        rows.append(GroupRow(f"{roman(group_no)}. {field.name} ({len(group)} kiến nghị)"))
        for n, p in enumerate(group, 1):
            rows.append([
                str(n), p.commune.name, _content_cell(p), p.lead_unit.name if p.lead_unit else "",
                _answer_cell(p), _outcome_cell(p), _state_cell(p, check),
            ])
    # The content gets the width; the answer column only as much as there are answers.
    answered = any(p.answer_text for p in items)
    table = Table(
        columns=["TT", "Xã, phường", "Nội dung kiến nghị", "Đơn vị chủ trì", "Trả lời", "Kết quả", "Trạng thái"],
        rows=rows,
        widths_mm=[10, 21, 45, 21, 26, 23, 19] if answered else [10, 21, 60, 21, 14, 20, 19],
        numeric={0},
    )
    outcome_counts = Counter(outcome_key(p) for p in items)
    outcome_lines = [(key, _label(label)) for key, label in workflow.OUTCOME_LABELS.items()]
    outcome_lines += [(NOT_ANSWERED, "Chưa trả lời (đang tiếp nhận, xử lý)"),
                      (workflow.WITHDRAWN, _label(workflow.STATE_LABELS[workflow.WITHDRAWN]))]
    totals = Table(
        columns=["TT", "Kết quả trả lời", "Số kiến nghị"],
        rows=[[str(i), label, format_number(outcome_counts.get(key, 0))] for i, (key, label) in enumerate(outcome_lines, 1)],
        widths_mm=[12, 113, 40],
        total_row=["", "Tổng cộng", format_number(len(items))],
        numeric={0, 2},
    )
    by_state = Counter(p.state for p in items)
    state_line = "; ".join(
        f"{_label(workflow.STATE_LABELS[s])}: {format_number(by_state[s])}" for s in dash.SENT_STATES if by_state[s]
    )
    held = format_date(meeting.held_on)
    intro = [
        f"Tại {meeting.title} ngày {held}"
        + (f" do đồng chí {meeting.chair_name}, {meeting.chair_title} chủ trì" if meeting.chair_name else "")
        + f", các xã, phường đã kiến nghị, đề xuất {format_number(len(items))} nội dung thuộc "
        f"{format_number(len(fields))} lĩnh vực. Kết quả tiếp nhận, giải quyết đến {format_document_date(today)} "
        "như sau:"
    ]
    sections = [
        Section("Kết quả giải quyết kiến nghị theo lĩnh vực", [], table if items else None,
                [] if items else ["Không có kiến nghị nào gắn với hội nghị này."]),
        Section("Tổng hợp theo kết quả trả lời", [f"Theo trạng thái xử lý: {state_line}."] if state_line else [], totals),
    ]
    return _report(
        issuing, today,
        f"Kết quả giải quyết kiến nghị, đề xuất của các xã, phường tại {meeting.title} ngày {held}",
        sections, intro=intro, middle=("Các sở, ban, ngành liên quan", "Đảng ủy, UBND các xã, phường"),
    )


# --- 2. directive follow-up -------------------------------------------------------------------


@dataclass
class DirectiveLines:
    directive: Directive
    rows: list[directives.AssignmentRow]

    @property
    def counts(self) -> status.Counts:
        return status.count_statuses(r.status for r in self.rows)


def _names(rows: list[directives.AssignmentRow], with_days: bool = False) -> str:
    if not rows:
        return "—"
    ordered = sorted(rows, key=lambda r: r.unit.order_key)
    if with_days:
        return ", ".join(f"{r.unit.name} ({r.status.days_overdue} ngày)" for r in ordered)
    return ", ".join(r.unit.name for r in ordered)


def _deadline_text(d: Directive) -> str:
    if d.is_ongoing:
        period = status.REPORTING_PERIOD_LABELS.get(d.reporting_period or "")
        return "thường xuyên" + (f", báo cáo {str(period).lower()}" if period is not None else "")
    return f"thời hạn {format_date(d.deadline)}"


def followup_lines(user, directive_list: list[Directive], on: date, keep=None) -> list[DirectiveLines]:
    """Each directive's assignments (only those keep accepts, when given), classified on day on."""
    by_directive = directives.assignment_rows_by_directive(directive_list, user, on, directives.due_soon_days())
    out = []
    for d in directive_list:
        rows = by_directive[d.id]
        if keep is not None:
            rows = [r for r in rows if keep(r.assignment.id)]
        if rows:
            out.append(DirectiveLines(d, rows))
    return out


def _behind(item: DirectiveLines) -> tuple[int, int]:
    """How far a directive is behind: units past the deadline, then units not reporting."""
    return item.counts[status.OPEN_OVERDUE], len(directives.not_reported(item.rows))


def per_directive_section(lines: list[DirectiveLines], limit: int | None = None) -> Section:
    """Each directive with its units done, done late, overdue and not reporting; with limit, only
    the limit directives most behind (the others are in the totals above, and said so)."""
    after: list[str] = []
    if limit is not None and len(lines) > limit:
        rest = len(lines) - limit
        lines = sorted(lines, key=lambda item: tuple(-n for n in _behind(item)))[:limit]
        after = [f"Nêu chi tiết {format_number(limit)} chỉ đạo có nhiều đơn vị quá hạn, chưa báo cáo nhất; "
                 f"{format_number(rest)} chỉ đạo còn lại đã tính trong bảng tổng hợp trên."]
    table_rows: list = []
    for n, item in enumerate(lines, 1):
        c = item.counts
        table_rows.append(GroupRow(
            f"{n}. {item.directive.title} ({_deadline_text(item.directive)}; "
            f"hoàn thành {format_number(c.done)}/{format_number(c.active_total)} đơn vị)"
        ))
        by_key = {key: [r for r in item.rows if r.status.key == key] for key in status.ALL_KEYS}
        missing = directives.not_reported(item.rows)
        for label, rows, days in (
            ("Hoàn thành đúng hạn", by_key[status.DONE_ON_TIME], False),
            ("Hoàn thành quá hạn", by_key[status.DONE_LATE], True),
            ("Đang thực hiện quá hạn", by_key[status.OPEN_OVERDUE], True),
            ("Chưa báo cáo", missing, False),
        ):
            table_rows.append([label, format_number(len(rows)), _names(rows, with_days=days)])
    table = Table(
        columns=["Tình hình", "Số đơn vị", "Đơn vị"],
        rows=table_rows,
        widths_mm=[40, 20, 105],
        numeric={1},
    )
    return Section(
        "Tình hình thực hiện từng chỉ đạo",
        ["Số ngày trong ngoặc là số ngày quá hạn. Chưa báo cáo: đơn vị đang thực hiện chưa gửi báo cáo "
         "trong kỳ báo cáo hiện tại (nhiệm vụ thường xuyên) hoặc chưa gửi báo cáo nào (nhiệm vụ có thời hạn)."],
        table if lines else None,
        after if lines else ["Không có chỉ đạo nào trong phạm vi báo cáo."],
    )


@dataclass
class Followup:
    """Directives followed up on one day: their lines (units per status) and the tasks' five-way counts."""

    directives: list[Directive]
    lines: list[DirectiveLines]
    counts: status.Counts

    def sections(self, heading: str, lead: list[str], limit: int | None = None) -> list[Section]:
        """The five-way summary, then each directive (limit: the most behind) with its units done,
        overdue and not reporting."""
        return [five_way_section(heading, self.counts, lead), per_directive_section(self.lines, limit)]


def followup_of(user, directive_list: list[Directive], on: date, keep=None,
                counts: status.Counts | None = None) -> Followup:
    """directive_list's assignments user sees (those keep accepts), classified on day on; counts
    default to the sum of the lines' (the dashboard's own counts when the caller has them)."""
    lines = followup_lines(user, directive_list, on, keep)
    if counts is None:
        counts = status.add_up(item.counts for item in lines)
    return Followup(directive_list, lines, counts)


def meeting_directives(meeting: Meeting, user) -> list[Directive]:
    """The conclusions (directives) of the meeting that user sees, in the order they were given."""
    return list(db.session.scalars(
        directives.visible_directives(user).where(Directive.meeting_id == meeting.id).order_by(Directive.id)
    ))


def meeting_followup(meeting: Meeting, user, on: date) -> Followup:
    return followup_of(user, meeting_directives(meeting, user), on)


def followup_report_for_meeting(meeting: Meeting, user, issuing: Issuing, today: date) -> Report:
    """The meeting's directives: five-way counts as of today, both rates, then each directive."""
    followup = meeting_followup(meeting, user, today)
    held = format_date(meeting.held_on)
    lead = [
        f"{meeting.title} ngày {held} kết luận {format_number(len(followup.directives))} nội dung chỉ đạo, giao "
        f"{format_number(followup.counts.total)} nhiệm vụ cho các đơn vị. Tình hình thực hiện tính đến "
        f"{format_document_date(today)}:"
    ]
    return _report(
        issuing, today,
        f"Tình hình thực hiện các chỉ đạo, kết luận tại {meeting.title} ngày {held}",
        followup.sections("Kết quả chung", lead),
    )


def followup_report_for_period(scope: dash.Scope, user, issuing: Issuing, today: date) -> Report:
    """Tasks followed in the period (as on the dashboard), as of its last day, then each directive."""
    summary = dash.assignment_summary(user, scope, per_unit=False)
    followed = set(db.session.scalars(
        dash.assignment_query(user, scope).order_by(None).with_only_columns(Assignment.id)
    ))
    directive_ids = select(Assignment.directive_id).where(Assignment.id.in_(followed)) if followed else None
    directive_list = [] if directive_ids is None else list(db.session.scalars(
        select(Directive).where(Directive.id.in_(directive_ids)).order_by(Directive.id)
    ))
    followup = followup_of(user, directive_list, scope.period.as_of, keep=followed.__contains__, counts=summary.counts)
    p = scope.period
    span = covered_span(p.start, p.end, today)
    lead = [
        f"Nhiệm vụ theo dõi trong kỳ ({span}): {format_number(summary.counts.total)} nhiệm vụ, gồm nhiệm vụ giao "
        "trong kỳ và nhiệm vụ kỳ trước chuyển sang chưa hoàn thành. Tình trạng tính đến ngày "
        f"{format_date(p.as_of)}:"
    ]
    return _report(
        issuing, today,
        f"Tình hình thực hiện các chỉ đạo {span}",
        followup.sections("Kết quả chung", lead),
    )


# --- 3. one unit's record ---------------------------------------------------------------------


def unit_report(unit: Unit, user, issuing: Issuing, today: date) -> Report:
    """A commune's or a department's proposals and assignments, with their states."""
    filters = proposals.ListFilters()
    if unit.is_commune:
        filters.commune_id = unit.id
    else:
        filters.department_id = unit.id
    query = proposals.list_query(user, filters, proposals.sort_columns()["submitted"].asc(), today)
    items = [p for p in db.session.scalars(query) if p.state != workflow.DRAFT]
    check = proposals.timeliness_checker(today)
    rows = []
    for n, p in enumerate(items, 1):
        if unit.is_commune:
            who = p.lead_unit.name if p.lead_unit else ""
        else:
            role = "Chủ trì" if p.lead_unit_id == unit.id else "Phối hợp"
            who = f"{p.commune.name} ({role.lower()})"
        sent = clock.local_date(p.submitted_at) if p.submitted_at else None
        rows.append([str(n), p.title, p.field.name, format_date(sent), who, _state_cell(p, check)])
    by_state = Counter(p.state for p in items)
    state_line = "; ".join(
        f"{_label(workflow.STATE_LABELS[s])}: {format_number(by_state[s])}" for s in dash.SENT_STATES if by_state[s]
    )
    proposals_table = Table(
        columns=["TT", "Nội dung kiến nghị", "Lĩnh vực", "Ngày gửi",
                 "Đơn vị chủ trì" if unit.is_commune else "Xã, phường (vai trò)", "Trạng thái"],
        rows=rows,
        widths_mm=[10, 51, 27, 23, 29, 25],
        total_row=["", f"Tổng cộng: {format_number(len(items))} kiến nghị", "", "", "", ""],
        numeric={0},
    )
    soon = directives.due_soon_days()
    assignment_query = directives.search_assignments(
        user, {"status": directives.LIST_ALL, "unit_id": unit.id}, today
    ).where(Assignment.unit_id == unit.id)
    assignments = list(db.session.scalars(assignment_query))
    standings = [(a, a.status_on(today, soon)) for a in assignments]
    counts = status.count_statuses(s for _a, s in standings)
    task_rows = []
    for n, (a, s) in enumerate(standings, 1):
        deadline = "Thường xuyên" if a.deadline is None else format_date(a.deadline)
        standing = _label(status.LABELS[s.key])
        if s.key in (status.OPEN_OVERDUE, status.DONE_LATE):
            standing += f" ({s.days_overdue} ngày)"
        task_rows.append([str(n), a.directive.title, _label(directive_workflow.ROLE_LABELS[a.role]), deadline, standing])
    tasks_table = Table(
        columns=["TT", "Nhiệm vụ", "Vai trò", "Thời hạn", "Tình trạng"],
        rows=task_rows,
        widths_mm=[10, 75, 20, 25, 35],
        numeric={0},
    )
    sections = [
        Section(
            "Kiến nghị" + (" của " + in_sentence(unit.name) if unit.is_commune else " được giao chủ trì, phối hợp xử lý"),
            [f"Tổng số {format_number(len(items))} kiến nghị. {state_line}." if state_line else "Chưa có kiến nghị nào."],
            proposals_table if items else None,
        ),
        five_way_section(
            "Nhiệm vụ được giao: tổng hợp",
            counts,
            [f"Tổng số {format_number(counts.total)} nhiệm vụ giao cho {in_sentence(unit.name)}; tình trạng tính đến "
             f"{format_document_date(today)}:"],
        ),
        Section("Danh sách nhiệm vụ được giao", [], tasks_table if task_rows else None,
                [] if task_rows else ["Chưa có nhiệm vụ nào được giao."]),
    ]
    return _report(
        issuing, today,
        f"Tình hình giải quyết kiến nghị và thực hiện nhiệm vụ của {in_sentence(unit.name)}",
        sections,
    )


# --- 4. the coordinator's weekly summary ------------------------------------------------------


def weekly_report(week: Period, user, issuing: Issuing, today: date) -> Report:
    """What came in, what was answered, what is overdue and what needs a leader's decision."""
    scope = dash.Scope(week)
    span = covered_span(week.start, week.end, today)
    summary = dash.proposal_summary(user, scope)
    field_rows = [[str(i), f.name, format_number(c.value)] for i, (f, c) in enumerate(summary.by_field, 1)]
    received = Section(
        "Kiến nghị tiếp nhận trong tuần",
        [f"Trong tuần, các xã, phường gửi {format_number(summary.total.value)} kiến nghị, đề xuất."],
        Table(["TT", "Lĩnh vực", "Số kiến nghị"], field_rows, [12, 113, 40],
              total_row=["", "Tổng cộng", format_number(summary.total.value)], numeric={0, 2})
        if field_rows else None,
    )
    check = proposals.timeliness_checker(today)
    answered_query = (
        proposals.visible_proposals(user)
        .where(Proposal.state.in_((workflow.ANSWERED, workflow.CLOSED)),
               Proposal.answered_on >= week.start, Proposal.answered_on <= week.end)
        .options(selectinload(Proposal.commune), selectinload(Proposal.lead_unit))
        .order_by(Proposal.answered_on, Proposal.id)
    )
    answered = list(db.session.scalars(answered_query))
    late = [p for p in answered if check(p).key == timeliness.ANSWERED_LATE]
    answered_rows = [
        [str(n), p.commune.name, p.title, p.lead_unit.name if p.lead_unit else "", _outcome_cell(p),
         "Quá hạn " + str(check(p).days_late) + " ngày" if p in late else "Đúng hạn"]
        for n, p in enumerate(answered, 1)
    ]
    answered_section = Section(
        "Kiến nghị được trả lời trong tuần",
        [f"Các sở, ngành trả lời {format_number(len(answered))} kiến nghị, trong đó "
         f"{format_number(len(answered) - len(late))} đúng hạn, {format_number(len(late))} quá hạn."],
        Table(["TT", "Xã, phường", "Nội dung", "Đơn vị trả lời", "Kết quả", "Thời hạn"], answered_rows,
              [10, 24, 51, 28, 28, 24], numeric={0}) if answered_rows else None,
    )
    tasks = dash.assignment_summary(user, scope, per_unit=False)
    tasks_section = five_way_section(
        "Thực hiện chỉ đạo",
        tasks.counts,
        [f"Nhiệm vụ theo dõi trong tuần: {format_number(tasks.counts.total)}; tình trạng tính đến ngày "
         f"{format_date(week.as_of)}:"],
    )
    overdue_props = list(db.session.scalars(proposals.list_query(
        user, proposals.ListFilters(timeliness=timeliness.PENDING_OVERDUE), Proposal.answer_deadline.asc(), today,
    )))
    overdue_prop_rows = [
        [str(n), p.title, p.commune.name, p.lead_unit.name if p.lead_unit else "", format_date(p.answer_deadline),
         format_number(check(p).days_late)]
        for n, p in enumerate(overdue_props, 1)
    ]
    overdue_props_section = Section(
        "Kiến nghị quá hạn trả lời",
        [f"Còn {format_number(len(overdue_props))} kiến nghị quá hạn trả lời (tính đến {format_document_date(today)})."],
        Table(["TT", "Nội dung", "Xã, phường", "Đơn vị chủ trì", "Hạn trả lời", "Số ngày quá hạn"],
              overdue_prop_rows, [10, 55, 26, 26, 24, 24], numeric={0, 5}) if overdue_prop_rows else None,
    )
    overdue_tasks = list(db.session.scalars(dash.assignment_query(user, scope, status.OPEN_OVERDUE)))
    by_directive: dict[int, list] = {}
    for a in overdue_tasks:
        by_directive.setdefault(a.directive_id, []).append((a, a.status_on(week.as_of)))
    task_rows = []
    for n, pairs in enumerate(by_directive.values(), 1):
        directive = pairs[0][0].directive
        names = ", ".join(f"{a.unit.name} ({s.days_overdue} ngày)" for a, s in pairs)
        task_rows.append([str(n), directive.title, format_date(pairs[0][0].deadline), format_number(len(pairs)), names])
    overdue_tasks_section = Section(
        "Nhiệm vụ quá hạn",
        [f"Có {format_number(len(overdue_tasks))} nhiệm vụ đang thực hiện quá hạn, thuộc "
         f"{format_number(len(by_directive))} chỉ đạo (số ngày quá hạn trong ngoặc)."],
        Table(["TT", "Chỉ đạo", "Thời hạn", "Số đơn vị", "Đơn vị quá hạn"], task_rows, [10, 53, 24, 18, 60],
              numeric={0, 3}) if task_rows else None,
    )
    decisions = _needs_decision(user, overdue_props, by_directive, check, week.as_of)
    decision_section = Section(
        "Đề nghị lãnh đạo cho ý kiến chỉ đạo",
        ["Kiến nghị xã, phường chưa đồng ý với câu trả lời; kiến nghị và nhiệm vụ quá hạn từ "
         f"{LONG_OVERDUE_DAYS} ngày trở lên."],
        Table(["TT", "Nội dung", "Đơn vị", "Lý do đề nghị cho ý kiến"], decisions, [10, 69, 40, 46], numeric={0})
        if decisions else None,
        [] if decisions else ["Không có nội dung cần xin ý kiến trong tuần."],
    )
    return _report(
        issuing, today,
        f"Tổng hợp tình hình kiến nghị và thực hiện chỉ đạo trong tuần ({span})",
        [received, answered_section, tasks_section, overdue_props_section, overdue_tasks_section, decision_section],
        middle=("Lãnh đạo Văn phòng",),
    )


def _needs_decision(user, overdue_props, overdue_by_directive, check, as_of) -> list[list[str]]:
    rows = []
    disagreed = db.session.scalars(
        proposals.visible_proposals(user)
        .where(Proposal.state == workflow.ANSWERED, Proposal.feedback == workflow.DISAGREE)
        .options(selectinload(Proposal.commune), selectinload(Proposal.lead_unit))
        .order_by(Proposal.feedback_at, Proposal.id)
    )
    for p in disagreed:
        reason = "Xã, phường chưa đồng ý với câu trả lời" + (f": {p.feedback_text}" if p.feedback_text else "")
        rows.append([p.title, f"{p.commune.name}; {p.lead_unit.name if p.lead_unit else ''}", reason])
    for p in overdue_props:
        days = check(p).days_late
        if days >= LONG_OVERDUE_DAYS:
            rows.append([p.title, f"{p.commune.name}; {p.lead_unit.name if p.lead_unit else ''}",
                         f"Quá hạn trả lời {days} ngày"])
    for pairs in overdue_by_directive.values():
        long = [(a, s) for a, s in pairs if s.days_overdue >= LONG_OVERDUE_DAYS]
        if long:
            rows.append([pairs[0][0].directive.title, f"{format_number(len(long))} đơn vị",
                         f"Quá hạn từ {LONG_OVERDUE_DAYS} ngày trở lên (tính đến {format_date(as_of)})"])
    return [[str(n), *row] for n, row in enumerate(rows, 1)]
