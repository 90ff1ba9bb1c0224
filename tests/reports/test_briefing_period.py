"""The briefing pack for a period: the dashboard's figures for the same period and scope, the
directives issued in it, the proposals sent in it with what became of each, what came after."""

import re

from app.extensions import db
from app.models import Unit
from tests.dashboard.conftest import ids
from tests.directives.conftest import days
from tests.docjobs.fetch import fetch_document
from tests.reports.conftest import doc_text, docx_of, pdf_of, table_texts
from tests.reports.test_briefing import tile_values


def printed_figures(body: str, values: dict) -> dict[str, str]:
    """Each tile's label, and the figure the pack prints for it (without the counts of a rate)."""
    out = {}
    for label, _value in values.values():
        cell = re.search(f'<td>{re.escape(label)}</td><td class="num">(.*?)</td>', body)
        out[label] = re.sub("<[^>]+>", "", cell.group(1)).split(" (")[0] if cell else ""
    return out


def outcome_totals(document) -> dict[str, str]:
    """The total row of the pack's table of proposals by field: outcome column -> number."""
    for table in document.tables:
        rows = table_texts(table)
        if rows[0][:3] == ["TT", "Lĩnh vực", "Đã trả lời"]:
            return dict(zip(rows[0][2:], rows[-1][2:], strict=True))
    raise AssertionError("no table of proposals by field")


def test_the_period_pack_states_the_dashboards_figures(app, seeded, as_user):
    client = as_user("leader")
    dashboard = client.get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    values = tile_values(dashboard)
    assert len(values) == 7
    page = client.get(f"/reports/briefing?{seeded['query']}")
    assert page.status_code == 200
    body = page.get_data(as_text=True)
    assert printed_figures(body, values) == {label: value for label, value in values.values()}
    # The proposals sent in the period are the dashboard's "received", and what became of them its figures.
    totals = outcome_totals(docx_of(fetch_document(client, f"/reports/briefing.docx?{seeded['query']}")))
    assert totals["Tổng"] == values["received"][1] == "6"
    assert totals["Đã trả lời"] == values["answered"][1]
    assert totals["Quá hạn trả lời"] == values["pending_overdue"][1]
    # The directives issued in the period, each with its units overdue and not reporting.
    assert "Kết quả thực hiện các chỉ đạo ban hành trong kỳ" in body
    assert "Kiện toàn tổ chức bộ máy" in body and "Giảm nghèo, an sinh xã hội" in body
    assert "Chưa báo cáo" in body
    assert "Cầu tràn quá hạn" in body  # the proposal past its answer deadline, by name
    assert "Cách tính các số liệu" in body


def test_the_period_pack_for_one_unit_is_the_dashboards_for_that_unit(app, seeded, as_user):
    client = as_user("coordinator")
    (sxd,) = ids(app, "SXD")
    query = f"{seeded['query']}&unit={sxd}"
    values = tile_values(client.get(f"/dashboard/?{query}").get_data(as_text=True))
    body = client.get(f"/reports/briefing?{query}").get_data(as_text=True)
    assert printed_figures(body, values) == {label: value for label, value in values.values()}
    with app.app_context():
        name = db.session.get(Unit, sxd).name
    assert f"Đơn vị: {name}" in body
    # Of the staffing directive only the department's own task: 0 of 1 done, not the 4 units given it.
    assert re.search(r"Kiện toàn tổ chức bộ máy \(thời hạn [\d/]+; hoàn thành 0/1 đơn vị\)", body)
    assert "Giảm nghèo, an sinh xã hội" not in body  # given to two communes only
    totals = outcome_totals(docx_of(fetch_document(client, f"/reports/briefing.docx?{query}")))
    assert totals["Tổng"] == values["received"][1]


