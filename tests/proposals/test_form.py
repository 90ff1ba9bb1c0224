"""The commune's form: drafts, submission, bad input, double clicks, two editors, uploads."""

import io
import os
import re

import pytest
from sqlalchemy import func, select
from werkzeug.test import encode_multipart

from app.extensions import db
from app.models import Attachment, AuditEvent
from app.proposals import workflow
from app.proposals.models import Proposal, ProposalEvent
from tests.proposals.conftest import field_id, load, unit_id, version_on

KEY_RE = re.compile(r'name="idempotency_key" type="hidden" value="([^"]+)"')


def new_form(client) -> str:
    page = client.get("/proposals/new")
    assert page.status_code == 200
    return KEY_RE.search(page.get_data(as_text=True)).group(1)


def valid_data(app, key, **overrides):
    data = {
        "title": "Xây dựng mới trường học cho làng Ia Tăng",
        "content": "Trường học tạm bằng gỗ đã xuống cấp.",
        "field_id": field_id(app, "Giáo dục (trường học)"),
        "requested_amount": "1.500.000.000",
        "location": "Làng Ia Tăng",
        "idempotency_key": key,
        "intent": "draft",
    }
    data.update(overrides)
    return data


def count(app, model=Proposal):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model))


def test_commune_saves_a_draft_then_submits_it(app, as_user, users):
    client = as_user("commune_a")
    response = client.post("/proposals/new", data=valid_data(app, new_form(client)))
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Đã lưu nháp kiến nghị." in page and "Nháp" in page
    assert "1.500.000.000 ₫" in page
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert (proposal.state, proposal.requested_amount, proposal.commune_unit_id) == (
            workflow.DRAFT, 1_500_000_000, users["commune_a"].unit_id)
        assert proposal.submitted_at is None
        assert "truong hoc" in proposal.search_folded and "xa ia boong" in proposal.search_folded
        proposal_id = proposal.id
    response = client.post(f"/proposals/{proposal_id}/submit", data={"submit-version": version_on(page, "submit-")})
    assert response.status_code == 303
    assert "Đã gửi kiến nghị lên tỉnh." in client.get(response.headers["Location"]).get_data(as_text=True)
    proposal = load(app, proposal_id)
    assert proposal.state == workflow.SUBMITTED and proposal.submitted_at is not None
    assert [(e.action, e.from_state, e.to_state) for e in proposal.events] == [
        ("create", None, "draft"), ("submit", "draft", "submitted")]
    with app.app_context():
        actions = db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "proposals")).all()
    assert actions == ["proposal.create", "proposal.submit"]


def test_submit_button_sends_at_once(app, as_user):
    client = as_user("commune_a")
    response = client.post("/proposals/new", data=valid_data(app, new_form(client), intent="submit"))
    assert response.status_code == 303
    with app.app_context():
        assert db.session.scalar(select(Proposal.state)) == workflow.SUBMITTED


def test_double_submit_with_the_same_key_creates_one_proposal(app, as_user):
    client = as_user("commune_a")
    data = valid_data(app, new_form(client), intent="submit")
    first = client.post("/proposals/new", data=data)
    second = client.post("/proposals/new", data=data)
    assert first.status_code == second.status_code == 303
    assert first.headers["Location"] == second.headers["Location"]
    assert count(app) == 1
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(ProposalEvent).where(ProposalEvent.action == "submit")) == 1


def test_another_users_key_never_reaches_their_proposal(app, as_user):
    first = as_user("commune_a")
    data = valid_data(app, new_form(first))
    assert first.post("/proposals/new", data=data).status_code == 303
    other = as_user("commune_b")
    response = other.post("/proposals/new", data=data)
    assert response.status_code == 303
    assert count(app) == 2
    with app.app_context():
        communes = {p.commune.name for p in db.session.scalars(select(Proposal))}
    assert communes == {"Xã Ia Boòng", "Phường Pleiku"}


