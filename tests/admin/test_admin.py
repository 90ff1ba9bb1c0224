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
    assert "chỉ có vai trò cán bộ xã, phường" in response.get_data(as_text=True)


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
    assert 'data-action="settings.update"' in body and "Sửa cấu hình" in body and "quantri" in body
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
