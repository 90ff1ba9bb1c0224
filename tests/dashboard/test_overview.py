"""The first screen (tiles, ranking strip, directives most behind), the trends, the workbook and
the remembered scope, held to counts taken row by row from the database."""

import io
import re
from datetime import timedelta

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from app import clock
from app.dashboard import overview, services, trends
from app.dashboard import period as periods
from app.directives import services as directives
from app.directives import status
from app.directives.models import Assignment
from app.extensions import db
from app.models import Unit, User
from app.proposals.models import Proposal
from tests.dashboard.conftest import ids as unit_ids
from tests.dashboard.test_dashboard_views import section
from tests.directives.conftest import days
from tests.docjobs.fetch import fetch_document


def block(body: str, element_id: str, end: str) -> str:
    start = body.index(f'id="{element_id}"')
    return body[start:body.index(end, start)]


def test_previous_period_of_month_to_date_is_the_same_days_of_last_month():
    today = periods.date(2026, 12, 7)
    month = periods.resolve(periods.MONTH, today)
    before = month.previous()
    assert (before.start, before.end) == (periods.date(2026, 11, 1), periods.date(2026, 11, 7))
    # The 31st of a month against a month of 30 days: the whole of it, never a slice.
    before = periods.resolve(periods.MONTH, periods.date(2026, 12, 31)).previous()
    assert (before.start, before.end) == (periods.date(2026, 11, 1), periods.date(2026, 11, 30))


def test_tiles_compare_with_the_previous_period_and_say_better_or_worse(seeded, as_user):
    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    tiles = block(body, "dash-tiles", "</ul>")
    for key in ("completion", "on_time", "open_overdue", "received", "answered", "pending_overdue", "average_days"):
        assert f'data-tile="{key}"' in tiles
    # Six proposals sent in the 60 days (the draft is not sent), none before them.
    received = tiles.split('data-tile="received"')[1].split("</li>")[0]
    assert ">6</a>" in received and "+6" in received and "(tăng)" in received
    overdue = tiles.split('data-tile="open_overdue"')[1].split("</li>")[0]
    assert "kém hơn" in overdue and "Nhiều nhất:" in overdue


def test_the_strip_ranks_every_active_unit_worst_first(app, seeded, as_user):
    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    strip = block(body, "dash-strip", "</ol>")
    with app.app_context():
        active = db.session.scalar(select(db.func.count()).select_from(Unit).where(Unit.active.is_(True)))
        names = {u.id: u.name for u in db.session.scalars(select(Unit))}
    shown = [int(part.split('"')[0]) for part in strip.split('data-unit="')[1:]]
    assert len(shown) == active == len(set(shown))
    # Phường Pleiku finished late: 1 done / 1 due = 100%; SXD is open past its deadline: 0%.
    sxd = next(uid for uid, name in names.items() if name == "Sở Xây dựng")
    pleiku = next(uid for uid, name in names.items() if name == "Phường Pleiku")
    assert shown.index(sxd) < shown.index(pleiku)


def test_the_directives_most_behind_show_their_roll_up(seeded, as_user):
    body = as_user("leader").get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    behind = block(body, "dash-behind", "</ol>")
    staffing = seeded["directives"]["staffing"]
    assert f'data-directive="{staffing}"' in behind
    # Four units: two done, SXD overdue, SNV extended (on time).
    assert "<strong data-done>2</strong>/<span data-units>4</span>" in behind
    assert "<strong data-overdue>1</strong>" in behind


