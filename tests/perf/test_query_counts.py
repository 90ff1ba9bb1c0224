"""No N+1: every main page sends the database as many statements with 100 rows as with 10.

Two databases are filled through the services, one with 10 and one with 100 of everything the
pages list (proposals, timeline entries, directives, assignments, reports); each page is then
requested once in each, counting statements with a before_cursor_execute listener. Counting, not
timing: the suite stays fast and steady; bench/run.py measures time.
"""

import re
import shutil
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.engine import make_url

from app import clock, create_app
from app.directives import services as directives
from app.directives.models import Assignment, ProgressReport
from app.extensions import db, limiter
from app.models import COMMUNE_KINDS, Field, Meeting, Unit, User
from app.proposals import services as proposals
from tests.conftest import TEST_USERS, AuthActions, Client, _pg_admin, base_config
from tests.docjobs.fetch import fetch_document, job_id_of, read_file
from tests.statements import statements_sent

SIZES = (10, 100)
DOCUMENT_URL = re.compile(r"\.(docx|pdf|xlsx|csv)(\?|$)")

# (role key, URL template, whether the page lists the rows: its HTML must grow with them)
PAGES = [
    ("coordinator", "/proposals/", True),
    ("commune_a", "/proposals/", True),
    ("department", "/proposals/", True),
    ("coordinator", "/proposals/?q=kien+nghi&state=assigned", True),
    ("coordinator", "/proposals/inbox", True),
    ("coordinator", "/directives", True),
    ("commune_a", "/assignments", True),
    ("coordinator", "/assignments?status=all", True),
    # Selective views pick their rows first (a CTE in the same statement, not one more).
    ("coordinator", "/assignments?status=all&unit_id={commune_unit}", True),
    ("coordinator", "/assignments?status=extension", True),
    ("coordinator", "/proposals/{proposal}", True),
    ("commune_a", "/proposals/{proposal}", True),
    ("department", "/proposals/{proposal}", True),
    ("coordinator", "/directives/{directive}", True),
    ("commune_a", "/assignments/{assignment}", True),
    ("coordinator", "/meetings/{meeting}", True),
    # The meeting report lists every proposal of the meeting; the export every proposal.
    ("coordinator", "/reports/meeting?meeting={meeting}", True),
    ("coordinator", "/reports/meeting.docx?meeting={meeting}", True),
    ("coordinator", "/reports/export/proposals.xlsx", True),
    ("department", "/reports/export/proposals.xlsx", True),
    ("commune_a", "/", False),
    ("department", "/", False),
    ("coordinator", "/", False),
    ("leader", "/", False),
    # The dashboard lists the directives units owe reports on: its HTML grows with them.
    ("leader", "/dashboard/?period=quarter", True),
    ("leader", "/dashboard/?period=custom&from={five_years_ago}&to={today}", True),
    ("coordinator", "/dashboard/?period=custom&from={five_years_ago}&to={today}&unit={commune_unit}", False),
    # The dashboard shows the worst few of those directives; this page (its "show all") every one.
    ("leader", "/dashboard/reporting?period=custom&from={five_years_ago}&to={today}", True),
    # The briefing packs: a meeting's, and a period's (its directives read 150 at a time).
    ("leader", "/reports/briefing/{meeting}", True),
    ("leader", "/reports/briefing?period=custom&from={five_years_ago}&to={today}", True),
    ("admin", "/", False),
]


