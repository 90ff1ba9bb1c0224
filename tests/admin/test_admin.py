import re

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.models import AuditEvent, Field, Setting, Unit, User

ADMIN_PAGES = ["/admin/users", "/admin/users/new", "/admin/units", "/admin/units/new", "/admin/fields",
               "/admin/fields/new", "/admin/settings", "/admin/audit"]


@pytest.mark.parametrize("path", ADMIN_PAGES)
@pytest.mark.parametrize("role", ["commune_a", "department", "coordinator", "leader"])
def test_other_roles_get_403(login_as, role, path):
    client = login_as(role)
    response = client.get(path)
    assert response.status_code == 403
    assert "Không có quyền truy cập" in response.get_data(as_text=True)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_anonymous_goes_to_login(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login?next=" + path.replace("/", "%2F")) or \
        response.headers["Location"].startswith("/login?next=" + path)


@pytest.mark.parametrize("path", ADMIN_PAGES)
def test_admin_sees_every_page(login_as, path):
    assert login_as("admin").get(path).status_code == 200


def test_user_list_search_folds_marks(login_as):
    client = login_as("admin")
    body = client.get("/admin/users?q=ia boong").get_data(as_text=True)
    assert "xa.a" in body and "xa.b" not in body
    fragment = client.get("/admin/users?q=pham quoc", headers={"HX-Request": "true"})
    text = fragment.get_data(as_text=True)
    assert "<html" not in text and "vanphong" in text and "xa.a" not in text
    assert "HX-Request" in fragment.headers["Vary"]


def test_admin_creates_user_with_generated_password(login_as, app):
    client = login_as("admin")
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "STC"))
    response = client.post("/admin/users/new", data={
        "username": "ketoan.stc", "full_name": "Võ Thị Thu", "email": "", "role": "department", "unit_id": unit_id,
    })
    assert response.status_code == 201
    password = re.search(r'data-testid="generated-password">([^<]+)<', response.get_data(as_text=True)).group(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "ketoan.stc"))
        assert user.full_name == "Võ Thị Thu" and user.unit.code == "STC"
        assert user.check_password(password) and user.must_change_password
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.create", AuditEvent.object_id == str(user.id)))


@pytest.mark.parametrize(
    ("data", "field_message"),
    [
        ({"username": "", "full_name": "A"}, "Nhập tên đăng nhập."),
        ({"username": "Có Dấu", "full_name": "A"}, "chữ thường không dấu"),
        ({"username": "vanphong", "full_name": "A"}, "Tên đăng nhập đã tồn tại"),
        ({"username": "moi.user", "full_name": ""}, "Nhập họ và tên."),
        ({"username": "moi.user", "full_name": "A", "email": "khong-phai-email"}, "Địa chỉ thư điện tử không hợp lệ."),
        ({"username": "moi.user", "full_name": "A", "unit_id": "999999"}, "Lựa chọn không hợp lệ."),
        ({"username": "moi.user", "full_name": "Võ Thị\r\nThu"}, "Ghi trên một dòng, không xuống dòng."),
    ],
)
def test_admin_create_user_bad_input(login_as, app, data, field_message):
    client = login_as("admin")
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "STC"))
    form = {"email": "", "role": "department", "unit_id": unit_id, **data}
    response = client.post("/admin/users/new", data=form)
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert 'class="field-error"' in body
    assert field_message in body
    with app.app_context():
        assert db.session.scalar(select(User).where(User.username == "moi.user")) is None


def test_commune_unit_only_takes_commune_role(login_as, app):
    client = login_as("admin")
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.name == "Xã Ia Boòng"))
    response = client.post("/admin/users/new", data={
        "username": "lanh.dao.xa", "full_name": "A", "role": "leader", "unit_id": unit_id, "email": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Xã Ia Boòng là xã, phường: tài khoản ở đây chỉ có vai trò «Cán bộ xã, phường»" in body
    assert "hoặc chọn một cơ quan cấp tỉnh ở ô Đơn vị" in body


def test_commune_role_at_a_provincial_body_says_what_to_do(login_as, app):
    client = login_as("admin")
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "SXD"))
    response = client.post("/admin/users/new", data={
        "username": "can.bo.so", "full_name": "A", "role": "commune", "unit_id": unit_id, "email": ""})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Vai trò «Cán bộ xã, phường» chỉ dùng cho tài khoản của xã, phường. Chọn một xã, phường ở ô Đơn vị" in body


