"""The proposal list: Vietnamese search, filters, allow-listed sorting, paging, htmx table swaps."""

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.models import Meeting
from app.proposals import services, timeliness, workflow
from app.proposals.models import Proposal
from tests.proposals.conftest import field_id, unit_id

TITLE_RE = re.compile(r'<a href="/proposals/\d+">([^<]+)</a>')
NEXT_RE = re.compile(r'<a href="([^"]+)" rel="next">')
PREV_RE = re.compile(r'<a href="([^"]+)" rel="prev">')


def titles(client, query="") -> list[str]:
    response = client.get("/proposals/" + query)
    assert response.status_code == 200
    return TITLE_RE.findall(response.get_data(as_text=True))


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("truong hoc", ["Xây dựng Trường học Ia Tăng"]),
        ("TRƯỜNG HỌC", ["Xây dựng Trường học Ia Tăng"]),
        ("dak doa", ["Đường vào Đak Đoa"]),
        ("đắk đoa", ["Đường vào Đak Đoa"]),
        ("ia tang", ["Xây dựng Trường học Ia Tăng"]),
        ("pleiku", ["Trạm y tế phường"]),  # the commune's name is searched too
        ("nha van hoa lang", ["Nhà văn hóa"]),  # words of the content, in any order
        ("100%", []),  # LIKE wildcards are plain characters
        ("", ["Nhà văn hóa", "Trạm y tế phường", "Đường vào Đak Đoa", "Xây dựng Trường học Ia Tăng"]),
    ],
)
def test_search_ignores_marks_and_case(make_proposal, as_user, q, found):
    make_proposal(title="Xây dựng Trường học Ia Tăng", content="Phòng học tạm.")
    make_proposal(title="Đường vào Đak Đoa", content="Đường đất.")
    make_proposal(title="Trạm y tế phường", commune="commune_b", content="Xuống cấp.")
    make_proposal(title="Nhà văn hóa", content="Làng chưa có nhà văn hóa.")
    assert titles(as_user("coordinator"), f"?q={q}") == found


def test_filters_by_state_field_commune_department_meeting(app, make_proposal, as_user):
    with app.app_context():
        meeting = Meeting(title="Hội nghị giao ban tháng 9", held_on=services_today(app))
        db.session.add(meeting)
        db.session.commit()
        meeting_id = meeting.id
    make_proposal(workflow.SUBMITTED, title="A gửi", field="Giao thông", meeting_id=meeting_id)
    make_proposal(workflow.ASSIGNED, title="B giao SXD", field="Giao thông", lead="SXD")
    make_proposal(workflow.ASSIGNED, title="C giao SNV hỗ trợ SXD", field="Thủy lợi", lead="SNV", supports=("SXD",),
                  commune="commune_b")
    client = as_user("coordinator")
    assert titles(client, "?state=submitted") == ["A gửi"]
    assert titles(client, f"?field={field_id(app, 'Thủy lợi')}") == ["C giao SNV hỗ trợ SXD"]
    assert titles(client, f"?commune={unit_id(app, 'Phường Pleiku')}") == ["C giao SNV hỗ trợ SXD"]
    assert titles(client, f"?department={unit_id(app, 'SXD')}") == ["C giao SNV hỗ trợ SXD", "B giao SXD"]
    assert titles(client, f"?meeting={meeting_id}") == ["A gửi"]
    assert titles(client, "?state=assigned&field=abc&commune=-1&timeliness=bogus&from=not-a-date") == [
        "C giao SNV hỗ trợ SXD", "B giao SXD"]


def services_today(app):
    with app.test_request_context():
        return clock.today()


def test_date_range_uses_the_provinces_calendar(app, make_proposal, as_user):
    today = services_today(app)
    make_proposal(title="Gửi hôm nay")
    client = as_user("coordinator")
    assert titles(client, f"?from={today.isoformat()}&to={today.isoformat()}") == ["Gửi hôm nay"]
    assert titles(client, f"?to={(today - timedelta(days=1)).isoformat()}") == []
    assert titles(client, f"?from={(today + timedelta(days=1)).isoformat()}") == []


def test_timeliness_filter_agrees_with_the_badges(app, make_proposal, as_user):
    make_proposal(workflow.ASSIGNED, title="Trong hạn", deadline_days=10)
    make_proposal(workflow.ASSIGNED, title="Quá hạn", deadline_days=-4)
    make_proposal(workflow.ANSWERED, title="Trả lời đúng hạn")
    make_proposal(workflow.CLOSED, title="Trả lời trễ", answered_days_late=3)
    make_proposal(workflow.SUBMITTED, title="Chưa giao")
    client = as_user("coordinator")
    expected = {
        timeliness.PENDING_ON_TIME: ["Trong hạn"],
        timeliness.PENDING_OVERDUE: ["Quá hạn"],
        timeliness.ANSWERED_ON_TIME: ["Trả lời đúng hạn"],
        timeliness.ANSWERED_LATE: ["Trả lời trễ"],
    }
    for key, wanted in expected.items():
        assert titles(client, f"?timeliness={key}") == wanted, key
    with app.test_request_context():
        check = services.timeliness_checker()
        computed = {p.title: check(p).key for p in db.session.scalars(select(Proposal))}
    assert computed == {
        "Trong hạn": timeliness.PENDING_ON_TIME, "Quá hạn": timeliness.PENDING_OVERDUE,
        "Trả lời đúng hạn": timeliness.ANSWERED_ON_TIME, "Trả lời trễ": timeliness.ANSWERED_LATE,
        "Chưa giao": timeliness.NOT_APPLICABLE,
    }
    body = client.get("/proposals/?reset=1").get_data(as_text=True)  # a bare visit would bring back the last filter
    assert "Quá hạn 4 ngày" in body and "Trả lời chậm 3 ngày" in body and "Trong hạn (còn 10 ngày)" in body