def reference_trend(user_id: int, span: str) -> list[tuple[int, int, int, int, int, int]]:
    """Each bucket's numbers the slow way: every row loaded, every rule applied in Python."""
    today = clock.today()
    user = db.session.get(User, user_id)
    out = []
    proposals = list(db.session.scalars(select(Proposal)))
    tasks = list(db.session.scalars(select(Assignment)))
    for bucket in trends.buckets(span, today):
        received = sum(1 for p in proposals if p.sent_at and p.state != "draft" and bucket.start <= clock.local_date(p.sent_at) <= bucket.end)
        answered = sum(1 for p in proposals if p.answered_on and bucket.start <= p.answered_on <= bucket.end)
        completed = sum(1 for a in tasks if a.state == "done" and a.completed_on
                        and bucket.start <= a.completed_on <= bucket.end)
        newly = 0
        done = overdue = 0
        for a in tasks:
            if a.state in ("suspended", "cancelled") or a.deadline is None:
                continue
            if bucket.start <= a.deadline + timedelta(days=1) <= bucket.end and not (
                    a.state == "done" and a.completed_on and a.completed_on <= a.deadline):
                newly += 1
            followed = clock.local_date(a.created_at) <= bucket.end and (
                a.completed_on is None or a.completed_on >= bucket.start)
            if followed:
                key = a.status_on(bucket.end).key
                done += key in (status.DONE_ON_TIME, status.DONE_LATE)
                overdue += key == status.OPEN_OVERDUE
        out.append((received, answered, completed, newly, done, overdue))
    assert user is not None
    return out


@pytest.mark.parametrize("span", trends.SPANS)
def test_trend_numbers_equal_counts_taken_row_by_row(app, seeded, users, set_assignment, span):
    # Spread the hand-made tasks over the weeks: given 20 and 40 days ago, done and due on other days.
    with app.app_context():
        ids = list(db.session.scalars(select(Assignment.id).order_by(Assignment.id)))
    set_assignment(ids[0], created_at=clock.start_of_day(days(-40)))
    set_assignment(ids[1], created_at=clock.start_of_day(days(-20)), original_deadline=days(-15))
    set_assignment(ids[2], created_at=clock.start_of_day(days(-20)), original_deadline=days(-9))
    with app.app_context():
        leader = users["leader"].id
        expected = reference_trend(leader, span)
        scope = services.Scope(periods.resolve(periods.MONTH, clock.today()))
        from flask_login import login_user

        with app.test_request_context():
            login_user(db.session.get(User, leader))
            rows = trends.trend(db.session.get(User, leader), scope, span)
    got = [(r.received, r.answered, r.completed, r.newly_overdue, r.done, r.open_overdue) for r in rows]
    assert got == expected
    assert any(any(row[:4]) for row in expected)  # the data does reach the chart


def test_the_trends_page_shows_the_numbers_as_a_table_and_the_chart(seeded, as_user):
    response = as_user("leader").get("/dashboard/trends?span=months")
    body = response.get_data(as_text=True)
    assert response.status_code == 200
    table = section(body, "dash-trend-series")
    assert table.count("<tr data-start=") == 12
    # pygal's inline config script is stripped: the page's main content carries none (the site's
    # own scripts come after </main>, from static/).
    assert 'data-chart-id="chart-trend-counts"' in body and "<script" not in body.split("<main")[1].split("</main>")[0]
    assert "Kiến nghị nhận được" in table


def test_the_workbook_holds_every_table(seeded, as_user):
    response = fetch_document(as_user("leader"), f"/dashboard/export.xlsx?{seeded['query']}")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert len(book.sheetnames) == 11
    ranking = [row for row in book["Xếp hạng đơn vị"].iter_rows(values_only=True)]
    assert any(len(row) > 1 and row[1] == "Sở Xây dựng" for row in ranking)
    summary = [row for row in book["Tóm tắt"].iter_rows(values_only=True)]
    assert any(len(row) > 1 and row[0] == "Kiến nghị nhận được" and row[1] == "6" for row in summary)
    # The sheet says what the screen says (issue 14 §6), not "Mười việc quá hạn nhiều nhất".
    overdue = [row for row in book["Quá hạn lâu nhất"].iter_rows(values_only=True)]
    assert overdue[0][0] == "10 việc quá hạn lâu nhất"


