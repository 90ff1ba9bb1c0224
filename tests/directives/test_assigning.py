"""Assigning a directive: 135 communes in one go, no duplicates, picked lists, bad input."""

import time

import pytest
from sqlalchemy import func, select

from app.directives import assigning, services
from app.directives.models import Assignment, AssignmentEvent, Directive
from app.extensions import db
from app.models import AuditEvent, Unit, User
from tests.directives.conftest import unit_id


def _count(app, model, *where):
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model).where(*where))


def test_broadcast_to_all_communes_creates_135_assignments_fast(app, users, make_directive):
    directive_id = make_directive()
    with app.app_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        directive = db.session.get(Directive, directive_id)
        started = time.perf_counter()
        unit_ids = services.units_for_scope(services.SCOPE_ALL_COMMUNES)
        result = services.assign_to_units(directive, unit_ids, "lead", coordinator)
        db.session.commit()
        elapsed = time.perf_counter() - started
    print(f"\nbroadcast to {result.created} units: {elapsed * 1000:.1f} ms")
    assert result.created == 135 and result.skipped == 0
    assert elapsed < 1.0
    assert _count(app, Assignment, Assignment.directive_id == directive_id) == 135
    # One timeline line per assignment, one audit event for the broadcast.
    assert _count(app, AssignmentEvent, AssignmentEvent.kind == "assigned") == 135
    assert _count(app, AuditEvent, AuditEvent.action == "directive.assign") == 1