def test_sorting_is_allow_listed(make_proposal, as_user):
    make_proposal(title="Bê tông hóa đường", amount=5_000_000)
    make_proposal(title="Âu thuyền", amount=None)
    make_proposal(title="Cầu treo", amount=9_000_000)
    client = as_user("coordinator")
    # Vietnamese order: "Âu" goes with the A's, not after "Z" as raw code points would put it.
    assert titles(client, "?sort=title") == ["Âu thuyền", "Bê tông hóa đường", "Cầu treo"]
    assert titles(client, "?sort=-title") == ["Cầu treo", "Bê tông hóa đường", "Âu thuyền"]
    assert titles(client, "?sort=-amount") == ["Cầu treo", "Bê tông hóa đường", "Âu thuyền"]
    assert titles(client, "?sort=amount") == ["Bê tông hóa đường", "Cầu treo", "Âu thuyền"]  # empty amounts last
    # Unknown keys (or SQL) fall back to the default: newest first.
    assert titles(client, "?sort=password_hash") == titles(client, "?sort=-submitted") == [
        "Cầu treo", "Âu thuyền", "Bê tông hóa đường"]
    assert titles(client, "?sort=title;DROP TABLE proposals") == ["Cầu treo", "Âu thuyền", "Bê tông hóa đường"]


def test_pagination_keeps_filters(app, make_proposal, as_user):
    # Pages are keyset pages (app.listing): "Trang sau" carries a cursor and the filters.
    app.config["PAGE_SIZE"] = 2
    for n in range(5):
        make_proposal(title=f"Đường số {n}")
    make_proposal(title="Trạm y tế", content="Xuống cấp.")
    client = as_user("coordinator")
    body = client.get("/proposals/?q=duong").get_data(as_text=True)
    assert "5 kiến nghị" in body and 'rel="prev"' not in body
    assert TITLE_RE.findall(body) == ["Đường số 4", "Đường số 3"]
    next_url = html.unescape(NEXT_RE.search(body).group(1))
    assert next_url.startswith("/proposals/?after=") and next_url.endswith("&sort=-submitted&q=duong")
    second = client.get(next_url).get_data(as_text=True)
    assert TITLE_RE.findall(second) == ["Đường số 2", "Đường số 1"]
    third = client.get(html.unescape(NEXT_RE.search(second).group(1))).get_data(as_text=True)
    assert TITLE_RE.findall(third) == ["Đường số 0"] and 'rel="next"' not in third
    back = client.get(html.unescape(PREV_RE.search(third).group(1))).get_data(as_text=True)
    assert TITLE_RE.findall(back) == ["Đường số 2", "Đường số 1"]
    # Old numbered links still open the list (at its first page).
    assert titles(client, "?q=duong&page=3") == ["Đường số 4", "Đường số 3"]


def test_filter_form_swaps_only_the_table(make_proposal, as_user):
    make_proposal(title="Xây dựng Trường học Ia Tăng")
    client = as_user("coordinator")
    full = client.get("/proposals/?q=truong")
    body = full.get_data(as_text=True)
    assert "<html" in body and '<form id="proposal-filters" method="get" action="/proposals/"' in body
    assert 'hx-get="/proposals/" hx-target="#proposals-table" hx-swap="outerHTML" hx-push-url="true"' in body
    assert 'hx-trigger="change, keyup delay:300ms changed from:input[name=q], submit"' in body
    assert 'value="truong"' in body  # the typed search stays in the box
    fragment = client.get("/proposals/?q=truong", htmx=True)
    text = fragment.get_data(as_text=True)
    # Only the table (with its "save this list" form), never the filter form again.
    assert "<html" not in text and '<form id="proposal-filters"' not in text
    assert text.lstrip().startswith('<div id="proposals-table"')
    assert "Xây dựng Trường học Ia Tăng" in text
    assert "HX-Request" in full.headers["Vary"] and "HX-Request" in fragment.headers["Vary"]
    restore = client.get("/proposals/?q=truong", htmx=True, headers={"HX-History-Restore-Request": "true"})
    assert "<html" in restore.get_data(as_text=True)


def test_commune_list_has_no_commune_filter_and_sees_own_drafts(app, make_proposal, as_user):
    make_proposal(workflow.DRAFT, title="Nháp của xã")
    body = as_user("commune_a").get("/proposals/").get_data(as_text=True)
    assert 'name="commune"' not in body and "Nháp của xã" in body
    assert "Viết kiến nghị mới" in body
    # A commune asking for another commune's filter still sees only its own.
    assert titles(as_user("commune_a"), f"?commune={unit_id(app, 'Phường Pleiku')}") == ["Nháp của xã"]


def test_department_sees_its_queue_in_the_list(make_proposal, as_user):
    make_proposal(workflow.ASSIGNED, title="Giao SXD", lead="SXD")
    make_proposal(workflow.ASSIGNED, title="Giao SNV", lead="SNV")
    assert titles(as_user("department"), "") == ["Giao SXD"]
    assert 'name="department"' not in as_user("department").get("/proposals/").get_data(as_text=True)


def test_htmx_table_swap_pushes_the_short_url(make_proposal, as_user):
    client = as_user("coordinator")
    response = client.get("/proposals/?q=truong&state=&field=&commune=&sort=-submitted&page=1", htmx=True)
    assert response.headers["HX-Push-Url"] == "/proposals/?q=truong"
    response = client.get("/proposals/?q=&state=assigned&sort=title", htmx=True)
    assert response.headers["HX-Push-Url"] == "/proposals/?state=assigned&sort=title"
    assert "HX-Push-Url" not in client.get("/proposals/?q=truong").headers
