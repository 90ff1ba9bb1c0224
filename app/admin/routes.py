"""Admin screens: accounts, units, fields, settings, audit log."""

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from app import audit, idempotency, policy, reference
from app import settings as app_settings
from app.admin import audit_view
from app.admin import services as accounts
from app.admin.forms import (
    FieldForm,
    NewUnitForm,
    SettingsForm,
    UnitForm,
    UserCreateForm,
    UserEditForm,
)
from app.documents import headers
from app.extensions import db
from app.htmx import render
from app.listing import page_number
from app.models import (
    COMMUNE_KINDS,
    LEADING_KIND,
    PARTY_LAYOUT,
    STATE_LAYOUT,
    AuditEvent,
    Field,
    Unit,
    User,
)

bp = Blueprint("admin", __name__)

UNIT_ROW_ID = "unit-row-{}"


@bp.before_request
def require_admin():
    """Every admin screen is for the admin role only."""
    return policy.role_required(policy.ADMIN)(lambda: None)()


def unit_choices(include_inactive: bool = False) -> list[SelectChoice]:
    """Units as select choices: provincial bodies first, then communes in Vietnamese order."""
    query = select(Unit)
    if not include_inactive:
        query = query.where(Unit.active.is_(True))
    units = list(db.session.scalars(query))
    bodies = sorted((u for u in units if not u.is_commune), key=lambda u: u.order_key)
    communes = sorted((u for u in units if u.is_commune), key=lambda u: u.order_key)
    province, local = str(_("Cơ quan cấp tỉnh")), str(_("Xã, phường"))
    return [SelectChoice(u.id, u.name, optgroup=province) for u in bodies] + [
        SelectChoice(u.id, u.name, optgroup=local) for u in communes
    ]


def get_user_or_404(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        abort(404)
    return user


def get_unit_or_404(unit_id: int) -> Unit:
    unit = db.session.get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit


# --- accounts -------------------------------------------------------------------------------


@bp.route("/users")
def users():
    """List and search accounts."""
    q = request.args.get("q", "").strip()[:100]
    page = db.paginate(accounts.search_users(q), page=page_number(), per_page=50, error_out=False)
    return render("admin/users.html", "admin/_users_table.html", page=page, q=q)


@bp.route("/users/new", methods=["GET", "POST"])
def user_create():
    """Create an account with a generated password shown once."""
    form = UserCreateForm()
    form.unit_id.choices = unit_choices()
    if form.validate_on_submit():
        unit = get_unit_or_404(form.unit_id.data)
        try:
            user, password = accounts.create_user(
                form.username.data, form.role.data, unit, full_name=form.full_name.data, email=form.email.data
            )
            user.unit_role = form.unit_role.data
        except accounts.AdminError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            return render_template("admin/password_shown.html", user=user, password=password), 201
    status = 400 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=None), status


@bp.route("/users/<int:user_id>", methods=["GET", "POST"])
def user_edit(user_id):
    """Change an account's name, role and unit."""
    user = get_user_or_404(user_id)
    form = UserEditForm(obj=user)
    form.unit_id.choices = unit_choices(include_inactive=True)
    if request.method == "GET":
        form.version.data = str(user.version)
    if form.validate_on_submit():
        if form.version.data != str(user.version):
            form.full_name.errors.append(_("Tài khoản vừa được người khác sửa. Dữ liệu bạn nhập vẫn còn; hãy tải lại trang để xem bản mới rồi lưu lại."))
            return render_template("admin/user_form.html", form=form, user=user), 409
        try:
            accounts.update_user(
                user, role=form.role.data, unit=get_unit_or_404(form.unit_id.data),
                full_name=form.full_name.data, email=form.email.data, actor=current_user._get_current_object(),
                unit_role=form.unit_role.data,
            )
        except accounts.AdminError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            db.session.commit()
            flash(_("Đã lưu tài khoản %(name)s.", name=user.username), "success")
            return redirect(url_for("admin.users"), 303)
    status = 400 if form.errors else 200
    return render_template("admin/user_form.html", form=form, user=user), status


@bp.route("/users/<int:user_id>/active", methods=["POST"])
def user_toggle_active(user_id):
    """Disable or enable an account."""
    user = get_user_or_404(user_id)
    try:
        accounts.set_active(user, not user.active, actor=current_user._get_current_object())
    except accounts.AdminError as error:
        flash(str(error), "error")
        return redirect(url_for("admin.users", q=request.args.get("q") or None), 303)
    db.session.commit()
    flash(_("Đã mở khóa tài khoản %(name)s.", name=user.username) if user.active
          else _("Đã khóa tài khoản %(name)s.", name=user.username), "success")
    return redirect(url_for("admin.users", q=request.args.get("q") or None), 303)