def _selected(body: str, name: str) -> str:
    select_html = re.search(rf'<select[^>]*name="{name}".*?</select>', body, re.S).group(0)
    selected = re.search(r'<option selected value="([^"]*)"|<option value="([^"]*)" selected', select_html)
    if selected:
        return selected.group(1) or selected.group(2)
    return re.search(r'<option[^>]*value="([^"]*)"', select_html).group(1)  # the browser's default


def test_new_user_form_saves_with_its_defaults(login_as, app):
    client = login_as("admin")
    body = client.get("/admin/users/new").get_data(as_text=True)
    role, unit_id = _selected(body, "role"), _selected(body, "unit_id")
    response = client.post("/admin/users/new", data={
        "username": "mac.dinh", "full_name": "Người Mặc Định", "role": role, "unit_id": unit_id, "email": ""})
    assert response.status_code == 201
    with app.app_context():
        assert db.session.scalar(select(User.role).where(User.username == "mac.dinh")) == role


def test_disable_and_reset_password(login_as, app, users, auth):
    client = login_as("admin")
    target = users["commune_b"].id
    response = client.post(f"/admin/users/{target}/active")
    assert response.status_code == 303
    with app.app_context():
        assert db.session.get(User, target).active is False
    response = client.post(f"/admin/users/{target}/reset-password")
    assert response.status_code == 200
    password = re.search(r'data-testid="generated-password">([^<]+)<', response.get_data(as_text=True)).group(1)
    # Disabled accounts cannot log in even with the new password.
    assert auth.login("commune_b", password=password).status_code == 401


def test_admin_cannot_disable_self(login_as, users, app):
    client = login_as("admin")
    response = client.post(f"/admin/users/{users['admin'].id}/active", follow_redirects=True)
    assert "Bạn không thể tự khóa tài khoản của mình." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, users["admin"].id).active


def test_change_role_and_unit(login_as, app, users):
    client = login_as("admin")
    user_id = users["department_other"].id
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "UB-VP"))
    data = {"full_name": "Lê Thị Hoa", "email": "hoa@example.vn", "role": "coordinator", "unit_id": unit_id, "version": version}
    assert client.post(f"/admin/users/{user_id}", data=data).status_code == 303
    with app.app_context():
        user = db.session.get(User, user_id)
        assert user.role == "coordinator" and user.unit.code == "UB-VP"
    # The same (now stale) form saved again is refused and keeps the typed text.
    data["full_name"] = "Tên mới bị từ chối"
    response = client.post(f"/admin/users/{user_id}", data=data)
    assert response.status_code == 409
    assert "Tên mới bị từ chối" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).full_name == "Lê Thị Hoa"


def test_a_commune_is_lower_case_in_the_edit_heading(login_as, app):
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.name == "Xã Ia Boòng"))
    page = login_as("admin").get(f"/admin/units/{unit_id}/edit").get_data(as_text=True)
    assert "<h1>Sửa đơn vị xã Ia Boòng</h1>" in page  # issue 14 §6: a unit's kind word is lower case in a sentence


def test_unit_in_place_edit(login_as, app):
    client = login_as("admin")
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "SYT"))
        unit_id = unit.id
    form = client.get(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"})
    assert "<html" not in form.get_data(as_text=True) and "<form" in form.get_data(as_text=True)
    response = client.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}, data={
        "name": "Sở Y tế", "contact_name": "Bác sĩ Nguyễn Văn An", "contact_phone": "0269 3824 123",
        "contact_email": "", "active": "y"})
    assert response.status_code == 200
    row = response.get_data(as_text=True)
    assert row.startswith('<tr id="unit-row-') and "Bác sĩ Nguyễn Văn An" in row
    bad = client.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}, data={
        "name": "", "contact_phone": "gọi tôi", "active": "y"})
    assert bad.status_code == 400
    assert "Nhập tên đơn vị." in bad.get_data(as_text=True)
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert unit.contact_name == "Bác sĩ Nguyễn Văn An" and unit.name == "Sở Y tế"


def test_unit_list_filters(login_as):
    client = login_as("admin")
    body = client.get("/admin/units?level=commune&q=dak doa").get_data(as_text=True)
    assert "Xã Đak Đoa" in body and "Sở Nội vụ" not in body


