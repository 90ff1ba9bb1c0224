"""Who hears of what happens inside a unit (app.notifications), in the same transaction:

- the officer (and the co-officers): an item given to them, taken back, given to someone else;
  their draft approved or returned; their finished part reopened by the office;
- the unit's heads: a draft waiting for their approval.

A withdrawn draft notifies nobody (the head had not acted on it yet).
"""

from __future__ import annotations

from collections.abc import Iterable

from flask_babel import gettext as _

from app.delegation import people
from app.delegation.items import Item
from app.delegation.models import PROPOSAL
from app.notifications import notify, path_for
from app.text import clip

ASSIGNED = "delegation.assigned"
TAKEN_BACK = "delegation.taken_back"
AWAITING = "delegation.awaiting_approval"
APPROVED = "delegation.approved"
RETURNED = "delegation.returned"
REOPENED = "delegation.reopened"
TITLE_CLIP = 150


def link_to(item: Item) -> str:
    if item.kind == PROPOSAL:
        return path_for("proposals.detail", proposal_id=item.id)
    return path_for("directives.assignment", assignment_id=item.id)


def _tell(recipients: Iterable, kind: str, title: str, item: Item, actor) -> None:
    recipients = [u for u in recipients if u is not None and (actor is None or u.id != actor.id)]
    notify(recipients, kind, title, link_to(item), item.kind, item.id)


def _title(item: Item) -> str:
    return clip(item.title, TITLE_CLIP)


def assigned(item: Item, officer, co_officers, actor) -> None:
    _tell([officer], ASSIGNED, _("Bạn được giao xử lý: %(t)s", t=_title(item)), item, actor)
    _tell(co_officers, ASSIGNED, _("Bạn được giao phối hợp xử lý: %(t)s", t=_title(item)), item, actor)


def taken_back(item: Item, officer, actor) -> None:
    _tell([officer], TAKEN_BACK, _("Lãnh đạo đơn vị đã thu hồi việc giao cho bạn: %(t)s", t=_title(item)), item, actor)


def awaiting_approval(item: Item, actor) -> None:
    _tell(people.heads_of(item.unit_id), AWAITING, _("Dự thảo chờ duyệt: %(t)s", t=_title(item)), item, actor)


def approved(item: Item, author, actor) -> None:
    _tell([author], APPROVED, _("Lãnh đạo đơn vị đã duyệt và gửi dự thảo: %(t)s", t=_title(item)), item, actor)


def returned(item: Item, author, actor) -> None:
    _tell([author], RETURNED, _("Lãnh đạo đơn vị trả lại dự thảo: %(t)s", t=_title(item)), item, actor)


def reopened(item: Item, officer, actor) -> None:
    _tell([officer], REOPENED, _("Việc được mở lại, bạn tiếp tục xử lý: %(t)s", t=_title(item)), item, actor)
