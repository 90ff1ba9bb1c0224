"""Required fields are marked for the eye (a star) and for screen readers (required / aria-required)."""

import re

from app.proposals import workflow


def _tag(body: str, pattern: str) -> str:
    match = re.search(pattern, body, re.S)
    assert match, pattern
    return match.group(0)


def test_answer_outcome_is_announced_as_required(make_proposal, as_user):
    proposal_id = make_proposal(workflow.ASSIGNED)
    body = as_user("department").get(f"/proposals/{proposal_id}").get_data(as_text=True)
    label = _tag(body, r'<label for="answer-outcome"[^>]*>.*?</label>')
    assert "Kết quả" in label and 'class="required"' in label
    group = _tag(body, r'<div role="radiogroup" id="answer-outcome-group"[^>]*>\s*<ul[^>]*id="answer-outcome"')
    assert 'aria-required="true"' in group and 'aria-labelledby="answer-outcome-label"' in group


def test_directive_field_is_announced_as_required(login_as):
    body = login_as("coordinator").get("/directives/new").get_data(as_text=True)
    label = _tag(body, r'<label for="field_id"[^>]*>.*?</label>')
    assert "Lĩnh vực" in label and 'class="required"' in label
    select = _tag(body, r'<select[^>]*name="field_id"[^>]*>')
    assert "required" in select and 'aria-required="true"' in select
