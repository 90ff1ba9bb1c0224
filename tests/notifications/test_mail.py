"""E-mail through a real SMTP server on loopback (aiosmtpd): immediate, digest, none, server down."""

import logging
from datetime import timedelta

import pytest

from app import clock
from app.config import _env_overrides
from app.extensions import db
from app.notifications import notify
from app.notifications.mail import _claim, send_digests, send_pending
from app.notifications.models import EMAIL_FAILED, EMAIL_PENDING, EMAIL_SENT, EMAIL_SKIPPED
from app.notifications.services import unread_count
from tests.notifications.conftest import add_notifications, notifications_of, set_user

DEPT_EMAIL = "so.xd@gialai.gov.vn"


@pytest.fixture
def department(mail_app, users):
    """The department account with an address, getting an e-mail per notification."""
    set_user(mail_app, users["department"], email=DEPT_EMAIL, email_preference="immediate")
    return users["department"]


def run_sender(app, **kwargs):
    with app.app_context():
        return send_pending(**kwargs)


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def test_immediate_email_in_vietnamese_with_a_link(mail_app, smtp, department):
    add_notifications(mail_app, department, 1, title="Kiến nghị “Xây trụ sở xã Ia Boòng” được giao cho Sở Xây dựng",
                      link="/proposals/7")
    report = run_sender(mail_app)
    assert (report.sent, report.failed) == (1, 0)
    [message] = smtp.inbox.messages
    assert message["Subject"] == "[Giao Ban] Kiến nghị “Xây trụ sở xã Ia Boòng” được giao cho Sở Xây dựng"
    assert message["From"] == "Giao Ban <giaoban@gialai.gov.vn>"
    assert DEPT_EMAIL in message["To"] and "Trần Văn Minh" in message["To"]
    assert message["Auto-Submitted"] == "auto-generated"
    body = text_of(message)
    assert "Kính gửi Trần Văn Minh," in body
    assert "Xem chi tiết: https://giaoban.gialai.gov.vn/proposals/7" in body
    assert "https://giaoban.gialai.gov.vn/account/notifications" in body
    [row] = notifications_of(mail_app, department)
    assert row.email_state == EMAIL_SENT and row.emailed_at is not None and row.email_attempts == 0
    assert run_sender(mail_app).sent == 0
    assert len(smtp.inbox.messages) == 1  # never twice


def test_email_is_tried_after_the_response(mail_app, smtp, department, client):
    def make_event():
        notify([department.id], "test.event", "Có việc mới", "/items/1")
        db.session.commit()
        return "ok"

    mail_app.add_url_rule("/_test/event", "test_event", make_event, methods=["POST"])
    response = client.post("/_test/event")
    assert response.status_code == 200 and smtp.inbox.messages == []  # the answer did not wait for mail
    response.close()  # what the WSGI server does once the client has the response
    assert [m["Subject"] for m in smtp.inbox.messages] == ["[Giao Ban] Có việc mới"]
    assert notifications_of(mail_app, department)[0].email_state == EMAIL_SENT


def test_mail_server_down_during_a_request_changes_nothing_for_the_user(mail_app, department, client, caplog):
    def make_event():
        notify([department.id], "test.event", "Có việc mới", "/items/1")
        db.session.commit()
        return "ok"

    mail_app.add_url_rule("/_test/event", "test_event", make_event, methods=["POST"])
    response = client.post("/_test/event")
    assert response.status_code == 200 and response.get_data(as_text=True) == "ok"
    with caplog.at_level(logging.WARNING, logger="app.notifications.mail"):
        response.close()
    [row] = notifications_of(mail_app, department)
    assert row.email_state == EMAIL_PENDING and row.email_attempts == 1
    assert "Could not e-mail notification" in caplog.text


def test_server_down_then_up_delivers_on_a_later_run(mail_app, smtp_port, department, caplog):
    add_notifications(mail_app, department, 1, title="Sắp đến hạn báo cáo")
    with caplog.at_level(logging.WARNING, logger="app.notifications.mail"):
        report = run_sender(mail_app)
    assert (report.sent, report.failed) == (0, 1)
    assert "Could not e-mail notification" in caplog.text and "ConnectionRefusedError" in caplog.text
    [row] = notifications_of(mail_app, department)
    assert row.email_state == EMAIL_PENDING and row.email_attempts == 1
    assert "ConnectionRefusedError" in row.email_error
    with mail_app.app_context():
        assert unread_count(department.id) == 1  # the notification itself is in the site all along

    smtp_port.start()
    assert run_sender(mail_app).sent == 0  # the retry waits its turn (MAIL_RETRY_SECONDS)
    assert smtp_port.inbox.messages == []
    report = run_sender(mail_app, now=clock.now() + timedelta(minutes=6))
    assert report.sent == 1
    assert [m["Subject"] for m in smtp_port.inbox.messages] == ["[Giao Ban] Sắp đến hạn báo cáo"]
    [row] = notifications_of(mail_app, department)
    assert row.email_state == EMAIL_SENT and row.email_error is None


