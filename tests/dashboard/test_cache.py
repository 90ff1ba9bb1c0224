"""The dashboard's panels and the leader's home figures are reused only while no audited change
has been committed."""

import re

from app import datacache
from app.extensions import cache
from app.proposals import workflow
from tests.dashboard.test_dashboard_views import count_in, section
from tests.statements import statements_sent


def received(body: str) -> int:
    return count_in(section(body, "chart-states"), 'data-state="submitted"')


def panels(body: str) -> str:
    """The page from the panels on (the CSRF token above them is signed anew each second)."""
    return body[body.index('id="dashboard-panels"'):]


def statements_of(app, client, url: str) -> tuple[int, str]:
    with statements_sent(app) as sent:
        body = client.get(url).get_data(as_text=True)
    return len(sent), body


def test_a_repeated_page_is_served_from_the_cache(app, seeded, as_user):
    client = as_user("leader")
    url = f"/dashboard/?{seeded['query']}"
    first, first_body = statements_of(app, client, url)
    again, again_body = statements_of(app, client, url)
    assert panels(again_body) == panels(first_body)
    assert again < first - 10  # the panels' statements are not sent again


def test_an_audited_change_shows_at_once(app, seeded, as_user, make_proposal):
    client = as_user("leader")
    url = f"/dashboard/?{seeded['query']}"
    assert received(client.get(url).get_data(as_text=True)) == 1
    make_proposal(workflow.SUBMITTED, title="Kiến nghị vừa gửi")  # through the services: audited
    assert received(client.get(url).get_data(as_text=True)) == 2
    # The htmx fragment is the same panels, as fresh.
    fragment = client.get(url, headers={"HX-Request": "true"}).get_data(as_text=True)
    assert received(fragment) == 2 and "<html" not in fragment


def test_each_scope_and_role_has_its_own_entry(app, seeded, as_user):
    leader, coordinator = as_user("leader"), as_user("coordinator")
    url = f"/dashboard/?{seeded['query']}"
    counted, quarter = statements_of(app, leader, url)
    month = leader.get("/dashboard/?period=month").get_data(as_text=True)
    assert 'id="dashboard-panels"' in quarter and quarter != month
    # The coordinator's panels are counted for the coordinator, not taken from the leader's.
    coordinator_counted, body = statements_of(app, coordinator, url)
    assert received(body) == 1 and coordinator_counted > counted - 10
    again, _body = statements_of(app, coordinator, url)
    assert again < coordinator_counted - 10


def test_the_cache_can_be_turned_off(app, seeded, as_user, make_proposal):
    app.config["DASHBOARD_CACHE_SECONDS"] = 0
    client = as_user("leader")
    url = f"/dashboard/?{seeded['query']}"
    first, _body = statements_of(app, client, url)
    again, _body = statements_of(app, client, url)
    assert again == first


def test_a_cache_that_fails_is_skipped_and_the_page_still_answers(app, seeded, as_user, monkeypatch):
    def unreachable(*args, **kwargs):
        raise ConnectionError("cache down")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", unreachable)
    response = as_user("leader").get(f"/dashboard/?{seeded['query']}")
    assert response.status_code == 200 and received(response.get_data(as_text=True)) == 1


def test_a_key_changes_with_the_data_version(app, make_proposal):
    with app.test_request_context():
        before = datacache.cache_key(("home-month", "leader"))
        assert datacache.cache_key(("home-month", "leader")) == before
        assert datacache.cache_key(("home-month", "coordinator")) != before
    make_proposal(workflow.SUBMITTED, title="Kiến nghị vừa gửi")
    with app.test_request_context():
        assert datacache.cache_key(("home-month", "leader")) != before


def test_the_leaders_home_figures_follow_audited_changes(app, seeded, as_user, make_proposal, make_directive,
                                                          assign):
    client = as_user("leader")

    def figures() -> tuple[int, str]:
        body = client.get("/").get_data(as_text=True)
        ongoing = int(re.search(r'data-count="ongoing">([\d.]+)<', body).group(1))
        panel = body[body.index('data-panel="dashboard"'):]
        return ongoing, re.search(r'data-count="(\d+)"', panel).group(1)  # the month's proposals

    before = figures()
    assert figures() == before == (2, "6")
    make_proposal(workflow.SUBMITTED, title="Kiến nghị vừa gửi")  # each through the services: audited
    assign(make_directive(title="Chỉ đạo mới", ongoing=True, period="monthly"), ["Xã Ia Boòng", "SXD"])
    assert figures() == (4, "7")
