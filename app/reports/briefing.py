"""The briefing pack (hồ sơ phục vụ hội nghị giao ban): what became of the last meeting, for the next.

One Report (app.documents.model), so that the print page, the PDF and the Word file say the
same thing, in the official layout the other reports use:

1. the headline figures since the meeting: the dashboard's tiles for the custom period from
   the meeting's day to today, against the same number of days before it (the very functions
   the dashboard counts with, so the pack and the dashboard agree for the same days);
2. each conclusion (directive) of the meeting with its x/N roll-up, the units past the
   deadline and the units that have not reported (the directive follow-up report's sections);
3. the communes' proposals raised at the meeting and what became of each (answered, in
   progress, past the answer deadline), grouped by field and by lead department;
4. the proposals sent since the meeting, by field;
5. the definitions of the figures.

The pack for a period (period_pack) is built from the same sections: the dashboard's tiles for
the period and scope chosen, the directives issued in the period, the proposals sent in it
(the dashboard's "received"), those sent after its end, the definitions.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app import clock
from app.dashboard import overview
from app.dashboard import period as periods
from app.dashboard import services as dash
from app.directives import services as directives
from app.directives import status
from app.directives.models import Assignment, Directive
from app.documents.model import Report, Section, Table
from app.extensions import db
from app.formatting import format_date, format_document_date, format_number
from app.models import Field, Meeting, Unit
from app.proposals import services as proposals
from app.proposals import timeliness, workflow
from app.proposals.models import Proposal
from app.reports import builders
from app.reports.issuing import Issuing

# Directives a period's pack details, the most behind first (a quarter issues some 150): the
# pack is read at a meeting, and its PDF is laid out within the time limit.
PACK_DIRECTIVES = 20
PACK_OVERDUE_PROPOSALS = 50
ANSWERED, IN_PROGRESS, OVERDUE, WITHDRAWN = "answered", "in_progress", "overdue", "withdrawn"
OUTCOME_COLUMNS = ((ANSWERED, "Đã trả lời"), (IN_PROGRESS, "Đang xử lý trong hạn"), (OVERDUE, "Quá hạn trả lời"),
                   (WITHDRAWN, "Đã rút"))


def meeting_scope(meeting: Meeting, today: date) -> dash.Scope:
    """The dashboard's scope for "since the meeting": its day to today (today when held later)."""
    start = min(meeting.held_on, today)
    return dash.Scope(periods.Period(periods.CUSTOM, start, today, today))


def _with_counts(text: str, rate) -> str:
    """A printed rate carries the two counts it divides: "66,7% (2/3)"."""
    if rate is None:
        return text
    return f"{text} ({format_number(rate.part)}/{format_number(rate.whole)})"


def headline_section(user, scope: dash.Scope, tasks: dash.AssignmentSummary | None = None,
                     note: str | None = None) -> Section:
    tasks = tasks if tasks is not None else dash.assignment_summary(user, scope)
    before = scope.for_period(scope.period.previous())
    current = dash.period_figures(user, scope, tasks=tasks)
    previous = dash.period_figures(user, before)
    tiles = overview.tiles(current, previous, tasks)
    rows = [[str(i), t.label, _with_counts(t.value, t.rate), _with_counts(t.previous, t.previous_rate),
             t.change + (f" ({t.verdict_text})" if t.verdict_text else ""), t.note] for i, t in enumerate(tiles, 1)]
    p, b = scope.period, before.period
    return Section(
        "Các chỉ số chính",
        [note or f"Từ ngày {format_date(p.start)} (ngày họp) đến ngày {format_date(p.end)}, so với cùng số ngày liền "
         f"trước (từ ngày {format_date(b.start)} đến ngày {format_date(b.end)}); số liệu như trên bảng điều hành "
         "với khoảng thời gian này."],
        Table(columns=["TT", "Chỉ số", "Kỳ này", "Kỳ trước", "Tăng, giảm", "Ghi chú"], rows=rows,
              widths_mm=[10, 52, 22, 22, 28, 41], numeric={0, 2, 3}),
    )


