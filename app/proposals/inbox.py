"""The coordinator's inbox component: what its template shows, for the inbox page and the
home panel alike (both render templates/proposals/_inbox.html)."""

from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from app.proposals import forms, services

# Element id the template and the tests share.
INBOX_ID = "proposal-inbox"
INBOX_PAGE_SIZE = 50


def unit_choices(units, blank=None):
    choices = [SelectChoice("", blank)] if blank else []
    return choices + [SelectChoice(u.id, u.name) for u in units]


def inbox_context(form=None, limit=INBOX_PAGE_SIZE, notice=None, notice_kind="success") -> dict:
    """What the inbox shows: proposals waiting for triage, oldest first, and the bulk form."""
    rows, total = services.inbox_rows(current_user, limit)
    if form is None:
        form = forms.BulkForm(formdata=None, prefix="bulk")
    form.lead_unit_id.choices = unit_choices(services.provincial_units(), blank=_("— Chọn đơn vị chủ trì —"))
    form.ids.choices = [SelectChoice(p.id, p.title) for p in rows]
    return {"rows": rows, "total": total, "form": form, "inbox_id": INBOX_ID, "notice": notice,
            "notice_kind": notice_kind, "limit": limit}
