"""Reads: the same scoped queries as the site (404 outside scope), the list's filters with
keyset pages and ETags, directives' roll-up, assignments' status class, and the
dashboard's own figures."""

from app import clock
from app.dashboard import period as periods
from app.dashboard import services as dashboard
from app.extensions import db
from app.models import User


def test_a_commune_sees_its_proposal_and_another_commune_gets_404(api, world):
    path = f"/api/v1/proposals/{world['proposal_id']}"
    own = api("commune_b").get(path)
    assert own.status_code == 200
    assert own.json["title"] == "Đường liên thôn"
    assert own.json["lead_unit"]["name"]
    other = api("commune_a").get(path)
    assert other.status_code == 404
    assert other.mimetype == "application/problem+json"
    assert api("department_other").get(path).status_code == 404
    assert api("department").get(path).status_code == 200  # the lead department


def test_the_list_is_scoped_and_filtered(api, world):
    ids = lambda client, query="": [p["id"] for p in client.get("/api/v1/proposals" + query).json["items"]]  # noqa: E731
    assert world["proposal_id"] in ids(api("coordinator"))
    assert world["draft_id"] not in ids(api("coordinator"))  # drafts are the commune's own
    assert set(ids(api("commune_b"))) == {world["proposal_id"], world["draft_id"]}
    assert ids(api("commune_a")) == []
    assert ids(api("coordinator"), "?state=answered") == []
    assert ids(api("coordinator"), "?state=assigned") == [world["proposal_id"]]
    assert ids(api("coordinator"), "?q=liên thôn") == [world["proposal_id"]]


def test_bad_filters_are_a_422_with_field_errors_in_vietnamese(api):
    response = api("coordinator").get("/api/v1/proposals?state=nonsense&per_page=1000")
    assert response.status_code == 422
    fields = {e["field"]: e for e in response.json["errors"]}
    assert fields["state"]["message"] == "Giá trị không nằm trong danh sách cho phép."
    assert fields["per_page"]["message"] == "Giá trị nằm ngoài khoảng cho phép."
    assert fields["state"]["message_en"].startswith("Must be one of")


def test_keyset_pages_walk_every_row_once(app, api, world, users):
    from app.models import Field
    from app.proposals import services as proposal_services

    with app.app_context():
        commune = db.session.get(User, users["commune_b"].id)
        field = db.session.get(Field, world["field_id"])
        for n in range(5):
            p = proposal_services.create(commune, proposal_services.ProposalInput(
                title=f"Kiến nghị {n}", content="Nội dung", field=field))
            proposal_services.submit(p, commune)
        db.session.commit()
    client = api("commune_b")
    seen, cursor = [], None
    for _ in range(10):
        query = "?per_page=2" + (f"&after={cursor}" if cursor else "")
        page = client.get("/api/v1/proposals" + query).json
        seen += [p["id"] for p in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen)) == 7 == page["total"]


def test_etag_and_if_none_match(api, world):
    client = api("coordinator")
    first = client.get("/api/v1/proposals")
    tag = first.headers["ETag"]
    again = client.get("/api/v1/proposals", headers={"If-None-Match": tag})
    assert again.status_code == 304 and again.data == b""
    one = client.get(f"/api/v1/proposals/{world['proposal_id']}")
    assert one.headers["ETag"].strip('"').split("-")[0] == str(one.json["version"])
    assert client.get(f"/api/v1/proposals/{world['proposal_id']}",
                      headers={"If-None-Match": one.headers["ETag"]}).status_code == 304


def test_directives_carry_their_rollup_of_what_the_token_sees(api, world):
    coordinator = api("coordinator").get(f"/api/v1/directives/{world['directive_id']}").json
    assert coordinator["rollup"]["open_on_time"] == 2 and coordinator["rollup"]["total"] == 2
    commune = api("commune_b").get(f"/api/v1/directives/{world['directive_id']}").json
    assert commune["rollup"]["total"] == 1  # its own assignment only
    assert api("commune_a").get(f"/api/v1/directives/{world['directive_id']}").status_code == 404
    listed = api("coordinator").get("/api/v1/directives").json["items"]
    assert [d["id"] for d in listed] == [world["directive_id"]]


