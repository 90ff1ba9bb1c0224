"""Writes through the features' services: each audited with the token's name, once per
Idempotency-Key (another body with the same key: 409), refused with 412 on a stale If-Match."""

import re
import threading

from sqlalchemy import func, select

from app.directives.models import Assignment, Directive, ProgressReport
from app.extensions import db
from app.models import AuditEvent, Unit
from app.proposals.models import Proposal


def _count(app, model, *where) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_a_commune_files_a_proposal_audited_with_the_tokens_name(app, api, world, users):
    client = api("commune_b")
    body = {"title": "Sửa cầu treo thôn 3", "content": "Cầu hư hỏng sau lũ.", "field_id": world["field_id"],
            "requested_amount": 1500000000}
    response = client.post("/api/v1/proposals", json=body)
    assert response.status_code == 201, response.json
    assert response.json["state"] == "submitted"
    assert response.headers["Location"] == f"/api/v1/proposals/{response.json['id']}"
    with app.app_context():
        proposal = db.session.get(Proposal, response.json["id"])
        assert proposal.commune_unit_id == users["commune_b"].unit_id and proposal.author_id == users["commune_b"].id
        events = db.session.scalars(select(AuditEvent).where(
            AuditEvent.object_type == "proposals", AuditEvent.object_id == str(proposal.id))).all()
        assert {e.action for e in events} == {"proposal.create", "proposal.submit"}
        assert {e.api_token_name for e in events} == {"Khóa thử commune_b"}
        assert {e.actor_id for e in events} == {users["commune_b"].id}


def test_the_audit_log_screen_shows_the_token(app, api, world, login_as):
    api("commune_b").post("/api/v1/proposals", json={"title": "Qua API", "content": "x", "field_id": world["field_id"]})
    page = login_as("admin").get("/admin/audit?action=proposal.create").get_data(as_text=True)
    assert re.search(r'class="api-token">qua khóa API (&#34;|&quot;|")Khóa thử commune_b', page)


def test_only_communes_file_proposals(api, world):
    body = {"title": "T", "content": "C", "field_id": world["field_id"]}
    assert api("department").post("/api/v1/proposals", json=body).status_code == 403
    assert api("coordinator").post("/api/v1/proposals", json=body).status_code == 403


def test_bad_bodies_get_field_errors_in_vietnamese_and_english(api, world):
    response = api("commune_b").post("/api/v1/proposals", json={"title": "   ", "content": "x\x00y", "field_id": 0,
                                                                 "extra": 1})
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    errors = {e["field"]: e for e in response.json["errors"]}
    assert errors["title"]["message"] == "Độ dài không hợp lệ."
    assert errors["content"]["message"] == "Nội dung không được chứa ký tự NUL."
    assert errors["field_id"]["message"] == "Giá trị nằm ngoài khoảng cho phép."
    assert errors["extra"]["message"] == "Trường này không có trong tài liệu API."
    assert response.json["title"] == "Dữ liệu gửi lên chưa đúng" and response.json["title_en"] == "Validation failed"
    missing = api("commune_b").post("/api/v1/proposals", json={"title": "A", "content": "B", "field_id": 999999})
    assert missing.status_code == 422
    assert missing.json["errors"] == [{"field": "field_id", "message": "Chọn lĩnh vực còn sử dụng.",
                                       "message_en": "Chọn lĩnh vực còn sử dụng."}]


