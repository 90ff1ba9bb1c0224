"""Saved lists: save the list on screen under a name, open it from the navigation, delete it."""

from urllib.parse import parse_qsl

from flask import Blueprint, abort, flash, redirect, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from werkzeug.datastructures import MultiDict

from app.extensions import db
from app.saved_lists import services
from app.saved_lists.forms import DeleteViewForm, SaveViewForm
from app.saved_lists.models import SavedList

bp = Blueprint("saved_lists", __name__)


@bp.app_context_processor
def inject_saved_views() -> dict:
    """The user's named lists, for the navigation, and the form that saves one."""
    def saved_views():
        if not current_user.is_authenticated:
            return []
        return [(view.name, services.url_of(view), view.id) for view in services.views(current_user)]
    def saved_query(list_key: str) -> str:
        return services.filter_query(list_key, request.args)

    return {"saved_views": saved_views, "saved_query": saved_query, "save_view_form": SaveViewForm,
            "delete_view_form": DeleteViewForm}


@bp.route("/views", methods=["POST"])
@login_required
def save():
    """Save the filtered list the user is looking at under a name."""
    form = SaveViewForm()
    list_key = form.list_key.data if form.list_key.data in services.LISTS else None
    if list_key is None:
        abort(400)
    endpoint, _names = services.LISTS[list_key]
    query = services.filter_query(list_key, _parsed(form.query.data or ""))
    back = url_for(endpoint) + (f"?{query}" if query else "")
    if not form.validate_on_submit():
        flash(" ".join(str(e) for e in form.name.errors) or _("Chưa lưu được danh sách."), "error")
        return redirect(back, 303)
    try:
        view = services.save_view(current_user, list_key, form.name.data, query)
    except services.ServiceError as error:
        flash(str(error), "error")
        return redirect(back, 303)
    db.session.commit()
    flash(_("Đã lưu danh sách “%(name)s”; mở lại từ trình đơn tên của bạn ở góc trên.", name=view.name), "success")
    return redirect(back, 303)


@bp.route("/views/<int:view_id>/delete", methods=["POST"])
@login_required
def delete(view_id):
    """Delete one of the user's saved lists."""
    view = db.session.get(SavedList, view_id)
    if view is None or view.user_id != current_user.id or view.name is None:
        abort(404)
    if not DeleteViewForm().validate_on_submit():
        abort(400)
    name, endpoint = view.name, services.LISTS[view.list_key][0]
    db.session.delete(view)
    db.session.commit()
    flash(_("Đã xóa danh sách “%(name)s”.", name=name), "success")
    return redirect(url_for(endpoint), 303)


def _parsed(query: str) -> MultiDict:
    return MultiDict(parse_qsl(query[:2000]))
