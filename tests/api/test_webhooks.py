"""Webhooks against a real local HTTP receiver: signed with HMAC-SHA256, sent only to tokens
whose user may see the object, retried with a doubling back-off, never inside the request."""

import hashlib
import hmac
import json
import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from sqlalchemy import select

from app import clock
from app.api import webhooks
from app.api.models import ApiToken, WebhookDelivery
from app.directives import progress
from app.directives.models import Assignment
from app.extensions import db
from app.models import User
from app.proposals import services as proposal_services
from app.proposals.models import Proposal


class Receiver:
    """A local HTTP server that records each POST and answers the next status in line."""

    def __init__(self, statuses=(200,)):
        self.received: list[dict] = []
        self.statuses = list(statuses)
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append({"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body})
                status = receiver.statuses.pop(0) if len(receiver.statuses) > 1 else receiver.statuses[0]
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.close()


@pytest.fixture
def quiet(app):
    app.config["WEBHOOK_SEND_AFTER_RESPONSE"] = False  # the tests call send_pending themselves
    return app


def _secret_of(app, name: str) -> str:
    with app.app_context():
        return db.session.scalar(select(ApiToken.webhook_secret).where(ApiToken.name == name))


def _verify(secret: str, delivery: dict) -> dict:
    signature = delivery["headers"]["x-giaoban-signature"]
    parts = dict(part.split("=", 1) for part in signature.split(","))
    expected = hmac.new(secret.encode(), f"{parts['t']}.".encode() + delivery["body"], hashlib.sha256).hexdigest()
    assert hmac.compare_digest(parts["v1"], expected)
    return json.loads(delivery["body"])


def test_a_report_is_signed_and_sent_to_those_who_may_see_it(app, quiet, world, make_token, receiver):
    writer = make_token("commune_b", webhook_url=receiver.url("/xa-b"), name="Xã B")
    make_token("commune_a", webhook_url=receiver.url("/xa-a"), name="Xã A")
    make_token("coordinator", webhook_url=receiver.url("/vp"), name="Văn phòng")
    response = app.test_client().post(
        f"/api/v1/assignments/{world['assignment_id']}/reports", json={"text": "Đạt 50%", "percent": 50},
        headers={"Authorization": f"Bearer {writer}"})
    assert response.status_code == 201
    assert receiver.received == []  # nothing is sent inside the request
    with app.app_context():
        report = webhooks.send_pending()
    assert report.sent == 2
    by_path = {d["path"]: d for d in receiver.received}
    assert set(by_path) == {"/xa-b", "/vp"}  # commune A may not see commune B's task
    payload = _verify(_secret_of(app, "Xã B"), by_path["/xa-b"])
    assert payload["event"] == "report.added"
    assert payload["data"]["assignment_id"] == world["assignment_id"] and payload["data"]["percent"] == 50
    assert by_path["/xa-b"]["headers"]["x-giaoban-event"] == "report.added"
    _verify(_secret_of(app, "Văn phòng"), by_path["/vp"])
    with pytest.raises(AssertionError):  # another token's secret does not verify it
        _verify(_secret_of(app, "Văn phòng"), by_path["/xa-b"])


def test_failures_are_retried_with_back_off_then_given_up(app, quiet, world, make_token, users):
    receiver = Receiver(statuses=[500, 503, 200])
    try:
        make_token("coordinator", webhook_url=receiver.url("/hook"), name="Văn phòng")
        app.config["WEBHOOK_RETRY_SECONDS"] = 60
        with app.app_context():
            unit_user = db.session.get(User, users["commune_b"].id)
            assignment = db.session.get(Assignment, world["assignment_id"])
            progress.add_report(assignment, unit_user, "Báo cáo", 10)
            db.session.commit()
            now = clock.now()
            assert webhooks.send_pending(now).retried == 1
            delivery = db.session.scalar(select(WebhookDelivery))
            assert delivery.attempts == 1 and delivery.next_try_at == now + timedelta(seconds=60)
            assert webhooks.send_pending(now + timedelta(seconds=59)).retried == 0  # not due yet
            assert webhooks.send_pending(now + timedelta(seconds=60)).retried == 1
            db.session.refresh(delivery)
            assert delivery.next_try_at == now + timedelta(seconds=60 + 120)  # doubled
            assert webhooks.send_pending(now + timedelta(seconds=180)).sent == 1
            db.session.refresh(delivery)
            assert delivery.state == "sent" and delivery.attempts == 3
        ids = {json.loads(d["body"])["id"] for d in receiver.received}
        assert len(receiver.received) == 3 and len(ids) == 1  # the same delivery id each time
    finally:
        receiver.close()


def test_a_receiver_that_never_answers_well_is_given_up(app, quiet, world, make_token, users):
    receiver = Receiver(statuses=[500])
    try:
        make_token("coordinator", webhook_url=receiver.url("/hook"))
        app.config["WEBHOOK_MAX_ATTEMPTS"] = 2
        with app.app_context():
            assignment = db.session.get(Assignment, world["assignment_id"])
            progress.add_report(assignment, db.session.get(User, users["commune_b"].id), "Báo cáo", 10)
            db.session.commit()
            now = clock.now()
            webhooks.send_pending(now)
            assert webhooks.send_pending(now + timedelta(hours=1)).failed == 1
            delivery = db.session.scalar(select(WebhookDelivery))
            assert delivery.state == "failed" and "500" in delivery.last_error
            assert webhooks.send_pending(now + timedelta(days=1)).failed == 0
    finally:
        receiver.close()


def test_it_is_tried_after_the_response_and_a_dead_receiver_never_fails_the_request(app, world, make_token):
    from tests.live_server import free_port

    writer = make_token("commune_b", webhook_url=f"http://127.0.0.1:{free_port()}/nobody-listens")
    response = app.test_client().post(
        f"/api/v1/assignments/{world['assignment_id']}/reports", json={"text": "x", "percent": 5},
        headers={"Authorization": f"Bearer {writer}"})
    assert response.status_code == 201
    response.close()  # the WSGI server closes the response once it is sent: the attempt runs then
    with app.app_context():
        delivery = db.session.scalar(select(WebhookDelivery))
        assert delivery.attempts == 1 and delivery.state == "pending" and delivery.last_error


def test_assignment_created_completion_confirmed_and_proposal_answered(app, quiet, world, make_token, users,
                                                                       receiver):
    make_token("commune_b", webhook_url=receiver.url("/xa-b"))
    make_token("department", webhook_url=receiver.url("/sxd"))
    coordinator = make_token("coordinator")
    created = app.test_client().post("/api/v1/directives", headers={"Authorization": f"Bearer {coordinator}"}, json={
        "title": "Chỉ đạo mới", "content": "Nội dung", "field_id": world["field_id"], "issued_by_name": "A",
        "deadline": "2027-03-01", "assign": {"scope": "picked", "unit_ids": [users["commune_b"].unit_id]}})
    assert created.status_code == 201
    with app.app_context():
        unit_user = db.session.get(User, users["commune_b"].id)
        boss = db.session.get(User, users["coordinator"].id)
        assignment = db.session.get(Assignment, world["assignment_id"])
        progress.request_completion(assignment, unit_user, clock.today())
        db.session.commit()
        progress.confirm_completion(assignment, boss)
        db.session.commit()
        proposal = db.session.get(Proposal, world["proposal_id"])
        proposal_services.answer(proposal, db.session.get(User, users["department"].id), "resolved", "Đã bố trí vốn.")
        db.session.commit()
        webhooks.send_pending()
    events = {}
    for delivery in receiver.received:
        events.setdefault(delivery["path"], []).append(json.loads(delivery["body"])["event"])
    assert events["/xa-b"] == ["assignment.created", "completion.confirmed", "proposal.answered"]
    assert events["/sxd"] == ["proposal.answered"]  # SXD leads the proposal; the new directive is not its
    first = json.loads(receiver.received[0]["body"])
    assert first["data"]["assignments"][0]["unit_id"] == users["commune_b"].unit_id


def test_a_rolled_back_change_sends_nothing(app, quiet, world, make_token, users, receiver):
    make_token("coordinator", webhook_url=receiver.url("/vp"))
    with app.app_context():
        assignment = db.session.get(Assignment, world["assignment_id"])
        progress.add_report(assignment, db.session.get(User, users["commune_b"].id), "Báo cáo", 10)
        db.session.flush()
        db.session.rollback()
        db.session.commit()
        assert db.session.scalar(select(WebhookDelivery)) is None


def test_the_scheduled_command_sends_what_is_due(app, quiet, world, make_token, users, receiver):
    make_token("coordinator", webhook_url=receiver.url("/vp"))
    with app.app_context():
        assignment = db.session.get(Assignment, world["assignment_id"])
        progress.add_report(assignment, db.session.get(User, users["commune_b"].id), "Báo cáo", 10)
        db.session.commit()
    result = app.test_cli_runner().invoke(args=["webhooks", "send-pending"])
    assert result.exit_code == 0 and "1 sent" in result.output
    assert len(receiver.received) == 1