def test_submitting_the_assign_form_twice_creates_no_duplicates(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    url = f"/directives/{directive_id}/assign"
    first = client.post(url, data={"scope": "all_communes", "role": "lead"})
    assert first.status_code == 303
    assert first.headers["Location"] == f"/directives/{directive_id}"
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    assert "Đã giao nhiệm vụ cho 135 đơn vị." in page
    assert "0/135 đơn vị đã hoàn thành" in page
    second = client.post(url, data={"scope": "all_communes", "role": "lead"})
    assert second.status_code == 303
    page = client.get(second.headers["Location"]).get_data(as_text=True)
    assert "135 đơn vị đã được giao trước đó, không giao lại." in page
    assert _count(app, Assignment, Assignment.directive_id == directive_id) == 135
    assert _count(app, AssignmentEvent) == 135


def test_unique_constraint_holds_even_if_the_skip_check_is_bypassed(app, users, make_directive, assign):
    directive_id = make_directive()
    assign(directive_id, ["Xã Ia Boòng"])
    with app.app_context():
        coordinator = db.session.get(User, users["coordinator"].id)
        directive = db.session.get(Directive, directive_id)
        # A racing request that did not see the first insert: ON CONFLICT DO NOTHING keeps one row.
        statement = assigning._insert_ignoring_duplicates(Assignment.__table__).returning(Assignment.__table__.c.id)
        rows = db.session.execute(statement, [{
            "directive_id": directive.id, "unit_id": unit_id("Xã Ia Boòng"), "role": "lead", "state": "in_progress",
            "assigned_by_id": coordinator.id, "version": 1,
        }]).all()
        db.session.commit()
    assert rows == []
    assert _count(app, Assignment, Assignment.directive_id == directive_id) == 1


def test_all_provincial_bodies_then_communes_as_support(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    url = f"/directives/{directive_id}/assign"
    assert client.post(url, data={"scope": "all_bodies", "role": "lead"}).status_code == 303
    assert client.post(url, data={"scope": "all_communes", "role": "support"}).status_code == 303
    with app.app_context():
        roles = dict(db.session.execute(
            select(Assignment.role, func.count()).where(Assignment.directive_id == directive_id).group_by(Assignment.role)
        ).all())
        # Every body that works: not the Tỉnh ủy or the UBND tỉnh, which only issue documents.
        bodies = db.session.scalar(select(func.count()).select_from(Unit).where(
            Unit.kind.not_in(("xa", "phuong", "dac_khu", "leading_body"))))
    assert roles == {"lead": bodies, "support": 135}


def test_picked_units(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    with app.app_context():
        picked = [str(unit_id("SXD")), str(unit_id("Xã Ia Boòng"))]
    response = client.post(f"/directives/{directive_id}/assign", data={"scope": "picked", "role": "lead", "unit_ids": picked})
    assert response.status_code == 303
    with app.app_context():
        assigned = set(db.session.scalars(select(Assignment.unit_id).where(Assignment.directive_id == directive_id)))
        assert assigned == {int(p) for p in picked}


def test_forged_or_missing_unit_ids_are_refused_next_to_the_picker(app, login_as, make_directive):
    directive_id = make_directive()
    client = login_as("coordinator")
    url = f"/directives/{directive_id}/assign"
    cases = {
        ("abc",): "Danh sách đơn vị có giá trị không hợp lệ.",
        ("999999",): "Có đơn vị không tồn tại hoặc đã ngừng hoạt động",
        (): "Chọn ít nhất một đơn vị.",
    }
    for unit_ids, message in cases.items():
        response = client.post(url, data={"scope": "picked", "role": "lead", "unit_ids": list(unit_ids)})
        assert response.status_code == 400
        body = response.get_data(as_text=True)
        assert message in body and 'id="unit-picker-error"' in body
    bad_role = client.post(url, data={"scope": "all_communes", "role": "boss"})
    assert bad_role.status_code == 400
    assert "Lựa chọn không hợp lệ." in bad_role.get_data(as_text=True)
    assert _count(app, Assignment) == 0


def test_inactive_unit_cannot_be_picked(app, login_as, make_directive):
    directive_id = make_directive()
    with app.app_context():
        unit = db.session.get(Unit, unit_id("Phường Pleiku"))
        unit.active = False
        db.session.commit()
        picked = str(unit.id)
    client = login_as("coordinator")
    response = client.post(f"/directives/{directive_id}/assign", data={"scope": "picked", "role": "lead", "unit_ids": [picked]})
    assert response.status_code == 400
    assert _count(app, Assignment) == 0
    # ... and the "all communes" shortcut leaves it out.
    client.post(f"/directives/{directive_id}/assign", data={"scope": "all_communes", "role": "lead"})
    assert _count(app, Assignment) == 134


def test_unit_picker_search_and_select_all_keep_ticked_units(app, login_as, make_directive, assign):
    directive_id = make_directive()
    assign(directive_id, ["Xã Ia Boòng"])
    client = login_as("coordinator")
    url = f"/directives/{directive_id}/assign"
    with app.app_context():
        sxd = unit_id("SXD")
    # Search without diacritics, as a fragment, keeping SXD ticked though it is not shown.
    response = client.get(url, query_string={"unit_q": "ia boong", "unit_ids": [str(sxd)]}, htmx=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "<html" not in body
    assert 'id="unit-picker"' in body
    assert "Xã Ia Boòng" in body and "(đã giao)" in body
    assert f'<input type="hidden" name="unit_ids" value="{sxd}">' in body
    # Select all communes: 134 ticked (Ia Boòng is already assigned) plus SXD kept.
    response = client.get(url, query_string={"level": "commune", "select": "all", "unit_ids": [str(sxd)]}, htmx=True)
    body = response.get_data(as_text=True)
    assert 'data-selected-count="135"' in body
    assert body.count('name="unit_ids"') == 135  # 134 checkboxes + 1 hidden
    # Without JavaScript the same GET renders the whole page.
    page = client.get(url, query_string={"level": "commune", "select": "all"})
    assert "<html" in page.get_data(as_text=True)


def test_a_nul_byte_in_the_picker_search_sent_with_the_form_is_dropped(app, login_as, make_directive):
    """The picker's search box is read from the request, not a form field: a NUL reached PostgreSQL."""
    directive_id = make_directive()
    response = login_as("coordinator").post(f"/directives/{directive_id}/assign", data={
        "scope": "picked", "role": "lead", "unit_q": "ia\x00 boong\u200b",
    })
    assert response.status_code == 400  # nothing picked: the picker says so
    body = response.get_data(as_text=True)
    assert 'value="ia boong"' in body and "Xã Ia Boòng" in body


@pytest.mark.parametrize("role", ["commune_a", "department", "leader", "admin"])
def test_only_the_coordinator_assigns(app, login_as, make_directive, role):
    directive_id = make_directive()
    client = login_as(role)
    assert client.get(f"/directives/{directive_id}/assign").status_code == 403
    assert client.post(f"/directives/{directive_id}/assign", data={"scope": "all_communes", "role": "lead"}).status_code == 403
    assert _count(app, Assignment) == 0