@bp.route("/users/<int:user_id>/reset-password", methods=["POST"])
def user_reset_password(user_id):
    """Give an account a new random password, shown once."""
    user = get_user_or_404(user_id)
    password = accounts.reset_password(user)
    db.session.commit()
    return render_template("admin/password_shown.html", user=user, password=password)


# --- units ----------------------------------------------------------------------------------


@bp.route("/units")
def units():
    """List units, provincial bodies first, with in-place editing."""
    q = request.args.get("q", "").strip()[:100]
    level = request.args.get("level", "")
    rows = reference.find_units(q, level)
    return render("admin/units.html", "admin/_units_table.html", units=rows, q=q, level=level, row_id=UNIT_ROW_ID)


@bp.route("/units/new", methods=["GET", "POST"])
def unit_create():
    """Add a provincial body (communes come from the official list)."""
    form = NewUnitForm(active=True)
    form.doc_drafts_for.choices = drafts_for_choices()
    key = form.clean_idempotency_key()
    if request.method == "POST" and (done := idempotency.replay(key, current_user)):
        return done
    if form.validate_on_submit():
        try:
            unit = accounts.create_unit(form.code.data, form.kind.data, form.data, actor=current_user._get_current_object())
        except accounts.AdminError as error:
            getattr(form, error.field).errors.append(str(error))
        else:
            idempotency.remember(key, current_user, url_for("admin.units"))
            if done := idempotency.commit_or_replay(key, current_user):
                return done
            flash(_("Đã thêm đơn vị %(name)s.", name=unit.name), "success")
            return redirect(url_for("admin.units"), 303)
    form.issue_key()
    return render_template("admin/unit_new.html", form=form), (400 if form.errors else 200)


def drafts_for_choices() -> list[SelectChoice]:
    """The bodies a unit may draft documents for: the Tỉnh ủy, the UBND tỉnh."""
    leading = db.session.scalars(select(Unit).where(Unit.kind == LEADING_KIND).order_by(Unit.sort_order))
    return [SelectChoice("", _("— Chỉ ban hành với danh nghĩa của đơn vị —"))] + [
        SelectChoice(u.code, u.name) for u in leading]


def _show_header_defaults(form, unit: Unit) -> None:
    """A unit without header data yet: the form starts from what it prints today."""
    header = headers.header_of(unit, current_app.config["PROVINCE_CODE"])
    shown = {"doc_superior": header.superior, "doc_name": "\n".join(header.name_lines), "doc_abbr": header.abbr,
             "doc_place": header.place, "doc_signer": "\n".join(header.signer),
             "doc_layout": PARTY_LAYOUT if header.party else STATE_LAYOUT}
    for name, value in shown.items():
        if getattr(unit, name) is None:
            form[name].data = value
    if unit.doc_drafts_for is None:
        form.doc_drafts_for.data = ""


@bp.route("/units/<int:unit_id>/row")
def unit_row(unit_id):
    """Show one unit's row (used to cancel an in-place edit)."""
    return render_template("admin/_unit_row.html", unit=get_unit_or_404(unit_id), row_id=UNIT_ROW_ID)


@bp.route("/units/<int:unit_id>/edit", methods=["GET", "POST"])
def unit_edit(unit_id):
    """Edit a unit's name, contact person and active flag in place."""
    unit = get_unit_or_404(unit_id)
    form = UnitForm(obj=unit)
    form.doc_drafts_for.choices = drafts_for_choices()
    if request.method == "GET":
        form.version.data = str(unit.version)
        _show_header_defaults(form, unit)
    status = 200
    if form.validate_on_submit():
        # Only the header fields the form sent: a form without them leaves the header alone.
        values = {k: v for k, v in form.data.items()
                  if k not in accounts.UNIT_HEADER_FIELDS or form[k].raw_data}
        try:
            accounts.update_unit(unit, form.version.data, values, actor=current_user._get_current_object())
        except accounts.AdminError as error:
            getattr(form, error.field).errors.append(str(error))
            status = 409 if isinstance(error, accounts.StaleEdit) else 400
        else:
            db.session.commit()
            return render("admin/unit_edit.html", "admin/_unit_row.html", unit=unit, form=form, row_id=UNIT_ROW_ID)
    status = status if status != 200 else (400 if form.errors else 200)
    return render("admin/unit_edit.html", "admin/_unit_edit_row.html", status, unit=unit, form=form, row_id=UNIT_ROW_ID)


