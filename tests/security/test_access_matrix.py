"""Every route × every role × every method, against objects owned by someone else.

The expected outcome of each pair lives in access_table.py. A route that appears in the
application without an entry there fails this test, so no route is added unreviewed.
Object routes answer 404 to those who may not see the object and 403 to those who may
see it but not act. "ok" means the request got past access control (2xx, 3xx, or a
400/409 about the data sent, which here is an empty form).
"""

import itertools
import os
import re

import pytest

from app.extensions import limiter
from tests.security.access_table import EXPECTED, ROLES
from tests.security.world import build

ARG_IDS = {
    "proposal_id": "proposal_id", "attachment_id": "attachment_id", "directive_id": "directive_id",
    "assignment_id": "assignment_id", "meeting_id": "meeting_id", "notification_id": "notification_id",
    "day_off_id": "day_off_id", "user_id": "user_id", "unit_id": "unit_id", "field_id": "field_id",
    "token": "token", "token_id": "api_token_id", "view_id": "view_id", "batch_id": "batch_id",
    "job_id": "job_id",
}
# Reports that name their object in the query string: the meeting, commune B's record.
QUERY_ARGS = {"meeting": {"meeting": "meeting_id"}, "unit": {"unit": "commune_b_unit_id"}}
# Routes whose objects have a second interesting variant: the commune's unsubmitted draft.
DRAFT_VARIANTS = {"/proposals/<int:proposal_id>", "/proposals/<int:proposal_id>/edit",
                  "/proposals/<int:proposal_id>/delete"}


def route_variants(app):
    """(key, rule, values-template, method) for every rule, action and method."""
    out = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        # Each value of a closed set in the URL (an action, a kind, a format) is a route of its own.
        choice_args = [name for name, conv in rule._converters.items() if hasattr(conv, "items")]
        combos = itertools.product(*(sorted(rule._converters[name].items) for name in choice_args))
        for combo in combos:
            action = dict(zip(choice_args, combo, strict=True)) or None
            for variant in ("", "draft") if rule.rule in DRAFT_VARIANTS else ("",):
                for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                    key = rule.rule + (f"[{','.join(combo)}]" if combo else "") + (f"[{variant}]" if variant else "")
                    out.append((key, rule, action, variant, method))
    return out


def build_url(app, rule, action, variant, ids):
    values = {}
    for arg in rule.arguments:
        if arg in (rule.defaults or {}):
            values[arg] = rule.defaults[arg]
        elif hasattr(rule._converters.get(arg), "items"):
            values[arg] = action[arg]
        elif arg == "proposal_id" and variant == "draft":
            values[arg] = ids["draft_id"]
        else:
            values[arg] = ids[ARG_IDS[arg]]
    for choice in (action or {}).values():  # reports name their object in the query string
        for name, id_key in QUERY_ARGS.get(choice, {}).items():
            values[name] = ids[id_key]
    with app.test_request_context():
        from flask import url_for

        return url_for(rule.endpoint, **values)


def outcome(response) -> str:
    if response.status_code in (301, 302, 303) and response.headers.get("Location", "").startswith("/login"):
        return "login"
    if response.status_code in (401, 403, 404) or response.status_code >= 500:
        return str(response.status_code)
    if response.status_code == 286:  # htmx "stop polling"
        return "stop"
    return "ok"


def clients_by_role(app, login_as):
    clients = {}
    for role in ROLES:
        with app.app_context():
            limiter.reset()
        if role == "anonymous":
            from tests.conftest import Client

            app.test_client_class = Client
            clients[role] = app.test_client()
        else:
            clients[role] = login_as(role)
    return clients


def test_every_route_has_an_entry(app):
    keys = {(key, method) for key, _, _, _, method in route_variants(app)}
    missing = sorted(k for k in keys if k[0] not in EXPECTED or k[1] not in EXPECTED[k[0]])
    stale = sorted((k, m) for k, methods in EXPECTED.items() for m in methods if (k, m) not in keys)
    assert not missing, f"routes without an expected outcome in access_table.py: {missing}"
    assert not stale, f"entries in access_table.py for routes that no longer exist: {stale}"


def _check(app, login_as, users, variants):
    ids = build(app, users).ids
    clients = clients_by_role(app, login_as)
    observed, wrong = {}, []
    for key, rule, action, variant, method in variants:
        url = build_url(app, rule, action, variant, ids)
        row = {}
        for role in ROLES:
            response = clients[role].open(url, method=method, data={})
            response.close()
            row[role] = outcome(response)
        observed[(key, method)] = row
        expected = EXPECTED.get(key, {}).get(method)
        if expected != row:
            wrong.append(f"{method} {key}: expected {expected}, got {row}")
    if os.environ.get("ACCESS_MATRIX_PRINT"):
        for (key, method), row in sorted(observed.items()):
            print(f"{key!r}: {{{method!r}: {' '.join(row[r] for r in ROLES)!r}}},")
    return wrong


def test_get_routes(app, login_as, users):
    variants = [v for v in route_variants(app) if v[4] == "GET"]
    wrong = _check(app, login_as, users, variants)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("key", sorted({v[0] for v in route_variants(__import__("app").create_app(
    {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})) if v[4] == "POST"}))
def test_post_route(app, login_as, users, key):
    variants = [v for v in route_variants(app) if v[4] == "POST" and v[0] == key]
    wrong = _check(app, login_as, users, variants)
    assert not wrong, "\n".join(wrong)


@pytest.mark.parametrize("key", sorted({v[0] for v in route_variants(__import__("app").create_app(
    {"SQLALCHEMY_DATABASE_URI": "sqlite://", "SECRET_KEY": "x", "TESTING": True})) if v[4] == "POST"}))
def test_post_route_refuses_missing_csrf(app, login_as, users, key):
    """Every state-changing route refuses a request without the CSRF token, htmx or not."""
    ids = build(app, users).ids
    [(key, rule, action, variant, _)] = [v for v in route_variants(app) if v[4] == "POST" and v[0] == key]
    url = build_url(app, rule, action, variant, ids)
    client = login_as("coordinator") if not url.startswith("/login") else None
    if client is None:
        from tests.conftest import Client

        app.test_client_class = Client
        client = app.test_client()
    for htmx in (False, True):
        response = client.post(url, data={}, csrf=False, htmx=htmx)
        if url.startswith("/api/"):
            # The API is exempt from CSRF because it takes API tokens only: a cookie session
            # without one is refused before anything runs (tests/api/test_tokens.py checks
            # that nothing changes).
            assert response.status_code == 401, (url, htmx, response.status_code)
            continue
        assert response.status_code == 400, (url, htmx, response.status_code)
        assert re.search("mã bảo mật", response.get_data(as_text=True))
