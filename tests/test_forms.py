"""What every form does with text: control and invisible characters go, a NUL byte is refused.

The proposal form and the login stand for all forms here (they share BaseForm; the first
test makes sure every form does). Run these on PostgreSQL too: there a NUL byte that reached
the database was a 500 and lost what was typed.
"""

import html
import re

import pytest
from flask_wtf import FlaskForm
from sqlalchemy import func, select

from app.extensions import db
from app.forms import BaseForm
from app.proposals.models import Proposal
from tests.proposals.test_form import new_form, valid_data

NUL_MESSAGE = "Ô này có ký tự không hợp lệ (ký tự rỗng, mã 0)"


def _all_subclasses(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _all_subclasses(sub)


def field_error(page: str, field_id: str) -> str:
    """The message shown under a field ('' when there is none)."""
    match = re.search(rf'<small id="{re.escape(field_id)}-error" class="field-error">(.*?)</small>', page, re.S)
    return html.unescape(match.group(1)) if match else ""


def field_value(page: str, field_id: str) -> str:
    """What an <input> shows, or a <textarea> holds, after the page is re-rendered."""
    tag = re.search(rf'<input [^>]*id="{re.escape(field_id)}"[^>]*>', page)
    if tag:
        value = re.search(r'value="([^"]*)"', tag.group(0))
        return html.unescape(value.group(1)) if value else ""
    area = re.search(rf'<textarea [^>]*id="{re.escape(field_id)}"[^>]*>\r?\n?(.*?)</textarea>', page, re.S)
    return html.unescape(area.group(1)) if area else ""


def proposal_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Proposal))


def newest_proposal(app) -> Proposal:
    with app.app_context():
        proposal = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
        db.session.expunge(proposal)
        return proposal


def test_every_form_of_the_site_derives_from_base_form(app):
    forms = [cls for cls in _all_subclasses(FlaskForm) if cls.__module__.startswith("app.")]
    assert len(forms) > 30
    assert [cls.__qualname__ for cls in forms if not issubclass(cls, BaseForm)] == []


def test_control_characters_are_taken_out_of_what_is_saved(app, login_as):
    client = login_as("commune_a")
    data = valid_data(
        app, new_form(client),
        title="Sửa\x07 cầu\x1b treo thôn\x7f 3",
        content="Dòng một\x0bDòng hai\r\nDòng ba\rDòng bốn\x0cHết\ttab",  # \x0b: Word's line break
        location="Làng\x08 Ia Tăng",
    )
    response = client.post("/proposals/new", data=data)
    assert response.status_code == 303
    proposal = newest_proposal(app)
    assert proposal.title == "Sửa cầu treo thôn 3"
    assert proposal.content == "Dòng một\nDòng hai\nDòng ba\nDòng bốn\nHết\ttab"
    assert proposal.location == "Làng Ia Tăng"


def test_invisible_and_direction_characters_are_taken_out_and_search_finds_the_title(app, login_as):
    client = login_as("commune_a")
    title = "Đường\u200b liên\u2060 thôn \u202eLàng Mới\u202c\u200f và cầu\ufeff treo\u200d"
    response = client.post("/proposals/new", data=valid_data(app, new_form(client), title=title, intent="submit"))
    assert response.status_code == 303
    assert newest_proposal(app).title == "Đường liên thôn Làng Mới và cầu treo"
    page = login_as("coordinator").get("/proposals/", query_string={"q": "liên thôn làng mới"}).get_data(as_text=True)
    assert "Đường liên thôn Làng Mới và cầu treo" in page


def test_a_nul_byte_is_refused_next_to_the_field_and_what_was_typed_stays(app, login_as):
    client = login_as("commune_a")
    before = proposal_count(app)
    data = valid_data(app, new_form(client), title="Nâng cấp\x00 trạm y tế xã",
                      content="Trạm y tế xuống cấp,\x00 cần sửa mái.")
    response = client.post("/proposals/new", data=data)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NUL_MESSAGE in field_error(page, "title")
    assert NUL_MESSAGE in field_error(page, "content")
    assert field_value(page, "title") == "Nâng cấp trạm y tế xã"
    assert field_value(page, "content") == "Trạm y tế xuống cấp, cần sửa mái."
    assert field_value(page, "location") == "Làng Ia Tăng"
    assert proposal_count(app) == before


@pytest.mark.parametrize(
    ("username", "password", "refused"),
    [("xa.a\x00", "mat-khau", "username"), ("xa.a", "mat\x00khau", "password")],
)
def test_login_refuses_a_nul_byte_with_a_message(client, username, password, refused):
    response = client.post("/login", data={"username": username, "password": password})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert NUL_MESSAGE in field_error(page, refused)
    assert field_value(page, "username") == "xa.a"