# --- fields ---------------------------------------------------------------------------------


@bp.route("/fields")
def fields():
    """List the fields of work."""
    rows = db.session.scalars(select(Field).order_by(Field.sort_order, Field.id)).all()
    return render_template("admin/fields.html", fields=rows)


@bp.route("/fields/new", methods=["GET", "POST"])
@bp.route("/fields/<int:field_id>", methods=["GET", "POST"])
def field_edit(field_id=None):
    """Create or edit a field of work and its defaults."""
    field = db.session.get(Field, field_id) if field_id else None
    if field_id and field is None:
        abort(404)
    form = FieldForm(obj=field) if field else FieldForm(active=True)
    bodies = [SelectChoice(u.id, u.name) for u in db.session.scalars(
        select(Unit).where(Unit.kind.not_in((*COMMUNE_KINDS, LEADING_KIND)), Unit.active.is_(True))
        .order_by(Unit.sort_order))]
    form.default_lead_unit_id.choices = [SelectChoice(0, _("— Không chọn —"))] + bodies
    if request.method == "GET":
        form.default_lead_unit_id.data = (field.default_lead_unit_id or 0) if field else 0
        form.version.data = str(field.version) if field else ""
    key = form.clean_idempotency_key() if field is None else None
    if request.method == "POST" and (done := idempotency.replay(key, current_user)):
        return done  # a new field sent twice: the list with the one it added
    if form.validate_on_submit():
        try:
            field = accounts.save_field(field, form.version.data, form.data, actor=current_user._get_current_object())
        except accounts.AdminError as error:
            getattr(form, error.field).errors.append(str(error))
            if isinstance(error, accounts.StaleEdit):
                return render_template("admin/field_form.html", form=form, field=field), 409
        else:
            idempotency.remember(key, current_user, url_for("admin.fields"))
            if done := idempotency.commit_or_replay(key, current_user):
                return done
            flash(_("Đã lưu lĩnh vực %(name)s.", name=field.name), "success")
            return redirect(url_for("admin.fields"), 303)
    if field is None:
        form.issue_key()
    return render_template("admin/field_form.html", form=form, field=field), (400 if form.errors else 200)


# --- settings and audit ---------------------------------------------------------------------


@bp.route("/settings", methods=["GET", "POST"])
def settings():
    """Edit the site-wide settings."""
    form = SettingsForm()
    if request.method == "GET":
        for key in app_settings.SETTINGS:
            getattr(form, key).data = app_settings.get_int(key)
    if form.validate_on_submit():
        before = {key: app_settings.get_int(key) for key in app_settings.SETTINGS}
        for key in app_settings.SETTINGS:
            value = getattr(form, key).data
            if value is not None:
                app_settings.set_int(key, value)
        after = {key: getattr(form, key).data for key in app_settings.SETTINGS}
        audit.record("settings.update", object_type="settings", object_id="site", before=before, after=after)
        db.session.commit()
        flash(_("Đã lưu cài đặt."), "success")
        return redirect(url_for("admin.settings"), 303)
    return render_template("admin/settings.html", form=form), (400 if form.errors else 200)


@bp.route("/audit", endpoint="audit")
def audit_log():
    """Show the audit log, newest first, filterable by action and object."""
    action = request.args.get("action", "").strip()[:60]
    object_type = request.args.get("object_type", "").strip()[:40]
    query = select(AuditEvent).order_by(AuditEvent.id.desc())
    if action:
        query = query.where(AuditEvent.action.like(f"{action}%"))
    if object_type:
        query = query.where(AuditEvent.object_type == object_type)
    page = db.paginate(query, page=page_number(), per_page=50, error_out=False)
    return render(
        "admin/audit.html", "admin/_audit_table.html", page=page, action=action, object_type=object_type,
        rows=audit_view.rows(page.items), actor_name=audit_view.actor_name,
        action_choices=sorted(audit_view.ACTION_LABELS.items(), key=lambda kv: str(kv[1])),
        object_choices=sorted(audit_view.OBJECT_LABELS.items(), key=lambda kv: str(kv[1])),
    )