def test_the_dashboard_remembers_the_period_and_scope(seeded, as_user):
    client = as_user("leader")
    client.get("/dashboard/?period=quarter&unit=&field=")
    back = client.get("/dashboard/")
    assert back.status_code == 302 and back.headers["Location"].endswith("/dashboard/?period=quarter")
    page = client.get(back.headers["Location"]).get_data(as_text=True)
    assert '<option selected value="quarter">' in page
    # Another person in another session starts from this month.
    assert as_user("coordinator").get("/dashboard/").status_code == 200


def test_the_summary_as_pdf_and_word(seeded, as_user):
    from docx import Document
    from pypdf import PdfReader

    client = as_user("leader")
    pdf = fetch_document(client, f"/dashboard/summary.pdf?{seeded['query']}")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Các chỉ số chính" in text and "Sở Xây dựng" in text
    docx = fetch_document(client, f"/dashboard/summary.docx?{seeded['query']}")
    document = Document(io.BytesIO(docx.data))
    cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
    assert "Kiến nghị nhận được" in cells and "Sở Xây dựng" in cells


def test_the_unit_filter_says_what_is_counted(app, seeded, users, as_user):
    client = as_user("leader")
    body = client.get(f"/dashboard/?{seeded['query']}").get_data(as_text=True)
    # Before a unit is chosen, the form says what choosing one counts.
    assert re.search(r'<select[^>]*aria-describedby="unit-counts"[^>]*name="unit"|'
                     r'<select[^>]*name="unit"[^>]*aria-describedby="unit-counts"', body)
    help_text = block(body, "unit-counts", "</p>")
    assert "với sở, ngành là kiến nghị đơn vị chủ trì hoặc phối hợp giải quyết" in help_text
    assert "với xã, phường là kiến nghị xã, phường gửi" in help_text
    # Sở Tài chính only supports one proposal: it is counted, and the scope line says why.
    (stc,) = unit_ids(app, "STC")
    body = client.get(f"/dashboard/?{seeded['query']}&unit={stc}").get_data(as_text=True)
    start = body.index("data-unit-counts")
    assert "kiến nghị đơn vị chủ trì hoặc phối hợp giải quyết; nhiệm vụ giao cho đơn vị" in body[
        start:body.index("</span>", start)]
    received = block(body, "dash-tiles", "</ul>").split('data-tile="received"')[1].split("</li>")[0]
    assert ">1</a>" in received
    # A commune: the proposals it sent.
    with app.app_context():
        commune = db.session.get(User, users["commune_b"].id).unit_id
    body = client.get(f"/dashboard/?{seeded['query']}&unit={commune}").get_data(as_text=True)
    start = body.index("data-unit-counts")
    assert "kiến nghị do xã, phường này gửi; nhiệm vụ giao cho đơn vị" in body[start:body.index("</span>", start)]
    received = block(body, "dash-tiles", "</ul>").split('data-tile="received"')[1].split("</li>")[0]
    assert ">1</a>" in received  # Kênh mương, the one commune_b sent


@pytest.mark.parametrize("span", trends.SPANS)
def test_trend_rates_equal_row_by_row_counts_for_tasks_spread_over_the_span(app, users, make_directive, assign,
                                                                            span):
    """Hundreds of tasks given, due and finished on days spread over (and around) the span, in
    every state: each bucket's done and open-past-deadline counts are the row-by-row rule's."""
    directive_ids = [make_directive(title=f"Chỉ đạo {n}") for n in range(3)]
    for directive_id in directive_ids:
        assign(directive_id, "all_communes")
    states = ["in_progress", "awaiting_confirmation", "done", "done", "suspended", "cancelled"]
    with app.app_context():
        rows = list(db.session.scalars(select(Assignment).order_by(Assignment.id)))
        for n, assignment in enumerate(rows):
            given = days(-((n * 37) % 420))
            assignment.created_at = clock.start_of_day(given) + timedelta(hours=(n % 3) * 9)
            assignment.original_deadline = None if n % 13 == 0 else given + timedelta(days=(n * 11) % 90)
            assignment.extended_deadline = (assignment.original_deadline + timedelta(days=10)
                                            if assignment.original_deadline and n % 7 == 0 else None)
            assignment.state = states[n % len(states)]
            assignment.completed_on = (min(given + timedelta(days=(n * 17) % 120), days(0))
                                       if assignment.state == "done" else None)
        db.session.commit()
        expected = reference_trend(users["leader"].id, span)
        scope = services.Scope(periods.resolve(periods.MONTH, clock.today()))
        with app.test_request_context():
            rows = trends.trend(db.session.get(User, users["leader"].id), scope, span)
    got = [(r.received, r.answered, r.completed, r.newly_overdue, r.done, r.open_overdue) for r in rows]
    assert got == expected
    assert sum(r.done for r in rows) > 20 and sum(r.open_overdue for r in rows) > 20