def test_cli_retries_once_the_server_is_back(mail_app, smtp_port, department, runner):
    mail_app.config["MAIL_RETRY_SECONDS"] = 0
    add_notifications(mail_app, department, 2)
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "0 sent, 2 to retry" in result.output
    smtp_port.start()
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "2 sent" in result.output
    assert len(smtp_port.inbox.to(DEPT_EMAIL)) == 2


def test_attempts_are_capped(mail_app, smtp_port, department, caplog):
    mail_app.config.update(MAIL_RETRY_SECONDS=0, MAIL_MAX_ATTEMPTS=2)
    add_notifications(mail_app, department, 1)
    assert run_sender(mail_app).failed == 1
    with caplog.at_level(logging.ERROR, logger="app.notifications.mail"):
        assert run_sender(mail_app).given_up == 1
    assert "Giving up e-mailing notification" in caplog.text
    [row] = notifications_of(mail_app, department)
    assert row.email_state == EMAIL_FAILED and row.email_attempts == 2 and row.read_at is None
    smtp_port.start()
    assert run_sender(mail_app).sent == 0
    assert smtp_port.inbox.messages == []


def test_daily_digest_gathers_the_days_notifications(mail_app, smtp, users):
    set_user(mail_app, users["commune_a"], email="xa.iaboong@gialai.gov.vn", email_preference="digest")
    add_notifications(mail_app, users["commune_a"], 1, title="Kiến nghị của xã đã được trả lời", link="/proposals/3")
    add_notifications(mail_app, users["commune_a"], 1, title="Chỉ đạo mới giao cho xã", link="/directives/9")
    assert run_sender(mail_app).sent == 0  # digest users wait for the daily run
    assert smtp.inbox.messages == []
    with mail_app.app_context():
        report = send_digests()
    assert (report.sent, report.digests) == (2, 1)
    [message] = smtp.inbox.messages
    assert message["Subject"].startswith("[Giao Ban] Tổng hợp 2 thông báo ngày ")
    body = text_of(message)
    assert "Kính gửi Rơ Châm Hiền," in body
    assert body.index("Kiến nghị của xã đã được trả lời") < body.index("Chỉ đạo mới giao cho xã")
    assert "https://giaoban.gialai.gov.vn/proposals/3" in body and "https://giaoban.gialai.gov.vn/directives/9" in body
    assert "Xem tất cả thông báo: https://giaoban.gialai.gov.vn/notifications" in body
    assert {n.email_state for n in notifications_of(mail_app, users["commune_a"])} == {EMAIL_SENT}
    with mail_app.app_context():
        assert send_digests().sent == 0
        assert send_pending().sent == 0
    assert len(smtp.inbox.messages) == 1


def test_failed_digest_is_retried_by_the_sender(mail_app, smtp_port, users):
    mail_app.config["MAIL_RETRY_SECONDS"] = 0
    set_user(mail_app, users["commune_a"], email="xa.iaboong@gialai.gov.vn", email_preference="digest")
    add_notifications(mail_app, users["commune_a"], 2)
    with mail_app.app_context():
        assert send_digests().failed == 2
    smtp_port.start()
    assert run_sender(mail_app).sent == 2
    assert len(smtp_port.inbox.messages) == 1  # still one digest, not two e-mails


def test_preference_none_sends_nothing(mail_app, smtp, users):
    set_user(mail_app, users["department"], email=DEPT_EMAIL, email_preference="none")
    add_notifications(mail_app, users["department"], 1)
    assert notifications_of(mail_app, users["department"])[0].email_state == EMAIL_SKIPPED
    with mail_app.app_context():
        assert send_pending().sent == 0 and send_digests().sent == 0
    assert smtp.inbox.messages == []


def test_preference_and_reading_are_checked_again_at_sending_time(mail_app, smtp, department, users):
    set_user(mail_app, users["department_other"], email="so.nv@gialai.gov.vn")
    [to_opt_out] = add_notifications(mail_app, users["department_other"], 1)
    [already_read] = add_notifications(mail_app, department, 1)
    set_user(mail_app, users["department_other"], email_preference="none")
    with mail_app.app_context():
        from app.notifications.models import Notification
        from app.notifications.services import mark_read

        mark_read(db.session.get(Notification, already_read))
        db.session.commit()
    report = run_sender(mail_app)
    assert (report.sent, report.skipped) == (0, 2)
    assert smtp.inbox.messages == []
    assert notifications_of(mail_app, users["department_other"])[0].email_state == EMAIL_SKIPPED


def test_a_claimed_row_is_left_to_its_sender(mail_app, smtp, department):
    [row_id] = add_notifications(mail_app, department, 1)
    with mail_app.app_context():
        assert _claim([row_id], clock.now()) == {row_id}
        assert _claim([row_id], clock.now()) == set()  # a second sender running now gets nothing
    assert run_sender(mail_app).sent == 0
    assert run_sender(mail_app, now=clock.now() + timedelta(minutes=11)).sent == 1  # a dead sender's claim lapses


def test_without_mail_server_nothing_is_pending(app, users, runner):
    set_user(app, users["department"], email=DEPT_EMAIL)
    add_notifications(app, users["department"], 1)
    assert notifications_of(app, users["department"])[0].email_state == EMAIL_SKIPPED
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0 and "MAIL_SERVER is not set" in result.output


