"""The delegation state machine: every action from every state by every person, allowed or refused."""

import itertools

import pytest

from app.delegation import workflow as wf

# Written out by hand, independently of the module's table: (action, state, relation, needs
# approval, draft kind) -> the state after; anything not listed must be refused.
ALLOWED = {}
for kind in wf.DRAFT_KINDS:
    sent = wf.DONE if kind in (wf.ANSWER, wf.COMPLETION) else wf.ASSIGNED
    for state in (wf.ASSIGNED, wf.RETURNED):
        ALLOWED[(wf.SUBMIT, state, wf.OFFICER, True, kind)] = wf.AWAITING_APPROVAL
        ALLOWED[(wf.SUBMIT, state, wf.OFFICER, False, kind)] = sent
    for approval in (True, False):
        ALLOWED[(wf.APPROVE, wf.AWAITING_APPROVAL, wf.HEAD, approval, kind)] = sent
for approval, kind in itertools.product((True, False), (*wf.DRAFT_KINDS, None)):
    ALLOWED[(wf.ASSIGN, wf.NONE, wf.HEAD, approval, kind)] = wf.ASSIGNED
    for state in (wf.ASSIGNED, wf.RETURNED):
        ALLOWED[(wf.REASSIGN, state, wf.HEAD, approval, kind)] = wf.ASSIGNED
        ALLOWED[(wf.UNASSIGN, state, wf.HEAD, approval, kind)] = wf.NONE
    ALLOWED[(wf.WITHDRAW, wf.AWAITING_APPROVAL, wf.OFFICER, approval, kind)] = wf.ASSIGNED
    ALLOWED[(wf.RETURN, wf.AWAITING_APPROVAL, wf.HEAD, approval, kind)] = wf.RETURNED
    ALLOWED[(wf.REOPEN, wf.DONE, wf.SYSTEM, approval, kind)] = wf.ASSIGNED

CASES = list(itertools.product(wf.ACTIONS, wf.STATES, wf.RELATIONS, (True, False), (*wf.DRAFT_KINDS, None)))


@pytest.mark.parametrize(("action", "state", "relation", "approval", "kind"), CASES)
def test_every_transition(action, state, relation, approval, kind):
    facts = wf.Facts(state=state, needs_approval=approval, draft_kind=kind)
    expected = ALLOWED.get((action, state, relation, approval, kind))
    if expected is not None:
        assert wf.check(action, relation, facts) == expected
        assert wf.can(action, relation, facts)
        return
    with pytest.raises(wf.WorkflowError) as refused:
        wf.check(action, relation, facts)
    assert not wf.can(action, relation, facts)
    # the wrong person is told so (403) before the wrong moment (409)
    sources_ok = any(k[0] == action and k[2] == relation for k in ALLOWED)
    assert isinstance(refused.value, wf.InvalidState if sources_ok else wf.NotPermitted)


def test_the_table_allows_exactly_what_is_written_out():
    allowed = [c for c in CASES if wf.can(c[0], c[2], wf.Facts(c[1], c[3], c[4]))]
    assert set(allowed) == set(ALLOWED)


def test_co_officers_and_other_officers_never_move_anything():
    for action, state, approval, kind in itertools.product(wf.ACTIONS, wf.STATES, (True, False), wf.DRAFT_KINDS):
        for relation in (wf.CO_OFFICER, wf.OTHER_OFFICER):
            assert not wf.can(action, relation, wf.Facts(state, approval, kind))


def test_an_unknown_action_is_refused():
    with pytest.raises(wf.NotPermitted):
        wf.check("publish", wf.HEAD, wf.Facts(wf.ASSIGNED))


def test_only_returning_needs_a_note():
    assert {wf.RETURN} == wf.NEEDS_NOTE


@pytest.mark.parametrize(
    ("setting", "accounts", "is_head", "expected"),
    [
        (True, 3, False, True),
        (True, 3, True, False),  # the head's own draft goes straight out
        (False, 3, False, False),  # the unit's setting is off
        (True, 1, False, False),  # a unit of one account works as before: no approval step
    ],
)
def test_when_a_draft_waits_for_the_head(setting, accounts, is_head, expected):
    assert wf.needs_approval(setting, accounts, is_head) is expected


def test_what_each_person_is_offered():
    waiting = wf.Facts(wf.AWAITING_APPROVAL, True, wf.REPORT)
    assert wf.available(wf.HEAD, waiting) == [wf.APPROVE, wf.RETURN]
    assert wf.available(wf.OFFICER, waiting) == [wf.WITHDRAW]
    assert wf.available(wf.CO_OFFICER, waiting) == []
    assert wf.available(wf.HEAD, wf.Facts(wf.NONE)) == [wf.ASSIGN]
    assert wf.available(wf.OFFICER, wf.Facts(wf.RETURNED, True, wf.ANSWER)) == [wf.SUBMIT]


def test_every_state_action_and_kind_has_a_label():
    assert set(wf.STATE_LABELS) == set(wf.STATES)
    assert set(wf.ACTION_LABELS) == set(wf.ACTIONS)
    assert set(wf.DRAFT_LABELS) == set(wf.DRAFT_KINDS)
