"""The site's screens for API tokens: list (with last use), create (the secret shown once),
revoke. An admin manages anyone's tokens; everyone else their own."""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from app import clock, policy
from app.api import tokens
from app.api.forms import RevokeForm, TokenForm
from app.extensions import db
from app.forms import choices
from app.models import User
from app.service_error import ServiceError

bp = Blueprint("api_tokens", __name__, url_prefix="/account/api-tokens")


def _form() -> TokenForm:
    form = TokenForm()
    form.user_id.choices = _user_choices()
    if form.user_id.data is None:
        form.user_id.data = current_user.id
    if form.expires_on.data is None:
        form.expires_on.data = clock.today() + timedelta(days=365)
    return form


def _user_choices():
    return choices((u.id, f"{u.username} — {u.full_name}") for u in tokens.users_for_picker(current_user))


def _page(form: TokenForm, created: tokens.Created | None = None, status: int = 200):
    rows = list(db.session.scalars(tokens.visible_tokens(current_user)))
    return render_template("api/tokens.html", form=form, tokens=rows, created=created, today=clock.today(),
                           revoke_form=RevokeForm(), writing_roles=tokens.WRITING_ROLES), status


@bp.route("", methods=["GET", "POST"])
@policy.role_required(*policy.ROLES)
def index():
    """List the tokens the user may manage; create one and show its secret this once."""
    form = _form()
    if form.validate_on_submit():
        owner = db.session.get(User, form.user_id.data)
        try:
            created = tokens.create(current_user, owner, form.name.data, form.scope.data, form.expires_on.data,
                                    form.webhook_url.data)
        except ServiceError as error:
            getattr(form, error.field or "name").errors.append(str(error))
            return _page(form, status=400)
        db.session.commit()
        # Rendered, not redirected: the secret must not travel through the session cookie.
        return _page(_form_reset(), created, 201)
    return _page(form, status=400 if form.errors else 200)


def _form_reset() -> TokenForm:
    form = TokenForm(formdata=None)
    form.user_id.choices = _user_choices()
    form.user_id.data = current_user.id
    form.expires_on.data = clock.today() + timedelta(days=365)
    return form


@bp.route("/<int:token_id>/revoke", methods=["POST"])
@policy.role_required(*policy.ROLES)
def revoke(token_id: int):
    """Revoke a token at once."""
    token = tokens.get_token_or_none(token_id, current_user)
    if token is None:
        abort(404)
    if RevokeForm().validate_on_submit():
        tokens.revoke(token, current_user)
        db.session.commit()
        flash(_("Đã thu hồi khóa \"%(name)s\"; hệ thống dùng khóa này sẽ không truy cập được nữa.", name=token.name),
              "success")
    return redirect(url_for(".index"), 303)
