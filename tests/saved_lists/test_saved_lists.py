"""Lists that remember: the last filters per list and user come back from the navigation and
can be reset; a filtered list saved under a name appears in the user's menu."""

import re

from sqlalchemy import func, select

from app.extensions import db
from app.saved_lists.models import SavedList


def test_last_filters_come_back_from_the_navigation_and_can_be_reset(login_as):
    client = login_as("coordinator")
    assert client.get("/proposals/?state=assigned&timeliness=pending_overdue").status_code == 200
    back = client.get("/proposals/")
    assert back.status_code == 303
    assert back.headers["Location"] == "/proposals/?state=assigned&timeliness=pending_overdue"
    # Another user's lists are their own.
    assert login_as("leader").get("/proposals/").status_code == 200
    # Every control back to "Tất cả" (what the htmx filter form sends) forgets them too.
    assert client.get("/proposals/?q=&state=&timeliness=", headers={"HX-Request": "true"}).status_code == 200
    assert client.get("/proposals/").status_code == 200
    client.get("/proposals/?state=answered")
    page = client.get("/proposals/?reset=1")
    assert page.status_code == 200 and '<option value="answered" selected>' not in page.get_data(as_text=True)
    assert client.get("/proposals/").status_code == 200


def test_assignments_list_remembers_its_filters(login_as):
    client = login_as("commune_a")
    client.get("/assignments?status=due_soon")
    back = client.get("/assignments")
    assert back.status_code == 303 and back.headers["Location"] == "/assignments?status=due_soon"
    assert client.get("/assignments?reset=1").status_code == 200
    assert client.get("/assignments").status_code == 200


def test_a_filtered_list_saved_under_a_name_is_in_the_menu(app, login_as, users):
    client = login_as("coordinator")
    page = client.get("/proposals/?timeliness=pending_overdue&lead=3").get_data(as_text=True)
    assert "Lưu danh sách đang lọc" in page
    query = re.search(r'name="query" value="([^"]+)"', page).group(1).replace("&amp;", "&")
    response = client.post("/views", data={"list_key": "proposals", "query": query,
                                           "name": "Kiến nghị quá hạn của Sở Xây dựng"})
    assert response.status_code == 303
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/proposals/\?lead=3&amp;timeliness=pending_overdue">Kiến nghị quá hạn của Sở Xây dựng</a>',
                     home)
    assert "Kiến nghị quá hạn của Sở Xây dựng" not in login_as("leader").get("/").get_data(as_text=True)
    refused = client.post("/views", data={"list_key": "proposals", "query": query, "name": "  "})
    assert refused.status_code == 303
    assert "Đặt tên cho danh sách" in client.get(refused.headers["Location"]).get_data(as_text=True)
    with app.app_context():
        view_id = db.session.scalar(select(SavedList.id).where(SavedList.name.is_not(None)))
    assert client.post(f"/views/{view_id}/delete").status_code == 303
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SavedList).where(SavedList.name.is_not(None))) == 0


def test_filters_longer_than_the_column_are_answered_but_not_kept(app, login_as):
    """A forged URL with a 20.000-letter search is an ordinary list page, and nothing is stored
    (on PostgreSQL the 2.000-character column refused it with a 500)."""
    client = login_as("coordinator")
    assert client.get("/proposals/?q=" + "x" * 20000).status_code == 200
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SavedList)) == 0
    assert client.get("/proposals/").status_code == 200  # nothing to go back to
