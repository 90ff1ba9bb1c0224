"""Property-based hostile input: every POST form each role can reach gets arbitrary values.

Never a 500 or a traceback; always an answer the user can read. Forms are discovered by
following links, so a new form is fuzzed without anyone listing it here.
"""

import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.crawler import crawl

ROLES = ["commune_a", "department", "coordinator", "leader", "admin"]

text_values = st.one_of(
    st.text(max_size=300),
    st.sampled_from([
        "", " ", "<script>alert(1)</script>", "' OR 1=1 --", "../../etc/passwd", "\x00", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
        "-1", "0", "99999999999999999999999", "1e309", "NaN", "31/02/2026", "2026-13-45", "00/00/0000",
        "Trường học", "x" * 5000,
    ]),
)


file_names = st.one_of(
    st.text(max_size=80),
    st.sampled_from(["../../etc/passwd", "a.pdf", "x.svg", "C:\\boot.ini", "tờ trình.docx", ".pdf", "a" * 300 + ".png"]),
)
file_bodies = st.one_of(
    st.binary(max_size=256),
    st.sampled_from([b"%PDF-1.4\n%%EOF", b"<svg onload=alert(1)>", b"\x89PNG\r\n\x1a\n", b""]),
)


def value_strategy(kind: str, options: list[str]):
    if kind == "file":
        return st.tuples(file_bodies, file_names).map(lambda pair: (io.BytesIO(pair[0]), pair[1]))
    choices = st.sampled_from(options) if options else st.nothing()
    return st.one_of(text_values, choices) if options else text_values


@pytest.mark.parametrize("role", ROLES)
def test_no_form_answers_500(login_as, role):
    client = login_as(role)
    pages, forms = crawl(client)
    assert all(status < 500 for status in pages.values()), pages
    fuzzable = [f for f in forms if not f.action.startswith("/logout")]
    assert fuzzable or role != "admin", "the admin should reach the admin forms"

    for form in fuzzable:
        names = [n for n in form.fields if n != "csrf_token"]
        if not names:
            continue
        strategy = st.fixed_dictionaries(
            {name: value_strategy(form.fields[name], form.options.get(name, [])) for name in names}
        )

        fuzz(client, form.action, strategy)


def fuzz(client, action, strategy):
    """POST arbitrary values to one form action."""

    @settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(data=strategy)
    def post_form(data):
        response = client.post(action, data=data, content_type="multipart/form-data")
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (action, data, response.status_code)
        assert "Traceback" not in body

    post_form()


proposal_titles = st.text(max_size=400)
amounts = st.one_of(st.integers(min_value=-10**20, max_value=10**20).map(str), text_values)


def test_proposal_form_saves_exactly_what_it_accepts(app, login_as):
    """A 303 means one more proposal holding the typed title; anything else saves nothing."""
    from sqlalchemy import func, select

    from app.extensions import db
    from app.proposals.models import Proposal
    from app.text import clean, nfc
    from tests.proposals.test_form import new_form, valid_data

    client = login_as("commune_a")

    @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(title=proposal_titles, amount=amounts, field=st.one_of(st.integers(-5, 10**6).map(str), text_values))
    def post(title, amount, field):
        with app.app_context():
            before = db.session.scalar(select(func.count()).select_from(Proposal))
        data = valid_data(app, new_form(client), title=title, requested_amount=amount)
        if field != "keep":
            data["field_id"] = field if not field.isdigit() or int(field) > 15 else data["field_id"]
        response = client.post("/proposals/new", data=data)
        assert response.status_code in (303, 400), response.status_code
        with app.app_context():
            after = db.session.scalar(select(func.count()).select_from(Proposal))
            if response.status_code == 303:
                newest = db.session.scalar(select(Proposal).order_by(Proposal.id.desc()))
                assert after == before + 1
                assert newest.title == nfc(clean(title)).strip()
                assert newest.requested_amount is None or newest.requested_amount >= 0
            else:
                assert after == before

    post()


@pytest.mark.parametrize("path", ["/meetings/new", "/directives/new"])
def test_text_sent_where_a_file_belongs_is_no_file(login_as, path):
    """A hand-made POST may put text under a file input's name: it counts as no file chosen
    (the form answers with its messages), never as an upload (a 500 before: 'str' object has
    no attribute 'filename', found by the fuzzer above)."""
    client = login_as("coordinator")
    response = client.post(path, data={"files": ["không phải tệp", ""]}, content_type="multipart/form-data")
    body = response.get_data(as_text=True)
    assert response.status_code == 400, response.status_code
    assert "Traceback" not in body and "<form" in body
