"""Demo content: the briefing's conclusions (as the source article states them) as directives.

The meeting comes from app.meetings.demo (its date is relative to today, its people invented);
the directives are issued three days after it, and their follow-up happens after that.

Dates are relative to today so the demo always shows every status class: done on time and
late, open within the deadline (some due soon) and overdue, ongoing, suspended, cancelled,
with extension requests and completions waiting for the coordinator. Running it twice adds
nothing: the meeting is looked up by title and date (the proposals demo shares it) and each
directive by its title.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select

from app import clock
from app.directives import services, workflow
from app.directives.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    DirectiveEvent,
    ExtensionRequest,
    ProgressReport,
)
from app.extensions import db
from app.meetings import demo as demo_meeting
from app.models import COMMUNE_KINDS, Field, Unit, User

DIRECTIVES = [
    {
        "key": "apparatus",
        "title": "Kiện toàn tổ chức bộ máy, bổ sung đủ ủy viên Ban Chấp hành, Ban Thường vụ Đảng ủy xã, phường",
        "content": (
            "Đảng ủy các xã, phường tiếp tục tập trung kiện toàn tổ chức bộ máy; bổ sung đủ số lượng ủy viên "
            "trong Ban Chấp hành, Ban Thường vụ Đảng ủy; báo cáo kết quả về Thường trực Tỉnh ủy (qua Văn phòng "
            "Tỉnh ủy và Ban Tổ chức Tỉnh ủy)."
        ),
        "field": "Biên chế, tổ chức bộ máy",
        "deadline_days": -20,
        "targets": "communes",
    },
    {
        "key": "staff",
        "title": "Bổ sung đủ biên chế trong các cơ quan Đảng, chính quyền xã, phường còn thiếu cán bộ",
        "content": (
            "Rà soát vị trí việc làm, bổ sung đủ biên chế ở các lĩnh vực còn thiếu tại cơ quan Đảng, chính "
            "quyền cấp xã để bảo đảm chuyên môn, nghiệp vụ. Sở Nội vụ phối hợp, hướng dẫn."
        ),
        "field": "Biên chế, tổ chức bộ máy",
        "deadline_days": 2,
        "targets": "communes",
        "support": ["SNV"],
    },
    {
        "key": "resolutions",
        "title": "Triển khai nghị quyết đại hội Đảng bộ xã, phường; xây dựng chương trình, kế hoạch hành động",
        "content": (
            "Tập trung triển khai nghị quyết đại hội Đảng bộ xã, phường nhiệm kỳ 2025-2030; xây dựng các "
            "chương trình, kế hoạch hành động phát triển kinh tế - xã hội, xây dựng Đảng, chính quyền; quyết "
            "liệt thực hiện hoàn thành các chỉ tiêu tỉnh giao."
        ),
        "field": "Thu hút đầu tư, phát triển kinh tế - xã hội",
        "deadline_days": 30,
        "targets": "communes",
    },
    {
        "key": "poverty",
        "title": "Quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội cho người dân",
        "content": (
            "Các xã, phường quan tâm công tác giảm nghèo, bảo đảm an sinh xã hội cho người dân; báo cáo kết "
            "quả hằng tháng."
        ),
        "field": "Giảm nghèo, an sinh xã hội",
        "ongoing": "monthly",
        "targets": "communes",
    },
    {
        "key": "infrastructure",
        "title": "Các ngành của tỉnh đầu tư kinh phí hoàn thiện cơ sở hạ tầng, trang thiết bị cho xã, phường",
        "content": (
            "Các sở, ngành của tỉnh tiếp tục quan tâm đầu tư kinh phí giúp các xã, phường xây dựng hoàn thiện "
            "cơ sở hạ tầng; trang bị đầy đủ trang thiết bị, máy móc, hạ tầng công nghệ thông tin, phần mềm "
            "dùng chung giúp các địa phương hoạt động hiệu quả."
        ),
        "field": "Trang thiết bị, hạ tầng CNTT, phần mềm dùng chung",
        "deadline_days": 60,
        "lead": ["SXD"],
        "support": ["STC", "SKHCN", "SNNMT"],
    },
    {
        "key": "decentralisation",
        "title": "Rà soát cơ chế phân cấp, phân quyền cho xã, phường, nhất là về nguồn lực đầu tư công",
        "content": (
            "Rà soát lại cơ chế phân cấp, phân quyền theo hướng tỉnh phân cấp mạnh cho các địa phương tự quyết "
            "định, nhất là về nguồn lực đầu tư công; ban hành quy định phân cấp trên các lĩnh vực để UBND cấp "
            "xã chủ động triển khai nhiệm vụ."
        ),
        "field": "Phân cấp, phân quyền",
        "deadline_days": -5,
        "lead": ["SNV"],
        "support": ["STP", "STC", "SXD"],
    },
]

REPORT_TEXTS = [
    "Đã ban hành kế hoạch thực hiện, phân công cán bộ phụ trách.",
    "Đã tổ chức hội nghị triển khai đến các chi bộ, thôn, làng.",
    "Đang rà soát, tổng hợp số liệu; dự kiến hoàn thành trong tháng.",
    "Đã hoàn thành phần lớn khối lượng công việc, đang hoàn thiện hồ sơ báo cáo.",
]


def _at(day: date, hour: int = 9) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


class _Builder:
    """Writes demo rows with the events and dates a real history would have."""

    def __init__(self, users: dict[str, User], today: date):
        self.today = today
        self.coordinator = users.get("vanphong.demo")
        self.leader = users.get("lanhdao.demo")
        self.unit_users = {u.unit_id: u for u in users.values() if u.role in ("commune", "department")}

    def author(self, assignment: Assignment) -> User | None:
        return self.unit_users.get(assignment.unit_id)

    def event(self, assignment, actor, kind, day, **fields):
        db.session.add(AssignmentEvent(
            assignment_id=assignment.id, actor_id=getattr(actor, "id", None), kind=kind, created_at=_at(day, 10), **fields
        ))

    def report(self, assignment, percent: int, day: date, text: str | None = None):
        report = ProgressReport(
            assignment_id=assignment.id, text=text or REPORT_TEXTS[assignment.unit_id % len(REPORT_TEXTS)],
            percent=percent, author_id=getattr(self.author(assignment), "id", None), created_at=_at(day),
        )
        db.session.add(report)
        db.session.flush()
        self.event(assignment, self.author(assignment), "report", day, note=f"{percent}%", report_id=report.id)

    def ask_completion(self, assignment, day: date):
        assignment.state = workflow.AWAITING_CONFIRMATION
        assignment.completion_requested_on = day
        self.event(assignment, self.author(assignment), "completion_requested", day,
                   from_state=workflow.IN_PROGRESS, to_state=workflow.AWAITING_CONFIRMATION)

    def confirm(self, assignment, day: date):
        assignment.state = workflow.DONE
        assignment.completed_on = assignment.completion_requested_on
        self.event(assignment, self.coordinator, "confirmed", day,
                   from_state=workflow.AWAITING_CONFIRMATION, to_state=workflow.DONE)

    def extension(self, assignment, requested: date, reason: str, day: date, decision: str | None = None):
        extension = ExtensionRequest(
            assignment_id=assignment.id, previous_deadline=assignment.deadline, requested_deadline=requested,
            reason=reason, requested_by_id=getattr(self.author(assignment), "id", None), requested_at=_at(day),
        )
        db.session.add(extension)
        db.session.flush()
        self.event(assignment, self.author(assignment), "extension_requested", day, note=reason, extension_id=extension.id)
        if decision:
            extension.state = decision
            extension.decided_by_id = getattr(self.coordinator, "id", None)
            extension.decided_at = _at(day + timedelta(days=1))
            if decision == workflow.EXT_APPROVED:
                assignment.extended_deadline = requested
            self.event(assignment, self.coordinator, f"extension_{decision}", day + timedelta(days=1),
                       extension_id=extension.id)

    def stop(self, assignment, state: str, reason: str, day: date):
        old = assignment.state
        assignment.state = state
        assignment.state_reason = reason
        self.event(assignment, self.coordinator, "suspended" if state == workflow.SUSPENDED else "cancelled", day,
                   from_state=old, to_state=state, note=reason)


def load_directives_demo(users: dict[str, User]) -> None:
    """Add the meeting's conclusions as directives with a realistic follow-up history."""
    coordinator = users.get("vanphong.demo")
    if coordinator is None:
        return
    today = clock.today()
    meeting = demo_meeting.ensure_demo_meeting(users, today)
    build = _Builder(users, today)
    fields = {f.name: f.id for f in db.session.scalars(select(Field))}
    units_by_code = {u.code: u for u in db.session.scalars(select(Unit))}
    communes = list(db.session.scalars(
        select(Unit).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True)).order_by(Unit.id)
    ))
    for spec in DIRECTIVES:
        exists = db.session.scalar(select(Directive.id).where(Directive.title == spec["title"]))
        if exists:
            continue
        ongoing = spec.get("ongoing")
        directive = services.create_directive(
            {
                "meeting_id": meeting.id, "issued_by_name": meeting.chair_name, "issued_by_title": meeting.chair_title,
                "title": spec["title"], "content": spec["content"], "field_id": fields.get(spec["field"]),
                "is_ongoing": bool(ongoing), "reporting_period": ongoing,
                "deadline": None if ongoing else today + timedelta(days=spec["deadline_days"]),
            },
            coordinator,
        )
        issued_on = meeting.held_on + demo_meeting.DIRECTIVES_ISSUED_AFTER
        directive.created_at = _at(issued_on, 8)
        if spec.get("targets") == "communes":
            services.assign_to_units(directive, [u.id for u in communes], workflow.LEAD, coordinator)
        lead = [units_by_code[c].id for c in spec.get("lead", []) if c in units_by_code]
        support = [units_by_code[c].id for c in spec.get("support", []) if c in units_by_code]
        if lead:
            services.assign_to_units(directive, lead, workflow.LEAD, coordinator)
        if support:
            services.assign_to_units(directive, support, workflow.SUPPORT, coordinator)
        db.session.flush()
        db.session.execute(
            DirectiveEvent.__table__.update()
            .where(DirectiveEvent.directive_id == directive.id)
            .values(created_at=_at(issued_on, 9))
        )
        db.session.execute(
            Assignment.__table__.update()
            .where(Assignment.directive_id == directive.id)
            .values(created_at=_at(issued_on, 9))
        )
        db.session.execute(
            AssignmentEvent.__table__.update()
            .where(AssignmentEvent.assignment_id.in_(select(Assignment.id).where(Assignment.directive_id == directive.id)))
            .values(created_at=_at(issued_on, 9))
        )
        assignments = list(db.session.scalars(
            select(Assignment).where(Assignment.directive_id == directive.id).order_by(Assignment.id)
        ))
        _HISTORIES[spec["key"]](build, directive, assignments, {u.id: u for u in units_by_code.values()})
        if spec["key"] == "apparatus" and build.leader is not None:
            db.session.add(DirectiveEvent(
                directive_id=directive.id, actor_id=build.leader.id, kind="comment", created_at=_at(today - timedelta(days=3)),
                note="Đề nghị các xã, phường còn chậm khẩn trương hoàn thành, báo cáo Thường trực Tỉnh ủy trước ngày giao ban tháng tới.",
            ))
    db.session.flush()