def test_add_provincial_body_and_field(login_as, app):
    client = login_as("admin")
    response = client.post("/admin/units/new", data={"code": "BDT", "name": "Ban Dân tộc tỉnh", "kind": "state_body", "active": "y"})
    assert response.status_code == 303
    response = client.post("/admin/units/new", data={"code": "BDT", "name": "Trùng mã", "kind": "state_body"})
    assert response.status_code == 400 and "Mã đơn vị đã tồn tại." in response.get_data(as_text=True)
    with app.app_context():
        lead = db.session.scalar(select(Unit.id).where(Unit.code == "BDT"))
    response = client.post("/admin/fields/new", data={"name": "Dân tộc, tôn giáo", "default_lead_unit_id": lead,
                                                      "default_answer_days": "45", "active": "y", "version": ""})
    assert response.status_code == 303
    with app.app_context():
        field = db.session.scalar(select(Field).where(Field.name == "Dân tộc, tôn giáo"))
        assert field.default_answer_days == 45 and field.default_lead_unit.code == "BDT"
    response = client.post("/admin/fields/new", data={"name": "Giao thông", "default_lead_unit_id": 0, "default_answer_days": "0"})
    assert response.status_code == 400
    body = response.get_data(as_text=True)
    assert "Đã có lĩnh vực cùng tên." in body or "Thời hạn từ 1 đến 365 ngày." in body


def test_settings(login_as, app):
    client = login_as("admin")
    assert 'value="30"' in client.get("/admin/settings").get_data(as_text=True)
    assert client.post("/admin/settings", data={"default_answer_days": "45", "due_soon_days": "5"}).status_code == 303
    with app.app_context():
        assert db.session.get(Setting, "default_answer_days").value == "45"
    response = client.post("/admin/settings", data={"default_answer_days": "-1", "due_soon_days": "5"})
    assert response.status_code == 400 and "Từ 1 đến 365 ngày." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Setting, "default_answer_days").value == "45"


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", "", html).split())


def test_audit_log_lists_writes(login_as):
    client = login_as("admin")
    client.post("/admin/settings", data={"default_answer_days": "40", "due_soon_days": "3"})
    body = client.get("/admin/audit?action=settings").get_data(as_text=True)
    assert 'data-action="settings.update"' in body and "Sửa cài đặt" in body and "quantri" in body
    # Vietnamese field names, only what changed, before → after; no raw JSON.
    assert "Thời hạn trả lời mặc định (ngày): 30 → 40" in _text(body)
    assert "Số ngày cảnh báo trước hạn" not in body.split("<tbody>")[1]
    assert "default_answer_days" not in body


def test_audit_log_shows_dates_and_names_as_a_clerk_reads_them(login_as, app):
    client = login_as("admin")
    client.post("/admin/days-off/", data={"date": "02/01/2026", "reason": "Quyết định 12/QĐ-UBND", "kind": "day_off"})
    body = client.get("/admin/audit?object_type=days_off").get_data(as_text=True)
    row = body.split("<tbody>")[1]
    assert "Thêm ngày vào lịch làm việc" in row and "Lịch làm việc số" in row
    assert "Ngày: 02/01/2026" in _text(row) and "Loại: Nghỉ riêng của tỉnh" in _text(row)
    assert "2026-01-02" not in row and "{" not in row


def test_a_full_name_with_a_line_break_is_refused_on_edit(login_as, app, users):
    client = login_as("admin")
    user_id = users["department_other"].id
    page = client.get(f"/admin/users/{user_id}").get_data(as_text=True)
    version = re.search(r'name="version" type="hidden" value="(\d+)"', page).group(1)
    data = {"full_name": "Lê Thị\nHoa", "email": "", "role": "department", "unit_id": users["department_other"].unit_id,
            "version": version}
    response = client.post(f"/admin/users/{user_id}", data=data)
    assert response.status_code == 400
    assert "Ghi trên một dòng, không xuống dòng." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, user_id).full_name == "Lê Thị Hoa"


def test_a_unit_changed_meanwhile_is_not_overwritten_and_the_typed_text_stays(login_as, app):
    first, second = login_as("admin"), login_as("admin")
    with app.app_context():
        unit_id = db.session.scalar(select(Unit.id).where(Unit.code == "SYT"))
    version = re.search(r'name="version" type="hidden" value="(\d+)"',
                        second.get(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}).get_data(as_text=True)).group(1)
    saved = first.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}, data={
        "name": "Sở Y tế", "contact_name": "Nguyễn Văn An", "contact_phone": "", "contact_email": "", "active": "y",
        "version": version})
    assert saved.status_code == 200
    late = second.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}, data={
        "name": "Sở Y tế tỉnh", "contact_name": "Trần Thị Bình", "contact_phone": "", "contact_email": "", "active": "y",
        "version": version})
    body = late.get_data(as_text=True)
    assert late.status_code == 409
    assert "Đơn vị vừa được người khác sửa" in body and "Trần Thị Bình" in body
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert (unit.name, unit.contact_name) == ("Sở Y tế", "Nguyễn Văn An")
        assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
            AuditEvent.action == "unit.update", AuditEvent.object_id == str(unit_id))) == 1


