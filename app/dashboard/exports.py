"""The dashboard as an Excel workbook: every table it shows for the scope, one sheet each, the
whole of each (every unit ranked, every directive awaiting reports), under the scope in words."""

from __future__ import annotations

import io

import xlsxwriter
from flask_babel import gettext as _

from app import clock
from app.dashboard import services
from app.directives import status
from app.documents.xlsx import XLSX_MIME, write_sheet
from app.formatting import format_date, format_datetime

__all__ = ["XLSX_MIME", "dashboard_workbook", "scope_lines", "summary_base_name", "workbook_name"]


def workbook_name(scope: services.Scope) -> str:
    p = scope.period
    return f"Bảng điều hành {p.start:%d-%m-%Y} - {p.end:%d-%m-%Y}.xlsx"


def summary_base_name(scope: services.Scope) -> str:
    """The summary's file name, without its extension (.pdf or .docx)."""
    p = scope.period
    return f"Tóm tắt bảng điều hành {p.start:%d-%m-%Y} - {p.end:%d-%m-%Y}"


def scope_lines(user, scope: services.Scope, field_name: str) -> list[str]:
    p = scope.period
    lines = [_("Kỳ: %(label)s, từ ngày %(start)s đến ngày %(end)s; tình trạng nhiệm vụ tính đến ngày %(as_of)s",
               label=str(p.label), start=format_date(p.start), end=format_date(p.end), as_of=format_date(p.as_of))]
    if field_name:
        lines.append(_("Lĩnh vực: %(name)s", name=field_name))
    if scope.unit is not None:
        what = (_("kiến nghị do xã, phường này gửi") if scope.unit.is_commune
                else _("kiến nghị đơn vị chủ trì hoặc phối hợp giải quyết"))
        lines.append(_("Đơn vị: %(name)s (%(what)s; nhiệm vụ giao cho đơn vị)", name=scope.unit.name, what=what))
    lines.append(_("Xuất lúc %(at)s, người xuất: %(who)s", at=format_datetime(clock.now()), who=user.full_name or user.username))
    return lines