def outcome_of(p: Proposal, check) -> str:
    if p.state == workflow.WITHDRAWN:
        return WITHDRAWN
    key = check(p).key
    if key in (timeliness.ANSWERED_ON_TIME, timeliness.ANSWERED_LATE):
        return ANSWERED
    return OVERDUE if key == timeliness.PENDING_OVERDUE else IN_PROGRESS


def _grouped_table(first_column: str, groups: dict[str, Counter]) -> Table:
    rows = []
    totals: Counter = Counter()
    for i, (name, counts) in enumerate(sorted(groups.items(), key=lambda kv: (-kv[1][OVERDUE], kv[0])), 1):
        rows.append([str(i), name, *(format_number(counts[key]) for key, _label in OUTCOME_COLUMNS),
                     format_number(sum(counts.values()))])
        totals.update(counts)
    return Table(
        columns=["TT", first_column, *(label for _key, label in OUTCOME_COLUMNS), "Tổng"],
        rows=rows, widths_mm=[10, 60, 20, 22, 20, 15, 18],
        total_row=["", "Tổng cộng", *(format_number(totals[key]) for key, _l in OUTCOME_COLUMNS),
                   format_number(sum(totals.values()))],
        numeric={0, 2, 3, 4, 5, 6},
    )


def meeting_proposals(meeting: Meeting, user) -> list[Proposal]:
    return list(db.session.scalars(proposals.proposals_for_meeting(meeting.id, user)))


def period_proposals(user, scope: dash.Scope) -> list[Proposal]:
    """The proposals the dashboard counts as received in scope (its "Kiến nghị nhận được")."""
    query = dash.proposal_query(user, dash.proposal_filters(scope)).options(
        selectinload(Proposal.commune), selectinload(Proposal.lead_unit))
    return list(db.session.scalars(query))


def proposals_sections(items: list[Proposal], today: date, where: str, raised: str,
                       limit: int | None = None) -> list[Section]:
    """What became of each proposal in items, by field and by lead department, then the overdue
    ones (limit: only the most overdue, the number of the others said).

    where: how the headings place them (" tại hội nghị", " gửi trong kỳ"); raised: the lead
    sentence's start, before the number ("Tại hội nghị, các xã, phường kiến nghị")."""
    check = proposals.timeliness_checker(today)
    fields = {f.id: f.name for f in db.session.scalars(select(Field))}
    units = {u.id: u.name for u in db.session.scalars(select(Unit))}
    by_field: dict[str, Counter] = defaultdict(Counter)
    by_lead: dict[str, Counter] = defaultdict(Counter)
    overdue_rows: list = []
    for p in items:
        outcome = outcome_of(p, check)
        by_field[fields.get(p.field_id, "—")][outcome] += 1
        by_lead[units.get(p.lead_unit_id, "Chưa chuyển đơn vị xử lý")][outcome] += 1
        if outcome == OVERDUE:
            t = check(p)
            overdue_rows.append([p.title, units.get(p.commune_unit_id, ""), units.get(p.lead_unit_id, ""),
                                 format_date(p.answer_deadline), format_number(t.days_late)])
    if not items:
        return [Section(f"Kiến nghị của các xã, phường{where}", [f"Không có kiến nghị nào{where}."])]
    overdue_rows.sort(key=lambda r: -int(r[4].replace(".", "")))
    lead = [f"{raised} {format_number(len(items))} nội dung. Đến "
            f"{format_document_date(today)}: " + "; ".join(
                f"{label.lower()} {format_number(sum(c[key] for c in by_field.values()))}"
                for key, label in OUTCOME_COLUMNS) + "."]
    sections = [
        Section(f"Kiến nghị của các xã, phường{where}, theo lĩnh vực", lead,
                _grouped_table("Lĩnh vực", by_field)),
        Section(f"Kiến nghị của các xã, phường{where}, theo đơn vị chủ trì", [],
                _grouped_table("Đơn vị chủ trì", by_lead)),
    ]
    if overdue_rows:
        lead = []
        if limit is not None and len(overdue_rows) > limit:
            lead = [f"Có {format_number(len(overdue_rows))} kiến nghị quá hạn trả lời; dưới đây là "
                    f"{format_number(limit)} kiến nghị quá hạn lâu nhất."]
            overdue_rows = overdue_rows[:limit]
        rows = [[str(i), *row] for i, row in enumerate(overdue_rows, 1)]
        sections.append(Section(
            "Kiến nghị quá hạn trả lời", lead,
            Table(columns=["TT", "Nội dung kiến nghị", "Xã, phường", "Đơn vị chủ trì", "Hạn trả lời", "Số ngày quá hạn"],
                  rows=rows, widths_mm=[10, 62, 26, 30, 20, 17], numeric={0, 5}),
        ))
    return sections