def test_admin_edits_a_units_printed_header_and_reports_print_it(login_as, app):
    client = login_as("admin")
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "SGDDT"))
        unit_id, version = unit.id, unit.version
    form = client.get(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert 'value="SGDĐT"' in form and "SỞ GIÁO DỤC VÀ ĐÀO TẠO" in form and "Soạn văn bản thay mặt cho" in form
    data = {"name": "Sở Giáo dục và Đào tạo", "contact_email": "", "active": "y", "version": version,
            "doc_superior": "UBND TỈNH GIA LAI", "doc_name": "SỞ GIÁO DỤC\n  VÀ ĐÀO TẠO \n\n", "doc_abbr": "SGDĐT",
            "doc_place": "Gia Lai", "doc_signer": "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC", "doc_layout": "state",
            "doc_drafts_for": ""}
    bad = client.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"},
                      data={**data, "doc_abbr": "SGD ĐT/2", "doc_layout": "other"})
    assert bad.status_code == 400
    text = bad.get_data(as_text=True)
    assert "Chữ viết tắt không có dấu cách hay dấu “/”" in text and "SỞ GIÁO DỤC" in text  # typed text kept
    assert client.post(f"/admin/units/{unit_id}/edit", headers={"HX-Request": "true"}, data=data).status_code == 200
    with app.app_context():
        unit = db.session.get(Unit, unit_id)
        assert (unit.doc_name, unit.doc_signer) == ("SỞ GIÁO DỤC\nVÀ ĐÀO TẠO", "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC")
        event = db.session.scalar(select(AuditEvent).where(
            AuditEvent.action == "unit.update", AuditEvent.object_id == str(unit_id)))
        assert event.after["doc_signer"] == "KT. GIÁM ĐỐC\nPHÓ GIÁM ĐỐC"
        user = db.session.scalar(select(User).where(User.username == "so.nv"))
        user.unit_id = unit_id
        db.session.commit()
    log = _text(client.get("/admin/audit?object_type=units").get_data(as_text=True))
    assert "Chức vụ người ký mặc định" in log and "Tên cơ quan in trên văn bản" in log
    assert "doc_" not in log
    page = login_as("department_other").get("/reports/unit").get_data(as_text=True)
    assert "SỞ GIÁO DỤC</div>" in page and "VÀ ĐÀO TẠO</div>" in page and "/BC-SGDĐT" in page
    assert "KT. GIÁM ĐỐC</div>" in page and "- Lưu: VT, SGDĐT." in page


def test_a_new_body_starts_with_a_header_from_its_kind(login_as, app):
    client = login_as("admin")
    response = client.post("/admin/units/new", data={
        "code": "BDT", "name": "Ban Dân tộc tỉnh", "kind": "state_body", "active": "y", "doc_drafts_for": ""})
    assert response.status_code == 303
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.code == "BDT"))
        assert (unit.doc_superior, unit.doc_name, unit.doc_abbr, unit.doc_signer, unit.doc_layout) == (
            "UBND TỈNH GIA LAI", "BAN DÂN TỘC TỈNH", "BDT", "TRƯỞNG BAN", "state")


def test_audit_log_of_a_whole_demo_reads_without_raw_data(login_as, app):
    from app.demo import load_demo
    from app.demo_mode import forget_demo_mode

    with app.test_request_context():
        load_demo()
        db.session.commit()
    forget_demo_mode(app)
    client = login_as("admin")
    for object_type in ("", "proposals", "directives", "assignments", "meetings", "users", "extension_requests"):
        response = client.get(f"/admin/audit?object_type={object_type}")
        assert response.status_code == 200
        rows = _text(response.get_data(as_text=True).split("<tbody>")[1].split("</tbody>")[0])
        assert "{" not in rows and "_id" not in rows, object_type
        assert not re.search(r"\d{4}-\d{2}-\d{2}", rows), object_type