def test_mail_settings_from_the_environment(monkeypatch):
    monkeypatch.setenv("MAIL_SERVER", "smtp.gialai.gov.vn")
    monkeypatch.setenv("MAIL_PORT", "587")
    monkeypatch.setenv("MAIL_USE_TLS", "1")
    monkeypatch.setenv("MAIL_USE_SSL", "no")
    monkeypatch.setenv("MAIL_USERNAME", "giaoban")
    monkeypatch.setenv("MAIL_PASSWORD", "bi-mat")
    monkeypatch.setenv("MAIL_FROM", "Giao Ban <giaoban@gialai.gov.vn>")
    monkeypatch.setenv("SITE_URL", "https://giaoban.gialai.gov.vn")
    out = _env_overrides()
    assert out["MAIL_SERVER"] == "smtp.gialai.gov.vn" and out["MAIL_PORT"] == 587
    assert out["MAIL_USE_TLS"] is True and out["MAIL_USE_SSL"] is False
    assert (out["MAIL_USERNAME"], out["MAIL_PASSWORD"]) == ("giaoban", "bi-mat")
    assert out["MAIL_FROM"] == "Giao Ban <giaoban@gialai.gov.vn>" and out["SITE_URL"] == "https://giaoban.gialai.gov.vn"


def test_a_refused_mailbox_fails_alone_and_is_not_retried(mail_app, smtp, department, users, caplog):
    set_user(mail_app, users["department_other"], email="khongton@gialai.gov.vn")
    add_notifications(mail_app, users["department_other"], 1, title="Tới hộp thư sai")
    add_notifications(mail_app, department, 1, title="Tới hộp thư đúng")
    with caplog.at_level(logging.ERROR, logger="app.notifications.mail"):
        report = run_sender(mail_app)
    assert (report.sent, report.given_up) == (1, 1)
    assert [m["Subject"] for m in smtp.inbox.messages] == ["[Giao Ban] Tới hộp thư đúng"]
    [refused] = notifications_of(mail_app, users["department_other"])
    assert refused.email_state == EMAIL_FAILED and refused.email_attempts == 1 and "550" in refused.email_error
    assert "Giving up e-mailing notification" in caplog.text


def test_a_line_break_in_a_name_goes_out_on_one_line(mail_app, smtp, department, runner):
    """It crashed `flask mail send-pending`, and every later run stopped on the same message."""
    set_user(mail_app, department, full_name="Trần Văn\r\nMinh\x07")
    add_notifications(mail_app, department, 1, title="Có việc\nmới")
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    assert "E-mails: 1 sent" in result.output
    [message] = smtp.inbox.messages
    assert message["To"].addresses[0].display_name == "Trần Văn Minh"
    assert message["Subject"] == "[Giao Ban] Có việc mới"


def test_a_message_that_cannot_be_built_fails_alone_with_its_reason(mail_app, smtp, department, users, runner):
    # An address the e-mail library refuses to put in a header (saved before the forms checked it).
    set_user(mail_app, users["department_other"], email="lê.hoa@gialai.gov.vn", email_preference="immediate")
    add_notifications(mail_app, users["department_other"], 1, title="Tới địa chỉ hỏng")
    add_notifications(mail_app, department, 1, title="Tới địa chỉ đúng")
    result = runner.invoke(args=["mail", "send-pending"])
    assert result.exit_code == 0, result.output
    assert "E-mails: 1 sent, 0 to retry, 1 given up" in result.output
    assert [m["Subject"] for m in smtp.inbox.messages] == ["[Giao Ban] Tới địa chỉ đúng"]
    [broken] = notifications_of(mail_app, users["department_other"])
    assert broken.email_state == EMAIL_FAILED and "local-part" in broken.email_error
    # The next run is not stopped by it either.
    add_notifications(mail_app, department, 1, title="Việc sau")
    assert run_sender(mail_app).sent == 1


def test_a_long_subject_is_cut_at_a_word_and_keeps_every_space(mail_app, smtp, department):
    title = ("Sở Xây dựng đã trả lời kiến nghị “Xây dựng mới trụ sở làm việc Đảng ủy, HĐND, UBND xã Ia Boòng” "
             "của xã Ia Boòng, hạn trả lời đã gia hạn đến ngày (23/10/2026) theo đề nghị của Sở Tài chính và Sở Nội vụ")
    add_notifications(mail_app, department, 1, title=title, link="/proposals/7")
    assert run_sender(mail_app).sent == 1
    [message] = smtp.inbox.messages
    subject = message["Subject"]  # as the mail client reads it back, folded lines unfolded
    full = "[Giao Ban] " + title
    assert len(full) > 160 and len(subject) <= 160
    assert subject.endswith("…")
    kept = subject[:-1]
    assert full.startswith(kept)  # no space lost where the header was folded
    assert full[len(kept)] == " "  # cut between two words, not inside "(23/10/2026)"
    assert "đã trả lời kiến nghị" in subject