def test_the_period_pack_lists_what_came_after_the_period(app, seeded, as_user):
    client = as_user("leader")
    query = f"period=custom&from={days(-30).isoformat()}&to={days(-1).isoformat()}"
    body = client.get(f"/reports/briefing?{query}").get_data(as_text=True)
    # Everything in the seeded province was sent and given today, after this period.
    assert "Không có kiến nghị nào gửi trong kỳ." in body
    assert "Kiện toàn tổ chức bộ máy" not in body
    assert "Kiến nghị mới gửi từ sau kỳ báo cáo" in body
    assert "các xã, phường gửi thêm 6 kiến nghị sau kỳ báo cáo" in body


def test_the_period_pack_as_word_and_pdf(app, seeded, as_user):
    client = as_user("coordinator")
    text = doc_text(docx_of(fetch_document(client, f"/reports/briefing.docx?{seeded['query']}")))
    assert "Hồ sơ phục vụ hội nghị giao ban" in text
    assert "Kiện toàn tổ chức bộ máy" in text
    pdf = pdf_of(fetch_document(client, f"/reports/briefing.pdf?{seeded['query']}"))
    pdf_text = "".join(p.extract_text() for p in pdf.pages)
    assert "Các chỉ số chính" in pdf_text and "Cách tính các số liệu" in pdf_text


def test_the_print_page_links_its_word_and_pdf_with_the_same_scope(seeded, as_user):
    body = as_user("leader").get(f"/reports/briefing?{seeded['query']}").get_data(as_text=True)
    assert f'action="/reports/briefing.docx?{seeded["query"].replace("&", "&amp;")}"' in body
    assert f'action="/reports/briefing.pdf?{seeded["query"].replace("&", "&amp;")}"' in body


def test_the_dashboard_and_the_reports_page_offer_the_period_pack(seeded, as_user):
    client = as_user("leader")
    dashboard = client.get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    assert f'href="/reports/briefing?{seeded["query"].replace("&", "&amp;")}"' in dashboard
    reports = client.get("/reports/").get_data(as_text=True)
    assert 'formaction="/reports/briefing"' in reports


def test_only_the_dashboards_roles_make_the_period_pack(seeded, as_user):
    for role in ("commune_b", "department"):
        for path in ("/reports/briefing", "/reports/briefing.docx"):
            assert as_user(role).get(f"{path}?{seeded['query']}").status_code == 403


def test_a_range_without_its_end_is_refused_not_a_500(seeded, as_user):
    assert as_user("leader").get(f"/reports/briefing?period=custom&from={days(-5).isoformat()}").status_code == 400


def test_a_long_period_details_the_directives_most_behind(seeded, as_user, monkeypatch):
    from app.reports import briefing

    monkeypatch.setattr(briefing, "PACK_DIRECTIVES", 1)
    body = as_user("leader").get(f"/reports/briefing?{seeded['query']}").get_data(as_text=True)
    # Both directives count in the totals; only the one with a unit past its deadline is detailed.
    assert re.search(r"Kiện toàn tổ chức bộ máy \(thời hạn", body)
    assert not re.search(r"Giảm nghèo, an sinh xã hội \(thường xuyên", body)
    assert "Nêu chi tiết 1 chỉ đạo có nhiều đơn vị quá hạn, chưa báo cáo nhất; 1 chỉ đạo còn lại" in body


def test_directives_read_in_batches_give_the_same_rows(app, seeded, users, monkeypatch):
    from app import clock
    from app.directives import rollups
    from app.directives.models import Directive
    from app.models import User

    def rows(batch: int) -> dict:
        monkeypatch.setattr(rollups, "ROWS_BATCH", batch)
        with app.test_request_context():
            user = db.session.get(User, users["leader"].id)
            found = [db.session.get(Directive, d) for d in seeded["directives"].values()]
            by_directive = rollups.assignment_rows_by_directive(found, user, clock.today(), 7)
            return {d: [(r.assignment.id, r.unit.name, r.status.key, r.reported_this_period) for r in got]
                    for d, got in by_directive.items()}

    one_by_one, together = rows(1), rows(100)
    assert one_by_one == together
    assert [len(r) for r in together.values()] == [4, 2]