def new_proposals_section(user, scope: dash.Scope, heading: str, besides: str, meeting: Meeting | None = None) -> Section:
    """The proposals sent in scope's period by field (those of meeting left out: counted above)."""
    filters = dash.proposal_filters(scope)
    query = dash.proposal_query(user, filters).order_by(None)
    if meeting is not None:
        query = query.where((Proposal.meeting_id.is_(None)) | (Proposal.meeting_id != meeting.id))
    sub = query.with_only_columns(Proposal.field_id).subquery()
    counts = dict(db.session.execute(select(sub.c.field_id, db.func.count()).group_by(sub.c.field_id)).all())
    fields = {f.id: f for f in db.session.scalars(select(Field).where(Field.id.in_(list(counts))))}
    ordered = sorted(counts.items(), key=lambda kv: (-kv[1], fields[kv[0]].sort_order if kv[0] in fields else 0))
    rows = [[str(i), fields[fid].name if fid in fields else "—", format_number(n)] for i, (fid, n) in enumerate(ordered, 1)]
    total = sum(counts.values())
    p = scope.period
    return Section(
        heading,
        [f"Từ ngày {format_date(p.start)} đến ngày {format_date(p.end)}, các xã, phường gửi thêm "
         f"{format_number(total)} kiến nghị{besides}."],
        Table(columns=["TT", "Lĩnh vực", "Số kiến nghị"], rows=rows, widths_mm=[12, 113, 40],
              total_row=["", "Tổng cộng", format_number(total)], numeric={0, 2}) if rows else None,
    )


DEFINITIONS = [
    "Nhiệm vụ: mỗi đơn vị được giao thực hiện một chỉ đạo, kết luận. Tình trạng tính theo hạn đang áp dụng "
    "(kể cả gia hạn đã duyệt); ngày hạn vẫn là trong hạn; hoàn thành là khi văn phòng xác nhận.",
    "Tỷ lệ hoàn thành nhiệm vụ đến hạn = đã hoàn thành / (đã hoàn thành + đang thực hiện quá hạn). "
    "Tỷ lệ hoàn thành đúng hạn = hoàn thành đúng hạn / đã hoàn thành. Nhiệm vụ thường xuyên, tạm hoãn, "
    "đã hủy không tính vào hai tỷ lệ.",
    "Chưa báo cáo: đơn vị đang thực hiện chưa gửi báo cáo tiến độ trong kỳ báo cáo hiện tại (nhiệm vụ "
    "thường xuyên) hoặc chưa gửi báo cáo nào (nhiệm vụ có thời hạn).",
    "Kiến nghị đã trả lời: có văn bản trả lời (đúng hạn hoặc quá hạn); quá hạn trả lời: đã chuyển đơn vị "
    "xử lý, quá hạn trả lời mà chưa trả lời; đang xử lý trong hạn: các kiến nghị còn lại chưa rút.",
    "Số ngày trả lời bình quân: từ ngày chuyển xử lý đến ngày trả lời, trên các kiến nghị đã trả lời gửi trong kỳ.",
    "Kỳ trước: cùng số ngày, liền trước kỳ báo cáo.",
]