BAD_INPUT = [
    ({"title": ""}, "title", "Nhập tiêu đề kiến nghị."),
    ({"title": "Đ" * 301}, "title", "Tiêu đề dài tối đa 300 ký tự; bạn đã nhập 301 ký tự."),
    ({"content": "   "}, "content", "Nhập nội dung kiến nghị."),
    ({"content": "x" * 20_001}, "content", "Nội dung dài tối đa 20.000 ký tự; bạn đã nhập 20.001 ký tự."),
    ({"requested_amount": "-5000000"}, "requested_amount", "Số tiền đề nghị không được âm."),
    ({"requested_amount": "một tỷ"}, "requested_amount", "Số tiền chỉ gồm chữ số"),
    ({"field_id": "999999"}, "field_id", "Chọn lĩnh vực trong danh sách."),
    ({"field_id": "abc"}, "field_id", "Chọn lĩnh vực trong danh sách."),
    ({"meeting_id": "424242"}, "meeting_id", "Chọn hội nghị trong danh sách hoặc để trống."),
]


@pytest.mark.parametrize(("override", "field", "message"), BAD_INPUT)
def test_bad_input_gets_a_message_next_to_the_field_and_keeps_the_text(app, as_user, override, field, message):
    client = as_user("commune_a")
    data = valid_data(app, new_form(client), **override)
    response = client.post("/proposals/new", data=data)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    error = re.search(rf'<small id="{field}-error" class="field-error">([^<]*)</small>', body)
    assert error and message in error.group(1)
    assert f'aria-describedby="{field}-error"' in body
    if field != "title":
        assert "Xây dựng mới trường học cho làng Ia Tăng" in body  # what was typed stays
    assert count(app) == 0