def reference_behind(user, scope: services.Scope) -> list[tuple[int, int]]:
    """(directive id, tasks overdue) the slow way: every task the user sees loaded, followed in the
    period and overdue on its as-of day by the Python rule, most first, then by id."""
    period = scope.period
    overdue: dict[int, int] = {}
    for task in db.session.scalars(directives.scope_assignments(select(Assignment), user)):
        if scope.unit is not None and task.unit_id != scope.unit.id:
            continue
        followed = clock.local_date(task.created_at) <= period.end and (
            task.completed_on is None or task.completed_on >= period.start)
        if followed and task.status_on(period.as_of).key == status.OPEN_OVERDUE:
            overdue[task.directive_id] = overdue.get(task.directive_id, 0) + 1
    return sorted(overdue.items(), key=lambda item: (-item[1], item[0]))[:overview.BEHIND_ROWS]


@pytest.mark.parametrize("span", [(-60, 0), (-20, -8), (-400, -300)])
@pytest.mark.parametrize("unit", [None, "SXD"])
def test_the_directives_most_behind_are_those_with_most_tasks_overdue(app, users, make_directive, assign,
                                                                      assignment_of, set_assignment, span, unit):
    """Seven directives with 0 to 6 units overdue, among tasks done (before, during and after the
    period), cancelled past their deadline, extended, suspended, and given after the period."""
    created = clock.start_of_day(days(-30))
    units = ["Xã Ia Boòng", "Phường Pleiku", "SXD", "SNV", "STC", "Xã Ia Pa"]
    for n in range(7):
        directive = make_directive(title=f"Chỉ đạo số {n}", deadline=days(-15 + n),
                                   field_name="Giảm nghèo, an sinh xã hội" if n % 2 else "Biên chế, tổ chức bộ máy")
        assign(directive, units)
        for index, name in enumerate(units):
            task = assignment_of(directive, name)
            set_assignment(task, created_at=created)
            if index < n:
                continue  # left open: overdue once its deadline has passed
            changes = [dict(state="done", completed_on=days(-5)), dict(state="done", completed_on=days(-25)),
                       dict(state="done", completed_on=days(-12)), dict(state="cancelled"),
                       dict(extended_deadline=days(30)), dict(state="suspended")]
            set_assignment(task, **changes[(index + n) % len(changes)])
    late = make_directive(title="Giao sau kỳ", deadline=days(-50))
    assign(late, units)
    with app.test_request_context():
        leader = db.session.get(User, users["leader"].id)
        period = periods.Period(periods.CUSTOM, days(span[0]), days(span[1]), days(0))
        scope = services.Scope(period, unit=db.session.get(Unit, unit_ids(app, unit)[0]) if unit else None)
        expected = reference_behind(leader, scope)
        got = [(b.directive.id, b.counts[status.OPEN_OVERDUE]) for b in overview.most_behind(leader, scope)]
    assert [d for d, _n in got] == [d for d, _n in expected]
    if span == (-60, 0) and unit is None:
        assert len(expected) == overview.BEHIND_ROWS and expected[0][1] > expected[-1][1]
