"""With CACHE_REDIS_URL, the dashboard's figures and the login limit live in a real Redis that
every process shares; without it, each process keeps its own."""

import re

import pytest
import redis

from app import create_app
from app.extensions import db, limiter
from app.proposals import workflow
from tests.conftest import PASSWORD, TEST_USERS, AuthActions, Client, base_config
from tests.proposals.conftest import make_proposal  # noqa: F401  (fixture)
from tests.statements import statements_sent


@pytest.fixture
def shared(database_uri, tmp_path, redis_url, redis_prefix):
    """Two apps on one database sharing one Redis, as two worker processes would."""
    config = {**base_config(database_uri, tmp_path), "CACHE_REDIS_URL": redis_url,
              "CACHE_KEY_PREFIX": redis_prefix, "RATELIMIT_KEY_PREFIX": redis_prefix}
    apps = [create_app(config), create_app(config)]
    yield apps
    for app in apps:
        with app.app_context():
            db.session.remove()
            db.engine.dispose()
    with redis.Redis.from_url(redis_url) as client:
        for key in client.scan_iter(f"*{redis_prefix}*"):
            client.delete(key)


def leader_of(app) -> Client:
    app.test_client_class = Client
    client = app.test_client()
    with app.app_context():
        limiter.reset()
    assert AuthActions(client).login("leader").status_code == 303
    return client


def home(app, client) -> tuple[int, str]:
    """The statements the leader's home sends, and its count of ongoing tasks."""
    with statements_sent(app) as sent:
        body = client.get("/").get_data(as_text=True)
    return len(sent), re.search(r'data-count="ongoing">([\d.]+)<', body).group(1)


def test_figures_made_by_one_process_are_served_by_the_other(shared, redis_url, redis_prefix):
    first, second = shared
    first_leader, second_leader = leader_of(first), leader_of(second)  # a login is audited: before
    counted, ongoing = home(first, first_leader)
    served, same = home(second, second_leader)
    assert same == ongoing
    assert served < counted  # the roll-up and the month's headline came from Redis
    with redis.Redis.from_url(redis_url) as client:
        assert any(key.startswith(f"{redis_prefix}figures:".encode()) for key in client.scan_iter(f"{redis_prefix}*"))


def test_a_change_committed_through_either_process_shows_in_both(shared, app, make_proposal):  # noqa: F811
    first, second = shared
    first_leader, second_leader = leader_of(first), leader_of(second)

    def month_received(app, client) -> int:
        body = client.get("/").get_data(as_text=True)
        panel = body[body.index('data-panel="dashboard"'):]
        return int(re.search(r'data-count="(\d+)"', panel).group(1))

    before = month_received(first, first_leader)
    assert month_received(second, second_leader) == before
    make_proposal(workflow.SUBMITTED, title="Kiến nghị vừa gửi")  # through the services: audited
    assert month_received(second, second_leader) == before + 1
    assert month_received(first, first_leader) == before + 1


def test_the_login_limit_is_counted_in_redis(shared, redis_url, redis_prefix):
    app = shared[0]
    app.test_client_class = Client
    client = app.test_client()
    with app.app_context():
        limiter.reset()
    username = TEST_USERS["commune_a"][0]
    codes = [client.post("/login", data={"username": username, "password": "sai-mat-khau"}).status_code
             for _ in range(5)]
    assert 429 not in codes
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 429
    with redis.Redis.from_url(redis_url) as server:
        assert list(server.scan_iter("LIMITS:LIMITER/*/auth.login/*"))  # counted in Redis, not in memory