def test_assignments_with_their_status_class(api, world):
    response = api("commune_b").get(f"/api/v1/assignments/{world['assignment_id']}")
    assert response.status_code == 200
    assert response.json["status"]["key"] == "open_on_time"
    assert response.json["status"]["label"] == "Đang thực hiện trong hạn"
    assert api("department").get(f"/api/v1/assignments/{world['assignment_id']}").status_code == 404
    mine = api("department").get("/api/v1/assignments").json["items"]
    assert len(mine) == 1 and mine[0]["unit"]["name"]


def test_figures_are_the_dashboards_numbers(app, api, world, users):
    body = api("coordinator").get("/api/v1/figures?period=month").json
    with app.test_request_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        scope = dashboard.Scope(period=periods.resolve("month", clock.today()))
        summary = dashboard.assignment_summary(coordinator, scope)
        props = dashboard.proposal_summary(coordinator, scope)
    assert body["assignments"]["open_on_time"] == summary.counts["open_on_time"] == 2
    assert body["assignments"]["completion_rate"] == summary.counts.completion_rate
    assert {u["unit"]["id"]: u["counts"]["total"] for u in body["units"]} == {
        row.unit.id: row.counts.total for row in summary.bodies + summary.communes}
    assert body["proposals"]["total"] == props.total.value
    assert body["period_from"] == scope.period.start.isoformat()


def test_figures_for_a_commune_are_its_own(api, world, users):
    body = api("commune_b").get("/api/v1/figures").json
    assert [u["unit"]["id"] for u in body["units"]] == [users["commune_b"].unit_id]


def test_a_bad_period_is_a_422(api):
    response = api("leader").get("/api/v1/figures?period=custom&date_from=2026-05-01")
    assert response.status_code == 422
    assert response.json["errors"][0]["message"] == "Nhập cả ngày bắt đầu và ngày kết thúc."


def test_units_fields_and_meetings(api, world):
    client = api("leader")
    units = client.get("/api/v1/units").json
    assert any(u["code"] == "SXD" for u in units)
    assert client.get("/api/v1/units?level=commune").json[0]["is_commune"] is True
    assert any(f["id"] == world["field_id"] for f in client.get("/api/v1/fields").json)
    meetings = client.get("/api/v1/meetings").json
    assert [m["id"] for m in meetings["items"]] == [world["meeting_id"]]
    assert client.get(f"/api/v1/meetings/{world['meeting_id']}").json["title"] == "Hội nghị giao ban tháng 10"
    # An admin sees units and fields, not the business data (as in the site).
    admin = api("admin")
    assert admin.get("/api/v1/units").status_code == 200
    assert admin.get("/api/v1/meetings").status_code == 403


def test_unknown_api_paths_are_problems_too(client):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


def test_the_openapi_document_and_the_docs_page(client):
    spec = client.get("/api/v1/openapi.json")
    assert spec.status_code == 200
    assert spec.json["openapi"].startswith("3.")
    assert spec.json["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
    assert "/api/v1/proposals" in spec.json["paths"]
    docs = client.get("/api/v1/docs")
    html = docs.get_data(as_text=True)
    assert docs.status_code == 200
    assert "script-src 'self'" in docs.headers["Content-Security-Policy"]
    # Drawn on the server from the same document: every operation and schema, and the document linked.
    assert 'href="/api/v1/openapi.json"' in html
    for path, item in spec.json["paths"].items():
        for method in set(item) - {"parameters"}:  # "parameters": the path's own, shared by its methods
            assert f'<span class="api-method">{method.upper()}</span> <code>{path}</code></h2>' in html, (method, path)
    for name in spec.json["components"]["schemas"]:
        assert f'id="schema-{name}"' in html, name
    assert "swagger-ui" not in html  # no third-party script draws it
    # A body's fields, their limits and whether they are required, read from the schema.
    proposal_in = html.split('id="schema-ProposalIn"', 1)[1].split("</section>", 1)[0]
    assert "<code>title</code>" in proposal_in and "tối đa 300 ký tự" in proposal_in
    assert "mặc định: true" in proposal_in
