"""The proposal state machine, exhaustively: every action, every kind of actor, every state."""

import pytest

from app.proposals import workflow as wf

COMMUNE_UNIT, OTHER_COMMUNE, LEAD, SUPPORT, OTHER_DEPT, OFFICE = 1, 2, 10, 11, 12, 20

ACTORS = {
    "own_commune": wf.Actor("commune", COMMUNE_UNIT),
    "other_commune": wf.Actor("commune", OTHER_COMMUNE),
    "lead_department": wf.Actor("department", LEAD),
    "support_department": wf.Actor("department", SUPPORT),
    "other_department": wf.Actor("department", OTHER_DEPT),
    "coordinator": wf.Actor("coordinator", OFFICE),
    "leader": wf.Actor("leader", OFFICE),
    "admin": wf.Actor("admin", OFFICE),
}

ALL = set(wf.STATES)
AFTER_SUBMISSION = ALL - {wf.DRAFT}
TALK = {wf.SUBMITTED, wf.RETURNED, wf.ASSIGNED, wf.ANSWERED}

# Written out by hand from SPEC §5 — the table the module must agree with.
ALLOWED = {
    ("edit", "own_commune"): {wf.DRAFT, wf.RETURNED},
    ("delete", "own_commune"): {wf.DRAFT},
    ("remove_file", "own_commune"): {wf.DRAFT},
    ("submit", "own_commune"): {wf.DRAFT, wf.RETURNED},
    ("withdraw", "own_commune"): {wf.SUBMITTED, wf.RETURNED},
    ("feedback", "own_commune"): {wf.ANSWERED, wf.CLOSED},
    ("receive", "coordinator"): {wf.SUBMITTED},
    ("return", "coordinator"): {wf.SUBMITTED},
    ("classify", "coordinator"): {wf.SUBMITTED, wf.ASSIGNED, wf.ANSWERED},
    ("assign", "coordinator"): {wf.SUBMITTED},
    ("reassign", "coordinator"): {wf.ASSIGNED},
    ("close", "coordinator"): {wf.ANSWERED},
    ("reopen", "coordinator"): {wf.ANSWERED, wf.CLOSED},
    ("answer", "lead_department"): {wf.ASSIGNED},
    ("opinion", "support_department"): {wf.ASSIGNED, wf.ANSWERED},
    ("comment", "own_commune"): TALK,
    ("comment", "coordinator"): TALK,
    ("comment", "lead_department"): TALK,
    ("leader_comment", "leader"): AFTER_SUBMISSION,
}

TARGETS = {
    "submit": wf.SUBMITTED, "withdraw": wf.WITHDRAWN, "receive": wf.SUBMITTED, "return": wf.RETURNED,
    "assign": wf.ASSIGNED, "reassign": wf.ASSIGNED, "answer": wf.ANSWERED, "close": wf.CLOSED,
    "reopen": wf.ASSIGNED,
}

STATE_CHANGES = {
    (wf.DRAFT, wf.SUBMITTED), (wf.RETURNED, wf.SUBMITTED),
    (wf.SUBMITTED, wf.WITHDRAWN), (wf.RETURNED, wf.WITHDRAWN),
    (wf.SUBMITTED, wf.RETURNED), (wf.SUBMITTED, wf.ASSIGNED),
    (wf.ASSIGNED, wf.ANSWERED), (wf.ANSWERED, wf.CLOSED),
    (wf.ANSWERED, wf.ASSIGNED), (wf.CLOSED, wf.ASSIGNED),
}


def facts(state: str, received: bool = False) -> wf.Facts:
    return wf.Facts(state=state, commune_unit_id=COMMUNE_UNIT, lead_unit_id=LEAD,
                    support_unit_ids=frozenset({SUPPORT}), received=received)


def test_the_table_names_every_action_of_the_module():
    assert {action for action, _ in ALLOWED} == set(wf.ACTIONS)


