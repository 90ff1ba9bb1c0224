"""Remember a list's filters for a user, and keep named views (the caller commits).

Each list registers the endpoint it lives at and the query-string arguments that are its
filters (LISTS); paging cursors and the like are never remembered. A bare visit to the list
(from the navigation) brings back the filters used last; "Bỏ lọc" (?reset=1) forgets them.
"""

from __future__ import annotations

from urllib.parse import urlencode

from flask import url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app import clock
from app.extensions import db
from app.saved_lists.models import QUERY_MAX, SavedList
from app.service_error import ServiceError
from app.text import nfc

# list key -> (endpoint, filter arguments, label)
LISTS = {
    "proposals": ("proposals.index",
                  ("q", "state", "field", "commune", "department", "lead", "meeting", "timeliness", "feedback",
                   "from", "to", "sort")),
    "assignments": ("directives.assignments", ("q", "status", "unit_id", "field_id", "date_from", "date_to")),
}
RESET = "reset"
NAME_MAX = 120
VIEWS_MAX = 20


def filter_query(list_key: str, args) -> str:
    """The list's filters in args as a query string (empty values left out, order kept)."""
    _endpoint, names = LISTS[list_key]
    pairs = [(name, value) for name in names for value in args.getlist(name) if value not in ("", None)]
    return urlencode(pairs)


def _last(user, list_key: str) -> SavedList | None:
    return db.session.scalar(select(SavedList).where(
        SavedList.user_id == user.id, SavedList.list_key == list_key, SavedList.name.is_(None)).limit(1))


def remember(user, list_key: str, args) -> str | None:
    """Store the list's current filters as the user's last ones (or forget them on ?reset=1).

    Returns the query string to go back to when args hold no filter and some were kept, else None.
    """
    last = _last(user, list_key)
    _endpoint, names = LISTS[list_key]
    query = filter_query(list_key, args)
    if args.get(RESET) or (not query and any(name in args for name in names)):
        if last is not None:  # "Bỏ lọc", or every control set back to "Tất cả"
            db.session.delete(last)
        return None
    if not query:
        return last.query if last is not None and not args else None
    if len(query) > QUERY_MAX:
        return None  # filters longer than any a person sets (a pasted or forged URL) are not kept
    if last is None:
        db.session.add(SavedList(user_id=user.id, list_key=list_key, name=None, query=query, updated_at=clock.now()))
    elif last.query != query:
        last.query, last.updated_at = query, clock.now()
    return None


def views(user) -> list[SavedList]:
    return list(db.session.scalars(select(SavedList).where(
        SavedList.user_id == user.id, SavedList.name.is_not(None)).order_by(SavedList.name, SavedList.id)))


def save_view(user, list_key: str, name: str, query: str) -> SavedList:
    """Keep the list with query under name (replacing a view of the same name)."""
    if list_key not in LISTS:
        raise ServiceError(_("Danh sách không hợp lệ."), "name")
    name = nfc(" ".join((name or "").split()))
    if not name:
        raise ServiceError(_("Đặt tên cho danh sách, ví dụ: Kiến nghị quá hạn của Sở Xây dựng."), "name")
    if len(name) > NAME_MAX:
        raise ServiceError(_("Tên tối đa %(n)s ký tự.", n=NAME_MAX), "name")
    existing = next((v for v in views(user) if v.name == name), None)
    if existing is None and len(views(user)) >= VIEWS_MAX:
        raise ServiceError(_("Mỗi người lưu tối đa %(n)s danh sách; hãy xóa bớt danh sách cũ.", n=VIEWS_MAX), "name")
    if existing is None:
        existing = SavedList(user_id=user.id, list_key=list_key, name=name)
        db.session.add(existing)
    existing.list_key, existing.query, existing.updated_at = list_key, query[:QUERY_MAX], clock.now()
    return existing


def url_of(view: SavedList) -> str:
    endpoint, _names = LISTS[view.list_key]
    base = url_for(endpoint)
    return f"{base}?{view.query}" if view.query else base
