"""Every API route × every role, through API tokens (the widest scope the role allows), against
the objects of tests/security/world.py. The expected outcomes are API_EXPECTED in
access_table.py; an API route without an entry fails, as in test_access_matrix.py.

Writes send a valid body, so that "ok" means the write was carried out, and each POST route
gets a world of its own. A read-only token is refused every write, whatever its role.
"""

import os

import pytest

from app.extensions import limiter
from tests.api.conftest import ApiClient
from tests.security.access_table import API_EXPECTED, ROLES
from tests.security.test_access_matrix import ARG_IDS, outcome
from tests.security.world import build

PREFIX = "/api/v1/"


def api_rules(app):
    return [(rule, method) for rule in app.url_map.iter_rules() if rule.rule.startswith(PREFIX)
            and rule.endpoint.startswith("api.")
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"})]


def _url(app, rule, ids) -> str:
    values = {arg: ids[ARG_IDS[arg]] for arg in rule.arguments}
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def _body(rule, ids, users) -> dict | None:
    bodies = {
        "/api/v1/proposals": {"title": "Kiến nghị qua API", "content": "Nội dung", "field_id": ids["field_id"]},
        "/api/v1/directives": {"title": "Chỉ đạo qua API", "content": "Nội dung", "field_id": ids["field_id"],
                               "issued_by_name": "Lương Văn Trọng", "deadline": "2027-06-30"},
        "/api/v1/directives/<int:directive_id>/assignments": {"scope": "picked", "unit_ids": [ids["unit_id"]]},
        "/api/v1/assignments/<int:assignment_id>/reports": {"text": "Đã làm được một nửa", "percent": 50},
        "/api/v1/assignments/<int:assignment_id>/completion": {"note": "Đã xong"},
    }
    return bodies[rule.rule]


def _clients(app, make_token, scope=None):
    clients = {"anonymous": ApiClient(app.test_client(), None)}
    for role in ROLES[1:]:
        clients[role] = ApiClient(app.test_client(), make_token(role, scope))
    return clients


def _row(app, clients, rule, method, ids, users):
    url = _url(app, rule, ids)
    row = {}
    for role in ROLES:
        body = _body(rule, ids, users) if method == "POST" else None
        response = clients[role].open(method, url, json=body)
        response.close()
        row[role] = outcome(response)
    return row


def test_every_api_route_has_an_entry(app):
    keys = {(rule.rule, method) for rule, method in api_rules(app)}
    missing = sorted(k for k in keys if k[1] not in API_EXPECTED.get(k[0], {}))
    stale = sorted((k, m) for k, methods in API_EXPECTED.items() for m in methods if (k, m) not in keys)
    assert not missing and not stale, (missing, stale)


def test_api_reads(app, users, make_token):
    ids = build(app, users).ids
    with app.app_context():
        limiter.reset()
    clients = _clients(app, make_token)
    wrong = []
    for rule, method in api_rules(app):
        if method != "GET":
            continue
        row = _row(app, clients, rule, method, ids, users)
        if os.environ.get("ACCESS_MATRIX_PRINT"):
            print(f"{rule.rule!r}: {{{method!r}: {' '.join(row[r] for r in ROLES)!r}}},")
        if API_EXPECTED.get(rule.rule, {}).get(method) != row:
            wrong.append(f"{method} {rule.rule}: expected {API_EXPECTED.get(rule.rule, {}).get(method)}, got {row}")
    assert not wrong, "\n".join(wrong)


def _post_rules():
    from app import create_app

    app = create_app({"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})
    return sorted(rule.rule for rule, method in api_rules(app) if method == "POST")


@pytest.mark.parametrize("key", _post_rules())
def test_api_write(app, users, make_token, key):
    [(rule, method)] = [(r, m) for r, m in api_rules(app) if r.rule == key and m == "POST"]
    ids = build(app, users).ids
    with app.app_context():
        limiter.reset()
    row = _row(app, _clients(app, make_token), rule, method, ids, users)
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        print(f"{rule.rule!r}: {{{method!r}: {' '.join(row[r] for r in ROLES)!r}}},")
    assert API_EXPECTED[key][method] == row


@pytest.mark.parametrize("key", _post_rules())
def test_a_read_token_is_refused_every_write(app, users, make_token, key):
    [(rule, method)] = [(r, m) for r, m in api_rules(app) if r.rule == key and m == "POST"]
    ids = build(app, users).ids
    row = _row(app, _clients(app, make_token, "read"), rule, method, ids, users)
    assert set(row.values()) <= {"401", "403"} and row["anonymous"] == "401"