def _is_demo_unit(build: _Builder, assignment: Assignment) -> bool:
    return assignment.unit_id in build.unit_users


def _apparatus(build: _Builder, directive, assignments, units) -> None:
    """Deadline 20 days ago: most done (on time or late), some overdue, some waiting."""
    deadline, today = directive.deadline, build.today
    for i, a in enumerate(assignments):
        build.report(a, 30 + (i % 3) * 10, deadline - timedelta(days=15))
        if _is_demo_unit(build, a):
            build.report(a, 70, deadline - timedelta(days=2), "Đã bầu bổ sung 2 ủy viên Ban Chấp hành; còn thiếu 1 ủy viên Ban Thường vụ.")
            build.extension(a, today + timedelta(days=10), "Chờ Ban Thường vụ Tỉnh ủy chuẩn y kết quả bầu bổ sung.", today - timedelta(days=1))
            continue
        slot = i % 10
        if slot <= 4:
            asked = deadline - timedelta(days=1 + i % 6)
            build.report(a, 100, asked, "Đã bổ sung đủ ủy viên Ban Chấp hành, Ban Thường vụ; gửi kèm quyết định chuẩn y.")
            build.ask_completion(a, asked)
            build.confirm(a, deadline)
        elif slot <= 6:
            asked = deadline + timedelta(days=2 + i % 9)
            build.report(a, 100, asked, "Đã hoàn thành việc bầu bổ sung; chậm do chờ chuẩn y nhân sự.")
            build.ask_completion(a, asked)
            build.confirm(a, min(today, deadline + timedelta(days=12)))
        elif slot == 7:
            build.report(a, 90, today - timedelta(days=4))
            build.ask_completion(a, today - timedelta(days=1 + i % 2))
        # slots 8 and 9: still in progress, overdue