def briefing_pack(meeting: Meeting, user, issuing: Issuing, today: date) -> Report:
    scope = meeting_scope(meeting, today)
    held = format_date(meeting.held_on)
    followup = builders.meeting_followup(meeting, user, today)
    sections = [
        headline_section(user, scope),
        *followup.sections(
            "Kết quả thực hiện các kết luận của hội nghị",
            [f"Hội nghị kết luận {format_number(len(followup.directives))} nội dung, giao "
             f"{format_number(followup.counts.total)} nhiệm vụ cho các đơn vị. Tình hình đến "
             f"{format_document_date(today)}:"],
        ),
        *proposals_sections(meeting_proposals(meeting, user), today, " tại hội nghị",
                            "Tại hội nghị, các xã, phường kiến nghị"),
        new_proposals_section(user, scope, "Kiến nghị mới gửi từ sau hội nghị", " ngoài các kiến nghị tại hội nghị",
                              meeting),
        Section("Cách tính các số liệu", DEFINITIONS),
    ]
    report = builders._report(  # noqa: SLF001 — the reports' own assembly, shared
        issuing, today,
        f"Hồ sơ phục vụ hội nghị giao ban: kết quả thực hiện kết luận và giải quyết kiến nghị tại "
        f"{meeting.title} ngày {held}",
        sections,
        intro=[f"Phục vụ hội nghị giao ban kỳ tới, Văn phòng tổng hợp kết quả thực hiện các kết luận, chỉ đạo và "
               f"giải quyết kiến nghị của các xã, phường tại {meeting.title} ngày {held}, như sau:"],
    )
    return report


def directives_issued(user, scope: dash.Scope) -> tuple[list[Directive], set[int] | None]:
    """The directives issued (entered) in scope's period that user sees, in scope's field; with
    a unit chosen, those given to it and the ids of its tasks (None: every task user sees)."""
    p = scope.period
    query = directives.visible_directives(user).where(
        Directive.created_at >= clock.start_of_day(p.start),
        Directive.created_at < clock.start_of_day(p.end + timedelta(days=1)),
    )
    if scope.field_id:
        query = query.where(Directive.field_id == scope.field_id)
    if scope.unit is None:
        return list(db.session.scalars(query.order_by(Directive.id))), None
    tasks = directives.visible_assignments(user).with_only_columns(Assignment.id, Assignment.directive_id).where(
        Assignment.unit_id == scope.unit.id, Assignment.directive_id.in_(query.with_only_columns(Directive.id)))
    pairs = db.session.execute(tasks).all()
    ids = {directive_id for _id, directive_id in pairs}
    chosen = list(db.session.scalars(query.where(Directive.id.in_(ids)).order_by(Directive.id))) if ids else []
    return chosen, {assignment_id for assignment_id, _d in pairs}


def scope_note(scope: dash.Scope) -> str:
    """The period, its comparison and the field and unit chosen, in words, as the dashboard says them."""
    p, b = scope.period, scope.period.previous()
    note = (f"Kỳ báo cáo: từ ngày {format_date(p.start)} đến ngày {format_date(p.end)} (tình trạng nhiệm vụ tính đến "
            f"ngày {format_date(p.as_of)}); kỳ trước: từ ngày {format_date(b.start)} đến ngày {format_date(b.end)}.")
    if scope.unit is not None:
        what = ("kiến nghị do xã, phường này gửi" if scope.unit.is_commune
                else "kiến nghị đơn vị chủ trì hoặc phối hợp giải quyết")
        note += f" Đơn vị: {scope.unit.name} ({what}; nhiệm vụ giao cho đơn vị)."
    if scope.field_id:
        field = db.session.get(Field, scope.field_id)
        note += f" Lĩnh vực: {field.name}." if field else ""
    return note