def populate(app, n: int) -> dict:
    """n of everything the pages list, made through the services; returns the ids the URLs need."""
    with app.test_request_context():
        user = {key: db.session.scalar(select(User).where(User.username == spec[0])) for key, spec in TEST_USERS.items()}
        commune, coordinator = user["commune_a"], user["coordinator"]
        lead, support = user["department"].unit, user["department_other"].unit
        fields = list(db.session.scalars(select(Field).order_by(Field.sort_order)))
        today = clock.today()
        meeting = Meeting(title="Hội nghị giao ban tháng 9", held_on=today)
        db.session.add(meeting)
        db.session.flush()

        made = []
        for i in range(n):
            data = proposals.ProposalInput(
                title=f"Kiến nghị số {i}", content="Đường liên thôn xuống cấp.", field=fields[i % len(fields)],
                requested_amount=1_000_000 * (i + 1), location=f"Thôn {i}", meeting=meeting,
            )
            proposal = proposals.create(commune, data)
            proposals.submit(proposal, commune)
            if i % 5:
                proposals.receive(proposal, coordinator)
                proposals.assign(proposal, coordinator, lead, [support] if i % 2 else [])
                if i % 3 == 0:
                    proposals.answer(proposal, user["department"], "resolved", "Đã giải quyết.")
                elif i % 4 == 0:
                    proposal.answer_deadline = today - timedelta(days=i)  # overdue
            made.append(proposal)
            # And one from a meeting of its own: the export would show a lazy load of each row's meeting.
            own = Meeting(title=f"Hội nghị chuyên đề số {i}", held_on=today - timedelta(days=i))
            db.session.add(own)
            db.session.flush()
            other = proposals.create(commune, proposals.ProposalInput(
                title=f"Đề xuất số {i}", content="Trạm y tế xuống cấp.", field=fields[i % len(fields)], meeting=own,
            ))
            proposals.submit(other, commune)
        # One proposal with a long timeline: n comments and n opinions of its support unit.
        long_one = made[1]
        for i in range(n):
            proposals.add_note(long_one, coordinator, f"Ý kiến trao đổi số {i}")
            proposals.add_note(long_one, user["department_other"], f"Ý kiến phối hợp số {i}", action="opinion")

        def directive(title, days_left=30, at=meeting, field=fields[0]):
            return directives.create_directive({
                "meeting_id": at.id, "issued_by_name": "Lương Văn Trọng", "issued_by_title": "Bí thư Tỉnh ủy",
                "title": title, "content": "Triển khai thực hiện.", "field_id": field.id, "is_ongoing": False,
                "deadline": today + timedelta(days=days_left), "reporting_period": None,
            }, coordinator)

        # One directive to n communes, each of which has reported; n directives to commune A and a department.
        communes = list(db.session.scalars(select(Unit.id).where(Unit.kind.in_(COMMUNE_KINDS)).order_by(Unit.id)))
        big = directive("Kiện toàn tổ chức bộ máy")
        directives.assign_to_units(big, communes[:n], "lead", coordinator)
        for assignment in db.session.scalars(select(Assignment).where(Assignment.directive_id == big.id)):
            db.session.add(ProgressReport(assignment_id=assignment.id, text="Đã triển khai.", percent=50))
        for i in range(n):
            # Each from its own meeting, fields in turn: a lazy load per row would show in the count.
            held = Meeting(title=f"Buổi làm việc số {i}", held_on=today - timedelta(days=i))
            db.session.add(held)
            db.session.flush()
            small = directive(f"Chỉ đạo số {i}", days_left=i - n // 2, at=held, field=fields[i % len(fields)])
            directives.assign_to_units(small, [commune.unit_id, lead.id], "lead", coordinator)
        db.session.flush()
        own = list(db.session.scalars(
            select(Assignment).where(Assignment.unit_id == commune.unit_id).order_by(Assignment.id)
        ))
        reported = own[0]
        for i in range(n):
            directives.add_report(reported, commune, f"Báo cáo tiến độ số {i}", min(90, i))
        for i, assignment in enumerate(own[1:], start=1):
            if i % 4 == 1:
                directives.request_completion(assignment, commune, today)
            elif i % 4 == 2 and assignment.deadline and assignment.deadline > today:
                directives.request_extension(assignment, commune, assignment.deadline + timedelta(days=30),
                                             "Cần thêm thời gian.", today)
        db.session.commit()
        return {
            "proposal": long_one.id, "directive": big.id, "assignment": reported.id, "meeting": meeting.id,
            "today": today.isoformat(), "five_years_ago": (today - timedelta(days=5 * 365)).isoformat(),
            "commune_unit": commune.unit_id,
        }


@pytest.fixture(scope="module")
def sized(_template_database, tmp_path_factory):
    """{rows: (app, ids)}: one freshly seeded database per size, filled once for the module."""
    kind, pg_url, template, _work = _template_database
    made, databases = {}, []
    for n in SIZES:
        tmp = tmp_path_factory.mktemp(f"rows{n}")
        if kind == "sqlite":
            path = tmp / "test.sqlite3"
            shutil.copyfile(template, path)
            uri = f"sqlite:///{path}"
        else:
            name = f"giaoban_qc_{uuid.uuid4().hex[:12]}"
            with _pg_admin(pg_url) as conn:
                conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            databases.append(name)
            uri = make_url(pg_url).set(database=name).render_as_string(hide_password=False)
        # The dashboard's cache off: the statements counted are those of working the figures out.
        app = create_app({**base_config(uri, tmp), "PAGE_SIZE": 500, "LOGIN_RATE_LIMIT": "1000 per minute",
                          "DASHBOARD_CACHE_SECONDS": 0})
        made[n] = (app, populate(app, n))
    yield made
    for app, _ids in made.values():
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    for name in databases:
        with _pg_admin(pg_url) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _get_counting(app, role: str, url: str) -> tuple[int, int, bytes]:
    """(status, statements sent, body) of one GET by a freshly logged-in user."""
    app.test_client_class = Client
    client = app.test_client()
    with app.app_context():
        limiter.reset()
    assert AuthActions(client).login(role).status_code == 303
    if DOCUMENT_URL.search(url):
        # A document is built by its job (in the request here, DOCUMENT_JOB_PROCESSES = 0): count
        # the press that builds it, each press a fresh build (a distinct query string, no cache).
        joiner = "&" if "?" in url else "?"
        fetch_document(client, f"{url}{joiner}_run=warm")
        with statements_sent(app) as statements:
            pressed = client.post(f"{url}{joiner}_run=counted")
        # A small export is the file itself (docs/architecture.md, "Documents: jobs"), no job.
        response = read_file(client, job_id_of(pressed)) if pressed.status_code == 303 else pressed
        return response.status_code, len(statements), response.get_data()  # bytes: .docx, .xlsx
    client.get(url)  # a first request may warm caches; the second is the one counted
    with statements_sent(app) as statements:
        response = client.get(url)
    return response.status_code, len(statements), response.get_data()


@pytest.mark.parametrize(("role", "url", "lists_rows"), PAGES, ids=[f"{r}:{u}" for r, u, _ in PAGES])
def test_query_count_does_not_grow_with_rows(sized, role, url, lists_rows):
    results = {}
    for n, (app, ids) in sized.items():
        status, statements, body = _get_counting(app, role, url.format(**ids))
        assert status == 200, (n, status)
        results[n] = (statements, body)
    (few, few_body), (many, many_body) = results[SIZES[0]], results[SIZES[1]]
    assert few == many, f"{role} {url}: {few} statements with {SIZES[0]} rows, {many} with {SIZES[1]}"
    if lists_rows:
        assert len(many_body) > len(few_body) + 2000, "the page does not show the extra rows"
