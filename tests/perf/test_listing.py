"""Keyset pages (app.listing) walk a list exactly as its full ordered query does, both ways,
whatever the sort, with ties and NULLs; bad cursors fall back to the first page."""

import html
import re

import pytest
from sqlalchemy import nulls_last, select, update

from app.directives import services as directive_services
from app.extensions import db
from app.listing import decode_cursor, encode_cursor
from app.models import User
from app.proposals import services, workflow
from app.proposals.models import Proposal
from tests.directives.conftest import days

SORTS = ["-submitted", "submitted", "title", "-title", "commune", "-commune", "state", "-state",
         "deadline", "-deadline", "amount", "-amount"]
NEXT_RE = re.compile(r'<a href="([^"]+)" rel="next">')
PROPOSAL_RE = re.compile(r'<a href="/proposals/(\d+)">')


@pytest.fixture
def varied_proposals(app, make_proposal):
    """Proposals with equal titles, equal and missing amounts and deadlines, two communes,
    several states, and three sharing one sent date."""
    specs = [
        (workflow.SUBMITTED, "commune_a", "Cầu treo", None, 30),
        (workflow.SUBMITTED, "commune_b", "Cầu treo", 5_000_000, 30),
        (workflow.ASSIGNED, "commune_a", "Âu thuyền", 5_000_000, 10),
        (workflow.ASSIGNED, "commune_b", "Bê tông hóa đường", None, 10),
        (workflow.ASSIGNED, "commune_a", "Bê tông hóa đường", 9_000_000, -3),
        (workflow.ANSWERED, "commune_b", "Trạm y tế", 9_000_000, 20),
        (workflow.CLOSED, "commune_a", "Nhà văn hóa", None, 20),
        (workflow.RETURNED, "commune_b", "Đường liên thôn", 1_000_000, 30),
        (workflow.WITHDRAWN, "commune_a", "Trường học", 1_000_000, 30),
        (workflow.SUBMITTED, "commune_a", "Cầu treo", None, 30),
        (workflow.ASSIGNED, "commune_b", "Âu thuyền", 2_000_000, 10),
    ]
    ids = [make_proposal(state, commune=commune, title=title, amount=amount, deadline_days=deadline)
           for state, commune, title, amount, deadline in specs]
    with app.app_context():
        same = db.session.get(Proposal, ids[0]).sent_at
        db.session.execute(update(Proposal).where(Proposal.id.in_(ids[3:6])).values(sent_at=same))
        db.session.commit()
    return ids


def _coordinator(users):
    return db.session.get(User, users["coordinator"].id)


@pytest.mark.parametrize("sort", SORTS)
def test_pages_walk_the_list_in_order_forward_and_back(app, users, varied_proposals, sort):
    with app.test_request_context():
        user, filters = _coordinator(users), services.ListFilters()
        column = services.sort_columns()[sort.lstrip("-")]
        order = nulls_last(column.desc() if sort.startswith("-") else column.asc())
        expected = [p.id for p in db.session.scalars(services.list_query(user, filters, order))]
        assert len(expected) == len(varied_proposals)

        pages, after = [], None
        while True:
            page = services.list_page(user, filters, sort, per_page=3, after=after)
            pages.append([p.id for p in page.items])
            assert page.total == len(expected) and not page.total_capped
            assert page.at_start == (after is None)
            if not page.has_next:
                break
            after = page.next_cursor
        assert [pid for chunk in pages for pid in chunk] == expected
        assert all(len(chunk) == 3 for chunk in pages[:-1])

        # Back from the last page, one page at a time, to the first.
        back, before = [pages[-1]], page.prev_cursor
        while before is not None:
            page = services.list_page(user, filters, sort, per_page=3, before=before)
            back.append([p.id for p in page.items])
            before = page.prev_cursor
        assert back == list(reversed(pages))
        assert page.at_start and page.has_next


def test_bounded_count_says_more(app, users, varied_proposals, monkeypatch):
    monkeypatch.setattr("app.listing.COUNT_CAP", 4)
    with app.test_request_context():
        page = services.list_page(_coordinator(users), services.ListFilters(), "-submitted", per_page=3)
        assert (page.total, page.total_capped) == (4, True)