def test_ten_megabytes_of_text_is_refused_next_to_the_field(app, as_user):
    client = as_user("commune_a")
    huge = "Nội dung rất dài. " * (10 * 1024 * 1024 // 18)
    # Encoded here, so the test client keeps the 10 MB body in memory rather than in a temp file.
    boundary, body = encode_multipart(valid_data(app, new_form(client), content=huge))
    response = client.post("/proposals/new", data=body, content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert re.search(r'id="content-error" class="field-error">Nội dung dài tối đa 20.000 ký tự', body)
    assert "Xây dựng mới trường học cho làng Ia Tăng" in body
    assert count(app) == 0


def test_html_in_content_is_stored_as_typed_and_shown_escaped(app, as_user):
    client = as_user("commune_a")
    script = '<script>alert("x")</script><b>đậm</b>'
    response = client.post("/proposals/new", data=valid_data(app, new_form(client), title=script, content=script))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<script>alert" not in page and "<b>đậm</b>" not in page
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;đậm&lt;/b&gt;" in page
    with app.app_context():
        assert db.session.scalar(select(Proposal.content)) == script


def test_forged_unit_id_is_ignored_the_commune_comes_from_the_author(app, as_user, users):
    client = as_user("commune_a")
    other = unit_id(app, "Phường Pleiku")
    data = valid_data(app, new_form(client), commune_unit_id=other, unit_id=other, author_id=users["leader"].id)
    assert client.post("/proposals/new", data=data).status_code == 303
    with app.app_context():
        proposal = db.session.scalar(select(Proposal))
        assert (proposal.commune_unit_id, proposal.author_id) == (users["commune_a"].unit_id, users["commune_a"].id)


def test_amount_accepts_what_people_type(app, as_user):
    client = as_user("commune_a")
    client.post("/proposals/new", data=valid_data(app, new_form(client), requested_amount="2 500 000 000 đ"))
    client.post("/proposals/new", data=valid_data(app, new_form(client), requested_amount=""))
    with app.app_context():
        amounts = sorted(db.session.scalars(select(Proposal.requested_amount)), key=lambda v: v or 0)
    assert amounts == [None, 2_500_000_000]


def test_two_editors_the_second_save_is_refused_and_keeps_its_text(app, make_proposal, as_user, login_as):
    proposal_id = make_proposal(workflow.DRAFT, title="Tiêu đề gốc")
    first, second = as_user("commune_a"), login_as("commune_a")  # same unit, two browsers
    page_1 = first.get(f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    page_2 = second.get(f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    fid = field_id(app)
    saved = first.post(f"/proposals/{proposal_id}/edit", data={
        "title": "Tiêu đề của người thứ nhất", "content": "Nội dung 1", "field_id": fid, "version": version_on(page_1)})
    assert saved.status_code == 303
    refused = second.post(f"/proposals/{proposal_id}/edit", data={
        "title": "Tiêu đề của người thứ hai", "content": "Nội dung người thứ hai gõ", "field_id": fid,
        "version": version_on(page_2)})
    assert refused.status_code == 409
    body = refused.get_data(as_text=True)
    assert re.search(r'id="title-error" class="field-error">Người khác vừa lưu hồ sơ này trong lúc bạn sửa', body)
    assert "Tiêu đề của người thứ hai" in body and "Nội dung người thứ hai gõ" in body
    # What the other person changed is shown, with who saved it.
    notice = body.split("data-conflict", 1)[1].split("</div>", 1)[0]
    assert "Rơ Châm Hiền vừa lưu hồ sơ này" in notice
    assert "<dt>Tiêu đề</dt><dd class=\"pre-line\">Tiêu đề của người thứ nhất</dd>" in notice
    assert "Nội dung 1" in notice
    proposal = load(app, proposal_id)
    assert (proposal.title, proposal.content) == ("Tiêu đề của người thứ nhất", "Nội dung 1")
    # The form now carries the current version: one more click saves on top of it.
    assert version_on(body) == str(proposal.version)
    again = second.post(f"/proposals/{proposal_id}/edit", data={
        "title": "Tiêu đề của người thứ hai", "content": "Nội dung người thứ hai gõ", "field_id": fid,
        "version": version_on(body)})
    assert again.status_code == 303
    proposal = load(app, proposal_id)
    assert (proposal.title, proposal.content) == ("Tiêu đề của người thứ hai", "Nội dung người thứ hai gõ")


def test_a_returned_proposal_is_edited_and_resubmitted(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.RETURNED)
    client = as_user("commune_a")
    page = client.get(f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    assert "Bổ sung khái toán kinh phí." in page  # the province's reason shows on the form
    response = client.post(f"/proposals/{proposal_id}/edit", data={
        "title": "Đầu tư đường giao thông liên thôn (bổ sung)", "content": "Khái toán: 7 tỷ đồng.",
        "field_id": field_id(app), "version": version_on(page), "intent": "submit"})
    assert response.status_code == 303
    proposal = load(app, proposal_id)
    assert proposal.state == workflow.SUBMITTED and proposal.return_reason is None
    assert [e.action for e in proposal.events][-3:] == ["return", "edit", "submit"]


def test_a_submitted_proposal_cannot_be_edited_or_deleted(app, make_proposal, as_user):
    proposal_id = make_proposal(workflow.SUBMITTED)
    client = as_user("commune_a")
    assert client.get(f"/proposals/{proposal_id}/edit").status_code == 409
    response = client.post(f"/proposals/{proposal_id}/delete", data={"delete-version": "2"})
    assert response.status_code == 409
    assert load(app, proposal_id).state == workflow.SUBMITTED


def test_a_draft_can_be_deleted_with_its_files(app, as_user):
    client = as_user("commune_a")
    response = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), attachments=[(io.BytesIO(b"%PDF-1.4 x"), "Tờ trình.pdf")]))
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    deleted = client.post(f"/proposals/{proposal_id}/delete", data={"delete-version": version_on(page, "delete-")})
    assert deleted.status_code == 303 and deleted.headers["Location"] == "/proposals/"
    assert count(app) == 0 and count(app, Attachment) == 0 and count(app, ProposalEvent) == 0
    with app.app_context():
        assert db.session.scalar(select(AuditEvent.action).order_by(AuditEvent.id.desc())) == "proposal.delete"
    assert os.listdir(app.config["UPLOAD_FOLDER"]) == []  # the file is gone from the disk too


def test_a_file_too_large_is_refused_next_to_the_field(app, as_user):
    app.config["MAX_UPLOAD_BYTES"] = 1000
    client = as_user("commune_a")
    response = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), attachments=[(io.BytesIO(b"%PDF-1.4" + b"x" * 2000), "Bản vẽ.pdf")]))
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert re.search(r'id="attachments-error" class="field-error">Tệp Bản vẽ.pdf vượt quá dung lượng cho phép.', body)
    assert "Xây dựng mới trường học cho làng Ia Tăng" in body
    assert count(app) == 0 and count(app, Attachment) == 0


