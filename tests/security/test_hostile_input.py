"""Property-based hostile input: every POST form each role can reach gets arbitrary values.

Never a 500 or a traceback; always an answer the user can read. Forms are discovered by
following links, so a new form is fuzzed without anyone listing it here.
"""

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


def value_strategy(kind: str, options: list[str]):
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
        response = client.post(action, data=data)
        body = response.get_data(as_text=True)
        assert response.status_code < 500, (action, data, response.status_code)
        assert "Traceback" not in body

    post_form()