@pytest.mark.parametrize("action", wf.ACTIONS)
@pytest.mark.parametrize("actor_key", ACTORS)
def test_action_allowed_exactly_where_the_table_says(action, actor_key):
    actor = ACTORS[actor_key]
    allowed_states = ALLOWED.get((action, actor_key), set())
    for state in wf.STATES:
        expected = state in allowed_states
        assert wf.can(action, actor, facts(state)) is expected, (action, actor_key, state)
        if expected:
            assert wf.check(action, actor, facts(state)) == TARGETS.get(action, state)
        elif allowed_states:
            # The actor may take this action, just not now.
            with pytest.raises(wf.InvalidState):
                wf.check(action, actor, facts(state))
        else:
            with pytest.raises(wf.NotPermitted):
                wf.check(action, actor, facts(state))


@pytest.mark.parametrize(("source", "target"), sorted(STATE_CHANGES))
def test_every_allowed_state_change_has_an_action(source, target):
    movers = [
        (action, key) for action in wf.ACTIONS for key, actor in ACTORS.items()
        if wf.can(action, actor, facts(source)) and wf.check(action, actor, facts(source)) == target
    ]
    assert movers, f"nobody can move {source} -> {target}"


def test_every_other_state_change_is_refused():
    for source in wf.STATES:
        for target in wf.STATES:
            if source == target or (source, target) in STATE_CHANGES:
                continue
            for action in wf.ACTIONS:
                for key, actor in ACTORS.items():
                    if wf.can(action, actor, facts(source)):
                        assert wf.check(action, actor, facts(source)) != target, (source, target, action, key)
    assert wf.state_changes() == STATE_CHANGES


def test_closed_and_withdrawn_only_reopen_or_stay():
    # Withdrawn is final; closed can only be reopened.
    for key, actor in ACTORS.items():
        moves = [a for a in wf.allowed_actions(actor, facts(wf.WITHDRAWN)) if a in TARGETS]
        assert moves == [], key
    assert [a for a in wf.allowed_actions(ACTORS["coordinator"], facts(wf.CLOSED)) if a in TARGETS] == ["reopen"]


def test_receiving_twice_is_refused():
    coordinator = ACTORS["coordinator"]
    assert wf.can("receive", coordinator, facts(wf.SUBMITTED, received=False))
    assert not wf.can("receive", coordinator, facts(wf.SUBMITTED, received=True))
    with pytest.raises(wf.InvalidState):
        wf.check("receive", coordinator, facts(wf.SUBMITTED, received=True))


def test_lead_that_is_also_support_answers_and_gives_opinions():
    both = wf.Facts(state=wf.ASSIGNED, commune_unit_id=COMMUNE_UNIT, lead_unit_id=LEAD,
                    support_unit_ids=frozenset({LEAD}))
    actor = ACTORS["lead_department"]
    assert wf.can("answer", actor, both) and wf.can("opinion", actor, both)


def test_unknown_action_is_not_permitted():
    with pytest.raises(wf.NotPermitted):
        wf.check("delete_everything", ACTORS["coordinator"], facts(wf.SUBMITTED))


SEES = {
    "own_commune": ALL,
    "other_commune": set(),
    "lead_department": ALL,  # in practice from assignment on
    "support_department": ALL,
    "other_department": set(),
    "coordinator": AFTER_SUBMISSION,
    "leader": AFTER_SUBMISSION,
    "admin": set(),
}


@pytest.mark.parametrize("actor_key", ACTORS)
def test_who_sees_what(actor_key):
    for state in wf.STATES:
        assert wf.can_see(ACTORS[actor_key], facts(state)) is (state in SEES[actor_key]), (actor_key, state)


def test_unassigned_department_sees_nothing():
    unassigned = wf.Facts(state=wf.SUBMITTED, commune_unit_id=COMMUNE_UNIT)
    assert not wf.can_see(ACTORS["lead_department"], unassigned)
    assert not wf.can_see(wf.Actor("department", None), unassigned)


def test_labels_cover_every_state_and_action():
    assert set(wf.STATE_LABELS) == set(wf.STATES)
    assert set(wf.ACTIONS) <= set(wf.ACTION_LABELS)


@pytest.mark.parametrize(
    ("actor_key", "expected"),
    [("own_commune", "comment"), ("other_commune", None), ("lead_department", "comment"),
     ("support_department", "opinion"), ("other_department", None), ("coordinator", "comment"),
     ("leader", "leader_comment"), ("admin", None)],
)
def test_which_note_an_actor_writes(actor_key, expected):
    for state in wf.STATES:  # decided by who one is, not by the state
        assert wf.note_action(ACTORS[actor_key], facts(state)) == expected