def period_pack(scope: dash.Scope, user, issuing: Issuing, today: date) -> Report:
    """The briefing pack for a period: the dashboard's figures for scope, the directives issued in
    it and the proposals sent in it with what became of each (as of today), and what came after."""
    p = scope.period
    span = builders.covered_span(p.start, p.end, today)
    issued, tasks = directives_issued(user, scope)
    followup = builders.followup_of(user, issued, today, keep=None if tasks is None else tasks.__contains__)
    if p.end < today:
        after = scope.for_period(periods.Period(periods.CUSTOM, p.end + timedelta(days=1), today, today))
        new = new_proposals_section(user, after, "Kiến nghị mới gửi từ sau kỳ báo cáo", " sau kỳ báo cáo")
    else:
        new = Section("Kiến nghị mới gửi từ sau kỳ báo cáo",
                      [f"Kỳ báo cáo kéo dài đến hết ngày {format_date(p.end)}: chưa có kiến nghị gửi sau kỳ."])
    sections = [
        headline_section(user, scope, note=scope_note(scope) + " Số liệu như trên bảng điều hành với kỳ và phạm vi này."),
        *followup.sections(
            "Kết quả thực hiện các chỉ đạo ban hành trong kỳ",
            [f"Trong kỳ ({span}) ban hành {format_number(len(followup.directives))} chỉ đạo, kết luận, giao "
             f"{format_number(followup.counts.total)} nhiệm vụ cho các đơn vị. Tình hình đến "
             f"{format_document_date(today)}:"],
            limit=PACK_DIRECTIVES,
        ),
        *proposals_sections(period_proposals(user, scope), today, " gửi trong kỳ",
                            "Trong kỳ, các xã, phường kiến nghị, đề xuất", limit=PACK_OVERDUE_PROPOSALS),
        new,
        Section("Cách tính các số liệu", DEFINITIONS),
    ]
    return builders._report(  # noqa: SLF001 — the reports' own assembly, shared
        issuing, today,
        f"Hồ sơ phục vụ hội nghị giao ban: kết quả thực hiện chỉ đạo và giải quyết kiến nghị {span}",
        sections,
        intro=[f"Phục vụ hội nghị giao ban, Văn phòng tổng hợp kết quả thực hiện các chỉ đạo, kết luận và giải quyết "
               f"kiến nghị của các xã, phường {span}, như sau:"],
    )


def period_file_name(scope: dash.Scope) -> str:
    p = scope.period
    return f"Hồ sơ giao ban {p.start:%d-%m-%Y} - {p.end:%d-%m-%Y}"


def file_name(meeting: Meeting) -> str:
    return f"Hồ sơ giao ban {meeting.title[:80]} {meeting.held_on:%d-%m-%Y}"


def dashboard_summary(user, scope: dash.Scope, issuing: Issuing, today: date) -> Report:
    """The dashboard's first screen on paper: the tiles, every unit ranked, the directives most behind."""
    tasks = dash.assignment_summary(user, scope)
    p = scope.period
    note = scope_note(scope)
    strip = overview.ranking_strip(scope, tasks)
    ranking = Table(
        columns=["TT", "Đơn vị", "Tỷ lệ hoàn thành nhiệm vụ đến hạn", "Nhiệm vụ đến hạn", "Đang quá hạn"],
        rows=[[str(i), c.unit.name, c.rate_text, format_number(c.due), format_number(c.overdue)]
              for i, c in enumerate(strip, 1)],
        widths_mm=[12, 73, 30, 25, 25], numeric={0, 2, 3, 4},
    )
    behind = overview.most_behind(user, scope)
    behind_table = Table(
        columns=["TT", "Chỉ đạo", "Đơn vị hoàn thành / được giao", "Đang quá hạn"],
        rows=[[str(i), item.directive.title, f"{format_number(item.counts.done)}/{format_number(item.units)}",
               format_number(item.counts[status.OPEN_OVERDUE])] for i, item in enumerate(behind, 1)],
        widths_mm=[12, 103, 30, 20], numeric={0, 2, 3},
    )
    sections = [
        headline_section(user, scope, tasks, note),
        Section("Xếp hạng đơn vị theo tỷ lệ hoàn thành nhiệm vụ đến hạn (thấp nhất trước)",
                ["Đơn vị chưa có nhiệm vụ đến hạn trong kỳ xếp cuối."], ranking),
        Section("Các chỉ đạo có nhiều đơn vị quá hạn nhất", [], behind_table if behind else None,
                [] if behind else ["Không có chỉ đạo nào có đơn vị quá hạn."]),
        Section("Cách tính các số liệu", DEFINITIONS),
    ]
    return builders._report(  # noqa: SLF001 — the reports' own assembly, shared
        issuing, today,
        f"Tóm tắt tình hình thực hiện chỉ đạo và giải quyết kiến nghị {builders.covered_span(p.start, p.end, today)}",
        sections,
    )
