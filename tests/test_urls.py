"""Numbers and text from the address never reach the database as something it refuses.

Every id column is a 32-bit INTEGER on PostgreSQL: an id of 2^31 or more was "integer out of
range" there (OverflowError on SQLite from 2^63), a 500 on every route with an id. A NUL
byte in ?q= was refused by PostgreSQL, another 500. Run on PostgreSQL too.
"""

from datetime import UTC, datetime

import pytest
from werkzeug.routing.converters import AnyConverter, IntegerConverter

from app.listing import encode_cursor
from app.urls import ID_MAX, parse_id

HUGE_IDS = [2**31, 2**63, 10**20]
ROLES = ["coordinator", "admin"]


def int_rules(app):
    """Every URL rule with a number in it, as (rule, method to send)."""
    for rule in app.url_map.iter_rules():
        if any(isinstance(c, IntegerConverter) for c in rule._converters.values()):
            yield rule, "GET" if "GET" in rule.methods else "POST"


def path_with(rule, number: int) -> str:
    """The rule's path with number for every id and a valid value for every other part."""
    values = {}
    for name, converter in rule._converters.items():
        if isinstance(converter, IntegerConverter):
            values[name] = number
        elif isinstance(converter, AnyConverter):
            values[name] = sorted(converter.items)[0]
        else:
            values[name] = "x"
    return rule.build(values, append_unknown=False)[1]


def test_every_numbered_rule_answers_404_to_an_id_beyond_the_database(app, login_as):
    rules = list(int_rules(app))
    assert len(rules) >= 20  # the walk found the routes (admin, proposals, directives, files, ...)
    for role in ROLES:
        client = login_as(role)
        for rule, method in rules:
            for number in HUGE_IDS:
                path = path_with(rule, number)
                response = client.open(path, method=method)
                assert response.status_code == 404, (role, method, path, response.status_code)


def test_the_largest_id_still_routes(app, login_as):
    response = login_as("coordinator").get(f"/proposals/{ID_MAX}")
    assert response.status_code == 404  # routed, looked up, not found: no error on the way
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        assert adapter.match(f"/proposals/{ID_MAX}")[1] == {"proposal_id": ID_MAX}


ID_QUERIES = [
    "/proposals/?field={n}&commune={n}&department={n}&lead={n}&meeting={n}",
    "/directives?field_id={n}&meeting_id={n}&unit_id={n}",
    "/assignments?unit_id={n}&field_id={n}",
    "/meetings?unit={n}",
    "/dashboard/?unit={n}&field={n}",
    "/reports/?unit={n}&field={n}",
    "/reports/unit?unit={n}",
    "/reports/meeting?meeting={n}",
    "/imports/progress?directive={n}&unit={n}",
    "/imports/progress/download.xlsx?directive={n}&unit={n}",
    "/directives/new?meeting_id={n}",
    "/proposals/new?meeting={n}",
    "/reports/export/proposals.xlsx?field={n}&meeting={n}",
]


@pytest.mark.parametrize("number", [*HUGE_IDS, "²", "-1", "１２"])
def test_ids_in_the_query_string_beyond_the_database_get_an_ordinary_answer(app, login_as, number):
    clients = {role: login_as(role) for role in ("coordinator", "commune_a")}
    for template in ID_QUERIES:
        for client in clients.values():
            response = client.get(template.format(n=number))
            assert response.status_code in (200, 400, 403, 404), (template, number, response.status_code)


NUL_QUERIES = [
    "/proposals/?q=a%00b", "/directives?q=%00", "/assignments?q=x%00", "/meetings?q=%00",
    "/notifications?q=%00", "/admin/users?q=%00", "/admin/units?q=%00", "/admin/audit?action=%00&object_type=%00",
    "/proposals/?state=%00&timeliness=%00&sort=%00", "/reports/export/proposals.xlsx?q=%00",
    "/reports/export/assignments.xlsx?q=%00", "/proposals/?page=%C2%B2", "/admin/days-off/?year=%C2%B2",
]


@pytest.mark.parametrize("path", NUL_QUERIES)
def test_a_nul_byte_in_the_query_string_gets_an_ordinary_answer(app, login_as, path):
    response = login_as("admin" if path.startswith("/admin") else "coordinator").get(path)
    assert response.status_code in (200, 403), response.status_code


def test_the_search_box_shows_the_words_without_the_nul(login_as):
    page = login_as("coordinator").get("/proposals/?q=tr%00%E2%80%8Bường").get_data(as_text=True)
    assert 'value="trường"' in page


@pytest.mark.parametrize(
    ("sort", "values"),
    [
        ("-submitted", [datetime(2026, 1, 5, tzinfo=UTC), 2**40]),
        ("title", ["duong\x00", 7]),
        ("-amount", [2**70, 7]),
    ],
)
def test_a_forged_page_cursor_gets_the_first_page(login_as, sort, values):
    cursor = encode_cursor(sort, values)
    response = login_as("coordinator").get("/proposals/", query_string={"sort": sort, "after": cursor})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("raw", "number"),
    [("1", 1), (" 42 ", 42), (str(ID_MAX), ID_MAX), (str(ID_MAX + 1), None), ("0", None), ("-3", None),
     ("²", None), ("１２", None), ("12a", None), ("", None), (None, None), ("9" * 400, None)],
)
def test_parse_id(raw, number):
    assert parse_id(raw) == number