def test_same_key_same_body_answers_again_without_doing_it_twice(app, api, world):
    client = api("commune_b")
    body = {"title": "Một lần thôi", "content": "Nội dung", "field_id": world["field_id"]}
    headers = {"Idempotency-Key": "vb-2026-0001"}
    first = client.post("/api/v1/proposals", json=body, headers=headers)
    second = client.post("/api/v1/proposals", json=body, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json == second.json
    assert second.headers["Idempotent-Replayed"] == "true"
    assert second.headers["Location"] == first.headers["Location"]
    assert _count(app, Proposal, Proposal.title == "Một lần thôi") == 1
    other = client.post("/api/v1/proposals", json={**body, "title": "Khác"}, headers=headers)
    assert other.status_code == 409
    assert other.json["type"].endswith("idempotency-key-reused")
    assert _count(app, Proposal, Proposal.title == "Khác") == 0


def test_keys_belong_to_their_token(app, api, world):
    body = {"title": "Hai khóa", "content": "Nội dung", "field_id": world["field_id"]}
    headers = {"Idempotency-Key": "same"}
    assert api("commune_b").post("/api/v1/proposals", json=body, headers=headers).status_code == 201
    assert api("commune_a").post("/api/v1/proposals", json=body, headers=headers).status_code == 201
    assert _count(app, Proposal, Proposal.title == "Hai khóa") == 2


def test_a_failed_write_keeps_no_answer_for_its_key(app, api, world):
    client = api("commune_b")
    headers = {"Idempotency-Key": "retry-me"}
    bad = client.post("/api/v1/proposals", json={"title": "A", "content": "B", "field_id": 999999}, headers=headers)
    assert bad.status_code == 422
    good = client.post("/api/v1/proposals", json={"title": "A", "content": "B", "field_id": 999999}, headers=headers)
    assert good.status_code == 422 and "Idempotent-Replayed" not in good.headers


def test_racing_requests_with_one_key_do_it_once(app, make_token, world):
    """Two clients at once with the same key: one proposal, both get the same answer."""
    secret = make_token("commune_b")
    body = {"title": "Đua nhau", "content": "Nội dung", "field_id": world["field_id"]}
    answers = []

    def send():
        reply = app.test_client().post("/api/v1/proposals", json=body, headers={
            "Authorization": f"Bearer {secret}", "Idempotency-Key": "race"})
        answers.append((reply.status_code, reply.json.get("id")))

    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert _count(app, Proposal, Proposal.title == "Đua nhau") == 1
    assert {code for code, _ in answers} <= {201, 409}  # 409 only if a request saw the key mid-flight
    assert len({pid for code, pid in answers if code == 201}) == 1


def test_the_coordinator_issues_and_assigns_to_every_commune_in_one_call(app, api, world):
    body = {"title": "Rà soát hộ nghèo", "content": "Báo cáo kết quả rà soát.", "field_id": world["field_id"],
            "issued_by_name": "Lương Văn Trọng", "deadline": "2027-01-15", "assign": {"scope": "all_communes"}}
    response = api("coordinator").post("/api/v1/directives", json=body, headers={"Idempotency-Key": "cd-1"})
    assert response.status_code == 201, response.json
    directive_id = response.json["directive"]["id"]
    with app.app_context():
        communes = db.session.scalar(select(func.count()).select_from(Unit).where(
            Unit.kind.in_(("xa", "phuong", "dac_khu")), Unit.active.is_(True)))
    assert response.json["assigned"]["created"] == communes > 2
    assert _count(app, Assignment, Assignment.directive_id == directive_id) == communes
    assert response.json["directive"]["rollup"]["open_on_time"] == communes
    again = api("coordinator").post(f"/api/v1/directives/{directive_id}/assignments", json={"scope": "all_communes"})
    assert again.json == {"directive_id": directive_id, "created": 0, "skipped": communes}
    assert _count(app, Directive, Directive.title == "Rà soát hộ nghèo") == 1


def test_a_directive_needs_a_deadline_or_a_reporting_period(api, world):
    body = {"title": "T", "content": "C", "field_id": world["field_id"], "issued_by_name": "A"}
    response = api("coordinator").post("/api/v1/directives", json=body)
    assert response.status_code == 422
    assert response.json["errors"][0]["field"] == "deadline"
    assert api("leader").post("/api/v1/directives", json=body).status_code == 403


def test_a_unit_reports_and_asks_for_completion(app, api, world):
    client = api("commune_b")
    path = f"/api/v1/assignments/{world['assignment_id']}"
    report = client.post(path + "/reports", json={"text": "Đã bổ sung 3 biên chế.", "percent": 60})
    assert report.status_code == 201, report.json
    assert _count(app, ProgressReport, ProgressReport.assignment_id == world["assignment_id"]) == 1
    done = client.post(path + "/completion", json={"note": "Xong"})
    assert done.status_code == 200, done.json
    assert done.json["state"] == "awaiting_confirmation"
    assert client.post(path + "/completion", json={}).status_code == 409  # already asked
    assert api("commune_a").post(path + "/reports", json={"text": "x", "percent": 1}).status_code == 404


def test_if_match_with_a_stale_version_is_412_and_changes_nothing(app, api, world):
    client = api("commune_b")
    path = f"/api/v1/assignments/{world['assignment_id']}"
    read = client.get(path)
    etag = read.headers["ETag"]
    assert client.post(path + "/reports", json={"text": "Lần 1", "percent": 10},
                       headers={"If-Match": etag}).status_code == 201  # a report leaves the version as it is
    done = client.post(path + "/completion", json={}, headers={"If-Match": etag})
    assert done.status_code == 200  # the version moves on
    stale = client.post(path + "/reports", json={"text": "Lần 2", "percent": 20}, headers={"If-Match": etag})
    assert stale.status_code == 412
    assert stale.json["title"] == "Hồ sơ đã được người khác cập nhật"
    assert _count(app, ProgressReport, ProgressReport.text == "Lần 2") == 0
    assert client.post(path + "/completion", json={}, headers={"If-Match": str(read.json["version"])}).status_code == 412
    fresh = client.get(path)
    assert fresh.headers["ETag"] != etag and fresh.json["version"] == read.json["version"] + 1
    # With the current version the request reaches the workflow, which refuses a second request.
    assert client.post(path + "/completion", json={}, headers={"If-Match": fresh.headers["ETag"]}).status_code == 409


def test_rate_limit_is_per_token(app, make_token):
    app.config["API_RATE_LIMIT"] = "3 per minute"
    first, second = make_token("leader"), make_token("coordinator")
    client = app.test_client()
    codes = [client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    limited = client.get("/api/v1/me", headers={"Authorization": f"Bearer {first}"})
    assert limited.mimetype == "application/problem+json" and limited.json["title_en"] == "Too many requests"
    assert client.get("/api/v1/me", headers={"Authorization": f"Bearer {second}"}).status_code == 200