def _staff(build: _Builder, directive, assignments, units) -> None:
    """Deadline in two days: some done, some waiting for confirmation, the rest due soon."""
    today = build.today
    for i, a in enumerate(assignments):
        if _is_demo_unit(build, a) or a.role == workflow.SUPPORT:
            build.report(a, 50, today - timedelta(days=5), "Đã rà soát vị trí việc làm; đang lập danh sách đề nghị bổ sung.")
            continue
        slot = i % 4
        if slot == 0:
            build.report(a, 100, today - timedelta(days=6))
            build.ask_completion(a, today - timedelta(days=6))
            build.confirm(a, today - timedelta(days=4))
        elif slot == 1:
            build.report(a, 95, today - timedelta(days=2))
            build.ask_completion(a, today - timedelta(days=1))
        elif slot == 2:
            build.report(a, 40 + i % 40, today - timedelta(days=3))
        # slot 3: nothing reported yet


def _resolutions(build: _Builder, directive, assignments, units) -> None:
    """Deadline in a month: a few done early, most working on it, one extension approved."""
    today = build.today
    for i, a in enumerate(assignments):
        if i % 5 == 0 and not _is_demo_unit(build, a):
            build.report(a, 100, today - timedelta(days=8))
            build.ask_completion(a, today - timedelta(days=8))
            build.confirm(a, today - timedelta(days=7))
        elif i % 5 in (1, 2) or _is_demo_unit(build, a):
            build.report(a, 20 + i % 50, today - timedelta(days=3 + i % 5))
        if i == 3:
            build.extension(a, directive.deadline + timedelta(days=15), "Chờ ý kiến thẩm định của sở chuyên ngành.", today - timedelta(days=6), workflow.EXT_APPROVED)
        if i == 11:
            build.extension(a, directive.deadline + timedelta(days=20), "Địa bàn rộng, cần thêm thời gian khảo sát.", today - timedelta(days=5), workflow.EXT_REFUSED)