@pytest.mark.parametrize("cursor", [
    "garbage", "", "x" * 5000, "W10", encode_cursor("title", ["a", 1]), encode_cursor("-submitted", ["a", 1]),
    encode_cursor("-submitted", [None, 1]), encode_cursor("-submitted", [{"t": "2025-01-01T00:00:00"}, 1]),
    encode_cursor("-submitted", [{"t": "2025-01-01T00:00:00+00:00"}, "1"]),
    encode_cursor("-submitted", [{"t": "2025-01-01T00:00:00+00:00"}, True]),
])
def test_a_bad_cursor_shows_the_first_page(app, varied_proposals, as_user, cursor):
    client = as_user("coordinator")
    first = PROPOSAL_RE.findall(client.get("/proposals/").get_data(as_text=True))
    for arg in ("after", "before"):
        response = client.get("/proposals/", query_string={arg: cursor})
        assert response.status_code == 200
        assert PROPOSAL_RE.findall(response.get_data(as_text=True)) == first


def test_cursor_round_trip_keeps_types():
    from datetime import UTC, date, datetime

    from app.listing import SortKey

    keys = [SortKey(None, None, datetime), SortKey(None, None, date, nullable=True), SortKey(None, None, int),
            SortKey(None, None, str)]
    values = [datetime(2026, 1, 5, 3, 4, 5, 6789, tzinfo=UTC), None, 42, "Âu thuyền"]
    assert decode_cursor(encode_cursor("s", values), "s", keys) == values
    assert decode_cursor(encode_cursor("s", values), "other", keys) is None


def _walk(client, url):
    """Follow "Trang sau" from url; return the pages' bodies."""
    bodies = []
    while url:
        body = client.get(url).get_data(as_text=True)
        bodies.append(body)
        match = NEXT_RE.search(body)
        url = html.unescape(match.group(1)) if match else None
    return bodies


def test_directive_list_pages(app, as_user, make_directive):
    app.config["PAGE_SIZE"] = 2
    ids = [make_directive(title=f"Chỉ đạo số {n}") for n in range(5)]
    bodies = _walk(as_user("coordinator"), "/directives")
    seen = [int(i) for body in bodies for i in re.findall(r'<a href="/directives/(\d+)">', body)]
    assert seen == list(reversed(ids)) and len(bodies) == 3
    assert "5 chỉ đạo" in bodies[0]
    titles = _walk(as_user("coordinator"), "/directives?sort=title")
    assert [int(i) for body in titles for i in re.findall(r'<a href="/directives/(\d+)">', body)] == ids


def test_assignment_list_pages(app, as_user, make_directive, assign):
    app.config["PAGE_SIZE"] = 2
    ids = [make_directive(title=f"Chỉ đạo số {n}", deadline=days(n + 1)) for n in range(5)]
    for directive_id in ids:
        assign(directive_id, ["Xã Ia Boòng"])
    bodies = _walk(as_user("commune_a"), "/assignments")
    with app.app_context():
        expected = [a.id for a in db.session.scalars(
            directive_services.search_assignments(
                db.session.scalar(select(User).where(User.username == "xa.a")), {}, days(0)))]
    seen = [int(i) for body in bodies for i in re.findall(r'<a href="/assignments/(\d+)">', body)]
    assert seen == expected and len(expected) == 5 and len(bodies) == 3


def test_panel_totals_stop_at_the_cap(app, make_proposal, as_user, monkeypatch):
    for n in range(3):
        make_proposal(workflow.ASSIGNED, title=f"Giao SXD {n}", lead="SXD")
    body = as_user("department").get("/").get_data(as_text=True)
    assert "Kiến nghị đơn vị cần xử lý <small>(3)</small>" in body
    monkeypatch.setattr("app.listing.PANEL_COUNT_CAP", 2)
    capped = as_user("department").get("/").get_data(as_text=True)
    assert "Kiến nghị đơn vị cần xử lý <small>(2+)</small>" in capped


def test_a_text_search_is_counted_less_far(app, make_proposal, as_user, monkeypatch):
    for n in range(3):
        make_proposal(title=f"Đường liên thôn {n}")
    monkeypatch.setattr("app.listing.SEARCH_COUNT_CAP", 2)
    client = as_user("coordinator")
    assert "Hơn 2 kiến nghị" in client.get("/proposals/?q=duong").get_data(as_text=True)
    assert "3 kiến nghị" in client.get("/proposals/?reset=1").get_data(as_text=True)


def test_the_commune_home_announces_returned_proposals(app, make_proposal, as_user):
    make_proposal(workflow.RETURNED, title="Trả lại 1")
    make_proposal(workflow.RETURNED, title="Trả lại 2")
    make_proposal(workflow.RETURNED, title="Của xã khác", commune="commune_b")
    body = as_user("commune_a").get("/").get_data(as_text=True)
    assert "2 kiến nghị bị trả lại cần bổ sung." in body