def dashboard_workbook(user, scope: services.Scope, context: dict) -> tuple[bytes, str]:
    """The workbook of context (routes.dashboard_context for scope) and its file name."""
    lines = scope_lines(user, scope, context["field_name"])
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True})
    props, tasks = context["props"], context["tasks"]
    write_sheet(workbook, _("Tóm tắt"), _("Các chỉ số chính, so với kỳ trước"), lines,
           [(_("Chỉ số"), 46), (_("Kỳ này"), 14), (_("Kỳ trước"), 14), (_("Tăng, giảm"), 18), (_("Đánh giá"), 12),
            (_("Ghi chú"), 40)],
           ([t.label, t.value, t.previous, t.change, t.verdict_text, t.note] for t in context["tiles"]))
    write_sheet(workbook, _("So với kỳ trước"), _("So với kỳ trước (%(start)s – %(end)s)", start=format_date(
        context["previous"].start), end=format_date(context["previous"].end)), lines,
           [(_("Chỉ tiêu"), 46), (_("Kỳ này"), 14), (_("Kỳ trước"), 14), (_("Tăng, giảm"), 14)],
           ([str(r.label), _value(r.current), _value(r.previous), r.change] for r in context["trend_rows"]))
    write_sheet(workbook, _("KN theo trạng thái"), _("Kiến nghị nhận trong kỳ theo trạng thái"), lines,
           [(_("Trạng thái"), 40), (_("Số kiến nghị"), 14)],
           [*([str(label), c.value] for _k, label, c in props.by_state), [_("Tổng cộng"), props.total.value]])
    write_sheet(workbook, _("KN theo thời hạn"), _("Thời hạn trả lời kiến nghị"), lines,
           [(_("Thời hạn trả lời"), 40), (_("Số kiến nghị"), 14)],
           ([str(label), c.value] for _k, label, c in props.timeliness))
    write_sheet(workbook, _("KN theo lĩnh vực"), _("Kiến nghị theo lĩnh vực"), lines,
           [(_("Lĩnh vực"), 46), (_("Số kiến nghị"), 14)], ([f.name, c.value] for f, c in props.by_field))
    write_sheet(workbook, _("KN theo đơn vị chủ trì"), _("Trả lời kiến nghị theo đơn vị chủ trì"), lines,
           [(_("Đơn vị chủ trì"), 40), (_("Trả lời đúng hạn"), 14), (_("Trả lời quá hạn"), 14),
            (_("Số ngày trả lời bình quân"), 16), (_("Đang xử lý trong hạn"), 14), (_("Quá hạn trả lời"), 14)],
           ([r.unit.name, r.answered_on_time.value, r.answered_late.value,
             None if r.average_days is None else round(r.average_days, 1), r.pending_on_time.value,
             r.pending_overdue.value] for r in props.departments))
    write_sheet(workbook, _("Nhiệm vụ"), _("Nhiệm vụ theo dõi trong kỳ theo tình trạng"), lines,
           [(_("Tình trạng"), 40), (_("Số nhiệm vụ"), 14)],
           [*([str(status.LABELS[k]), tasks.counts[k]] for k in status.ALL_KEYS), [_("Tổng cộng"), tasks.counts.total],
            [_("Tỷ lệ hoàn thành nhiệm vụ đến hạn"), tasks.counts.completion.text],
            [_("Tỷ lệ hoàn thành đúng hạn"), tasks.counts.on_time.text]])
    unit_columns = [(_("TT"), 6), (_("Đơn vị"), 34), (_("Loại"), 16)]
    unit_columns += [(str(status.LABELS[k]), 13) for k in status.CLASSES]
    unit_columns += [(_("Tỷ lệ hoàn thành nhiệm vụ đến hạn"), 16), (_("Tỷ lệ đúng hạn"), 13)]
    rows = tasks.communes + tasks.bodies
    rows.sort(key=services.rank_key)
    write_sheet(workbook, _("Xếp hạng đơn vị"), _("Xếp hạng đơn vị: nhiều nhiệm vụ quá hạn trước"), lines, unit_columns,
           ([i, r.unit.name, _("Xã, phường") if r.unit.is_commune else _("Cơ quan cấp tỉnh"),
             *(r.counts[k] for k in status.CLASSES), r.counts.completion.text,
             r.counts.on_time.text] for i, r in enumerate(rows, 1)))
    write_sheet(workbook, _("Chỉ đạo chậm nhất"), _("Chỉ đạo có nhiều đơn vị quá hạn nhất"), lines,
           [(_("Chỉ đạo"), 60), (_("Số đơn vị được giao"), 14), (_("Đã hoàn thành"), 14), (_("Đang quá hạn"), 14)],
           ([b.directive.title, b.units, b.counts.done, b.counts[status.OPEN_OVERDUE]] for b in context["behind"]))
    write_sheet(workbook, _("Quá hạn lâu nhất"), _("10 việc quá hạn lâu nhất"), lines,
           [(_("Loại"), 12), (_("Nội dung"), 60), (_("Đơn vị chịu trách nhiệm"), 30), (_("Hạn"), 12),
            (_("Số ngày quá hạn"), 12)],
           ([_("Kiến nghị") if i.kind == "proposal" else _("Nhiệm vụ"), i.title, i.unit.name if i.unit else "",
             i.deadline, i.days_overdue] for i in context["overdue"]))
    completeness = services.reporting_completeness(user, scope, None)
    write_sheet(workbook, _("Báo cáo tiến độ"), _("Báo cáo tiến độ của các đơn vị"), lines,
           [(_("Chỉ đạo"), 60), (_("Đã báo cáo"), 12), (_("Đang thực hiện"), 14), (_("Chưa báo cáo"), 80)],
           ([c.directive.title, c.reported, c.working, ", ".join(m.unit.name for m in c.missing)]
            for c in completeness.rows))
    workbook.close()
    return buffer.getvalue(), workbook_name(scope)


def _value(value):
    return value.value if isinstance(value, services.Count) else value