def _poverty(build: _Builder, directive, assignments, units) -> None:
    """Ongoing, monthly reports: most reported this month, some only last month."""
    today = build.today
    month_start = today.replace(day=1)
    for i, a in enumerate(assignments):
        build.report(a, 40 + i % 30, month_start - timedelta(days=5), "Báo cáo tháng trước: rà soát hộ nghèo, hộ cận nghèo; chi trả trợ cấp đúng hạn.")
        if i % 4 != 3 and not _is_demo_unit(build, a):
            build.report(a, 60 + i % 30, max(month_start, today - timedelta(days=1)), "Báo cáo tháng này: hỗ trợ nhà ở cho hộ nghèo, chi trả chính sách an sinh.")


def _infrastructure(build: _Builder, directive, assignments, units) -> None:
    """Departments, deadline in two months: one suspended, one cancelled, others working."""
    today = build.today
    for a in assignments:
        code = units[a.unit_id].code
        if code == "SXD":
            build.report(a, 25, today - timedelta(days=9), "Đã tổng hợp nhu cầu xây dựng trụ sở của 135 xã, phường; đang lập danh mục ưu tiên.")
        elif code == "STC":
            build.report(a, 40, today - timedelta(days=7), "Đã tham mưu bố trí nguồn vốn đợt 1 cho 38 xã, phường.")
        elif code == "SKHCN":
            build.stop(a, workflow.SUSPENDED, "Chờ phê duyệt đề án chuyển đổi số cấp xã.", today - timedelta(days=10))
        elif code == "SNNMT":
            build.stop(a, workflow.CANCELLED, "Nội dung đã được giao tại chỉ đạo khác.", today - timedelta(days=12))


def _decentralisation(build: _Builder, directive, assignments, units) -> None:
    """Deadline five days ago: lead overdue with an extension pending, supports done or late."""
    deadline, today = directive.deadline, build.today
    for a in assignments:
        code = units[a.unit_id].code
        if code == "SNV":
            build.report(a, 80, today - timedelta(days=8), "Đã dự thảo quy định phân cấp; đang lấy ý kiến các sở, ngành.")
            build.extension(a, today + timedelta(days=20), "Cần lấy ý kiến các xã, phường về dự thảo quy định.", today - timedelta(days=2))
        elif code == "STP":
            build.report(a, 100, deadline + timedelta(days=1), "Đã có ý kiến thẩm định dự thảo.")
            build.ask_completion(a, deadline + timedelta(days=2))
            build.confirm(a, deadline + timedelta(days=3))
        elif code == "STC":
            build.report(a, 100, deadline - timedelta(days=4), "Đã rà soát các nội dung phân cấp về tài chính - ngân sách.")
            build.ask_completion(a, deadline - timedelta(days=3))
            build.confirm(a, deadline - timedelta(days=2))
        elif code == "SXD":
            build.report(a, 60, today - timedelta(days=6), "Đang rà soát phân cấp trong lĩnh vực xây dựng, quy hoạch.")


_HISTORIES = {
    "apparatus": _apparatus,
    "staff": _staff,
    "resolutions": _resolutions,
    "poverty": _poverty,
    "infrastructure": _infrastructure,
    "decentralisation": _decentralisation,
}