def test_a_request_over_the_limit_gets_the_413_page(app, as_user):
    client = as_user("commune_a")
    key = new_form(client)
    app.config["MAX_CONTENT_LENGTH"] = 50_000
    response = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, key, attachments=[(io.BytesIO(b"%PDF-1.4" + b"x" * 60_000), "Lớn.pdf")]))
    assert response.status_code == 413
    assert "Tệp quá lớn" in response.get_data(as_text=True)
    assert count(app) == 0


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("Tờ trình.pdf", b"<html><body>not a pdf</body></html>", "Nội dung tệp Tờ trình.pdf không đúng định dạng PDF."),
        ("Ảnh.png", b"%PDF-1.4 a pdf named png", "Nội dung tệp Ảnh.png không đúng định dạng PNG."),
        ("virus.exe", b"MZ\x90\x00", "Chỉ nhận tệp PDF, DOC, DOCX, XLS, XLSX, JPG, PNG."),
    ],
)
def test_a_file_whose_content_does_not_match_is_refused(app, as_user, name, content, message):
    client = as_user("commune_a")
    response = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), attachments=[(io.BytesIO(content), name)]))
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert count(app) == 0 and count(app, Attachment) == 0


def test_a_file_can_be_removed_from_a_draft_only(app, as_user, make_proposal, users):
    client = as_user("commune_a")
    response = client.post("/proposals/new", content_type="multipart/form-data", data=valid_data(
        app, new_form(client), attachments=[(io.BytesIO(b"%PDF-1.4 sai"), "Nhầm tệp.pdf")]))
    proposal_id = int(response.headers["Location"].rsplit("/", 1)[1])
    with app.app_context():
        attachment_id = db.session.scalar(select(Attachment.id))
    assert "Xóa tệp" in client.get(f"/proposals/{proposal_id}/edit").get_data(as_text=True)
    assert as_user("commune_b").post(f"/proposals/{proposal_id}/files/{attachment_id}/remove").status_code == 404
    removed = client.post(f"/proposals/{proposal_id}/files/{attachment_id}/remove")
    assert removed.status_code == 303 and removed.headers["Location"] == f"/proposals/{proposal_id}/edit"
    assert count(app, Attachment) == 0 and os.listdir(app.config["UPLOAD_FOLDER"]) == []
    assert [e.action for e in load(app, proposal_id).events] == ["create", "remove_file"]
    # Once the province has the proposal, its files stay.
    returned = make_proposal(workflow.RETURNED)
    with app.app_context():
        from app.attachments import storage
        from app.models import User
        from app.proposals import services
        from app.proposals.models import Proposal as P

        kept = services.add_attachments(db.session.get(P, returned), db.session.get(User, users["commune_a"].id),
                                        [storage.CheckedFile("Đã gửi.pdf", "pdf", b"%PDF-1.4 ok")])[0]
        db.session.commit()
        kept_id = kept.id
    assert "Xóa tệp" not in client.get(f"/proposals/{returned}/edit").get_data(as_text=True)
    assert client.post(f"/proposals/{returned}/files/{kept_id}/remove").status_code == 409
    assert client.post(f"/proposals/{returned}/files/999999/remove").status_code == 404
    assert count(app, Attachment) == 1


def test_a_forged_or_missing_key_still_creates_the_proposal(app, as_user):
    client = as_user("commune_a")
    for key in ("x", "<script>", ""):
        assert client.post("/proposals/new", data=valid_data(app, key)).status_code == 303
    assert count(app) == 3
    with app.app_context():
        assert db.session.scalars(select(Proposal.idempotency_key)).all() == [None, None, None]
