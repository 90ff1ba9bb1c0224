"""flask setup, flask demo and flask users, run through the real CLI on a real database."""

import re

from sqlalchemy import func, select
from vietnam_provinces import Ward

from app.extensions import db
from app.models import Field, Unit, User


def count_units(app, *kinds):
    with app.app_context():
        query = select(func.count()).select_from(Unit)
        if kinds:
            query = query.where(Unit.kind.in_(kinds))
        return db.session.scalar(query)


def test_setup_loads_gia_lai_135_communes(app, runner):
    # The fixture database was made by setup already; running it again adds nothing.
    assert count_units(app, "xa", "phuong", "dac_khu") == 135
    assert count_units(app, "xa") == 110
    assert count_units(app, "phuong") == 25
    result = runner.invoke(args=["setup"])
    assert result.exit_code == 0, result.output
    assert "0 added" in result.output
    assert count_units(app, "xa", "phuong", "dac_khu") == 135
    assert count_units(app, "party_body", "state_body", "mass_org") == 24
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Field)) == 15
        names = set(db.session.scalars(select(Unit.name)))
    assert {"Xã Ia Boòng", "Phường Pleiku", "Sở Nội vụ", "Văn phòng Tỉnh ủy"} <= names


def test_setup_keeps_official_codes_and_kinds(app):
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "Phường Pleiku"))
        ward = next(w for w in Ward.iter_all() if w.name == "Phường Pleiku" and int(w.province_code) == 52)
        assert unit.code == str(int(ward.code))
        assert unit.kind == "phuong"
        assert unit.name_folded == "phuong pleiku"


def test_setup_picks_up_renamed_units(app, runner):
    with app.app_context():
        unit = db.session.scalar(select(Unit).where(Unit.name == "Xã Ia Boòng"))
        unit.name = "Xã Tên Cũ"
        db.session.commit()
    result = runner.invoke(args=["setup"])
    assert "1 renamed" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.name == "Xã Ia Boòng")) == 1
        assert db.session.scalar(select(func.count()).select_from(Unit).where(Unit.name == "Xã Tên Cũ")) == 0


def test_setup_for_another_province_loads_its_own_count(app, runner):
    expected = sum(1 for w in Ward.iter_all() if int(w.province_code) == 1)
    result = runner.invoke(args=["setup", "--province", "1"])
    assert result.exit_code == 0, result.output
    assert "Hà Nội" in result.output
    with app.app_context():
        active = db.session.scalar(
            select(func.count()).select_from(Unit).where(Unit.kind.in_(("xa", "phuong")), Unit.active.is_(True))
        )
    assert active == expected and expected != 135


def test_setup_refuses_unknown_province(runner):
    result = runner.invoke(args=["setup", "--province", "99"])
    assert result.exit_code != 0
    assert "Unknown province code 99" in result.output


def test_setup_admin_account_is_created_once(app, runner):
    with app.app_context():
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        assert admin.role == "admin" and admin.must_change_password
    result = runner.invoke(args=["setup"])
    assert "admin account created" not in result.output


def test_users_create_disable_reset(app, runner):
    result = runner.invoke(args=["users", "create", "can.bo", "--role", "commune", "--unit", "Xã Ia Boòng"])
    assert result.exit_code == 0, result.output
    password = re.search(r"Password: (\S+)", result.output).group(1)
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "can.bo"))
        assert user.unit.name == "Xã Ia Boòng" and user.check_password(password) and user.must_change_password
    result = runner.invoke(args=["users", "create", "so.tc", "--role", "department", "--unit", "STC", "--password", "Mat-khau-dai-1"])
    assert result.exit_code == 0 and "Password:" not in result.output
    result = runner.invoke(args=["users", "disable", "can.bo"])
    assert result.exit_code == 0
    result = runner.invoke(args=["users", "reset-password", "so.tc"])
    new_password = re.search(r"New password for so.tc: (\S+)", result.output).group(1)
    with app.app_context():
        assert db.session.scalar(select(User.active).where(User.username == "can.bo")) is False
        so_tc = db.session.scalar(select(User).where(User.username == "so.tc"))
        assert so_tc.check_password(new_password) and so_tc.must_change_password


def test_users_create_refuses_bad_input(runner):
    result = runner.invoke(args=["users", "create", "x.y", "--role", "commune", "--unit", "Không có"])
    assert result.exit_code != 0 and "no unit" in result.output
    result = runner.invoke(args=["users", "create", "x.y", "--role", "leader", "--unit", "Xã Ia Boòng"])
    assert result.exit_code != 0 and "là xã, phường: tài khoản ở đây chỉ có vai trò" in result.output
    result = runner.invoke(args=["users", "create", "vanphong", "--role", "leader", "--unit", "TU-VP"])
    assert result.exit_code != 0 and "đã tồn tại" in result.output
