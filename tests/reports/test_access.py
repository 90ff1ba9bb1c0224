"""Who may open which report: leaders and coordinators all; a unit its own record; admins nothing."""

import pytest

from tests.dashboard.conftest import ids


def test_anonymous_users_are_sent_to_log_in(client):
    for url in ("/reports/", "/reports/weekly", "/reports/unit.pdf", "/reports/export/proposals.xlsx"):
        response = client.get(url)
        assert response.status_code == 302 and response.headers["Location"].startswith("/login?next=/reports/"), url


@pytest.mark.parametrize(
    "url", ["/reports/", "/reports/unit", "/reports/weekly", "/reports/export/proposals.xlsx", "/reports/export/assignments.xlsx"]
)
def test_admins_get_403(as_user, url):
    assert as_user("admin").get(url).status_code == 403


@pytest.mark.parametrize("key", ["commune_a", "department"])
def test_a_unit_sees_only_its_own_record(app, as_user, key):
    client = as_user(key)
    own, other = ids(app, "Xã Ia Boòng" if key == "commune_a" else "SXD", "Phường Pleiku")
    assert client.get("/reports/unit").status_code == 200
    assert client.get(f"/reports/unit?unit={own}").status_code == 200
    for url in (f"/reports/unit?unit={other}", f"/reports/unit.docx?unit={other}", f"/reports/unit.pdf?unit={other}"):
        assert client.get(url).status_code == 404, url
    for url in ("/reports/weekly", "/reports/directives?period=month", "/reports/meeting?meeting=1", "/reports/weekly.docx"):
        assert client.get(url).status_code == 403, url
    index = client.get("/reports/").get_data(as_text=True)
    assert 'href="/reports/unit"' in index and 'name="weekly"' not in index and "/reports/weekly" not in index


def test_leaders_and_coordinators_open_any_units_record(app, as_user):
    pleiku, sxd = ids(app, "Phường Pleiku", "SXD")
    for key in ("leader", "coordinator"):
        client = as_user(key)
        assert client.get(f"/reports/unit?unit={pleiku}").status_code == 200
        assert client.get(f"/reports/unit?unit={sxd}").status_code == 200
        assert client.get("/reports/unit").status_code == 404  # which unit? none given
        assert client.get("/reports/meeting?meeting=999999").status_code == 404
        assert client.get("/reports/directives?meeting=999999").status_code == 404
    index = as_user("leader").get("/reports/").get_data(as_text=True)
    for section in ("report-meeting", "report-directives", "report-unit", "report-weekly"):
        assert f'id="{section}"' in index


def test_a_bad_period_for_the_follow_up_report_is_a_400(as_user):
    response = as_user("leader").get("/reports/directives?period=custom&from=30/09/2025&to=01/09/2025")
    assert response.status_code == 400


def test_url_fors_own_arguments_in_the_query_string_change_nothing(as_user):
    client = as_user("coordinator")
    page = client.get("/reports/weekly?_scheme=javascript&_external=1&name=x&fmt=pdf")
    assert page.status_code == 200
    assert 'action="/reports/weekly.docx"' in page.get_data(as_text=True)
    listing = client.get("/assignments?_scheme=javascript&_anchor=x&status=all")
    assert listing.status_code == 200
    assert 'action="/reports/export/assignments.xlsx?status=all"' in listing.get_data(as_text=True)
