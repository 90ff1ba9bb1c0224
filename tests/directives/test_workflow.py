"""The assignment state machine: every allowed transition, and every refused one."""

import itertools
from datetime import date

import pytest

from app.directives import workflow as wf
from app.directives.workflow import (
    AWAITING_CONFIRMATION,
    CANCELLED,
    COORDINATOR,
    DONE,
    IN_PROGRESS,
    SUSPENDED,
    UNIT,
    WorkflowError,
)

# Written out by hand: (action, actor, state, has_deadline, extension_pending) -> new state.
# Anything not listed here must be refused.
ALLOWED = {
    # The unit reports while working, dated or ongoing, with or without a pending extension.
    **{(wf.REPORT, UNIT, IN_PROGRESS, d, p): IN_PROGRESS for d in (True, False) for p in (True, False)},
    # Completion: only dated tasks; a pending extension does not block it.
    **{(wf.REQUEST_COMPLETION, UNIT, IN_PROGRESS, True, p): AWAITING_CONFIRMATION for p in (True, False)},
    # Extension: dated, in progress, none pending.
    (wf.REQUEST_EXTENSION, UNIT, IN_PROGRESS, True, False): IN_PROGRESS,
    # Coordinator answers a completion request.
    **{(wf.CONFIRM, COORDINATOR, AWAITING_CONFIRMATION, d, p): DONE for d in (True, False) for p in (True, False)},
    **{(wf.SEND_BACK, COORDINATOR, AWAITING_CONFIRMATION, d, p): IN_PROGRESS for d in (True, False) for p in (True, False)},
    # Coordinator decides a pending extension while the task has not ended.
    **{
        (action, COORDINATOR, state, d, True): state
        for action in (wf.APPROVE_EXTENSION, wf.REFUSE_EXTENSION)
        for state in (IN_PROGRESS, AWAITING_CONFIRMATION, SUSPENDED)
        for d in (True, False)
    },
    # Suspend, resume, cancel.
    **{(wf.SUSPEND, COORDINATOR, s, d, p): SUSPENDED for s in (IN_PROGRESS, AWAITING_CONFIRMATION) for d in (True, False) for p in (True, False)},
    **{(wf.RESUME, COORDINATOR, SUSPENDED, d, p): IN_PROGRESS for d in (True, False) for p in (True, False)},
    **{
        (wf.CANCEL, COORDINATOR, s, d, p): CANCELLED
        for s in (IN_PROGRESS, AWAITING_CONFIRMATION, SUSPENDED)
        for d in (True, False)
        for p in (True, False)
    },
}

EVERY_CASE = list(
    itertools.product(wf.ACTIONS, (UNIT, COORDINATOR, None), wf.STATES, (True, False), (True, False))
)


def test_table_covers_known_actions_states_and_actors():
    assert len(EVERY_CASE) == 10 * 3 * 5 * 2 * 2
    assert {case[0] for case in ALLOWED} == set(wf.ACTIONS)


@pytest.mark.parametrize("case", [c for c in EVERY_CASE if c in ALLOWED], ids=str)
def test_allowed(case):
    action, actor, state, has_deadline, pending = case
    assert wf.check(action, actor, state, has_deadline=has_deadline, extension_pending=pending) == ALLOWED[case]
    assert wf.can(action, actor, state, has_deadline=has_deadline, extension_pending=pending)


@pytest.mark.parametrize("case", [c for c in EVERY_CASE if c not in ALLOWED], ids=str)
def test_refused(case):
    action, actor, state, has_deadline, pending = case
    with pytest.raises(WorkflowError) as caught:
        wf.check(action, actor, state, has_deadline=has_deadline, extension_pending=pending)
    # Refusing someone who may never take the action is a permission matter (403), the
    # rest depends on the assignment's state (409) and carries a message for the user.
    assert caught.value.permission is (actor != wf.RULES[action].actor)
    assert caught.value.message


def test_done_and_cancelled_are_final():
    for action in wf.ACTIONS:
        for actor in wf.ACTORS:
            assert not wf.can(action, actor, DONE, has_deadline=True, extension_pending=False)
            assert not wf.can(action, actor, CANCELLED, has_deadline=True, extension_pending=True)


def test_allowed_actions_lists_what_the_page_offers():
    assert wf.allowed_actions(UNIT, IN_PROGRESS, has_deadline=True, extension_pending=False) == [
        wf.REPORT, wf.REQUEST_COMPLETION, wf.REQUEST_EXTENSION,
    ]
    assert wf.allowed_actions(UNIT, IN_PROGRESS, has_deadline=False, extension_pending=False) == [wf.REPORT]
    assert wf.allowed_actions(COORDINATOR, AWAITING_CONFIRMATION, has_deadline=True, extension_pending=True) == [
        wf.CONFIRM, wf.SEND_BACK, wf.APPROVE_EXTENSION, wf.REFUSE_EXTENSION, wf.SUSPEND, wf.CANCEL,
    ]
    assert wf.allowed_actions(COORDINATOR, SUSPENDED, has_deadline=True, extension_pending=False) == [wf.RESUME, wf.CANCEL]
    assert wf.allowed_actions(None, IN_PROGRESS, has_deadline=True, extension_pending=True) == []


@pytest.mark.parametrize(
    ("role", "user_unit", "assignment_unit", "actor"),
    [
        ("commune", 5, 5, UNIT),
        ("department", 7, 7, UNIT),
        ("commune", 5, 6, None),
        ("department", 7, 5, None),
        ("coordinator", 1, 5, COORDINATOR),
        ("leader", 1, 5, None),
        ("leader", 5, 5, None),
        ("admin", 5, 5, None),
    ],
)
def test_actor_for(role, user_unit, assignment_unit, actor):
    assert wf.actor_for(role, user_unit, assignment_unit) == actor


def test_reasons_required_where_the_page_asks_for_them():
    assert {a for a in wf.ACTIONS if wf.needs_reason(a)} == {
        wf.SEND_BACK, wf.REQUEST_EXTENSION, wf.REFUSE_EXTENSION, wf.SUSPEND, wf.CANCEL,
    }


@pytest.mark.parametrize(
    ("requested", "ok"),
    [
        (date(2025, 10, 20), False),  # the current deadline itself
        (date(2025, 10, 19), False),  # before it
        (date(2025, 10, 21), True),
    ],
)
def test_extension_must_move_the_deadline_later(requested, ok):
    current, today = date(2025, 10, 20), date(2025, 10, 1)
    if ok:
        wf.check_extension_date(requested, current, today)
    else:
        with pytest.raises(WorkflowError, match="sau thời hạn hiện tại"):
            wf.check_extension_date(requested, current, today)


def test_extension_to_a_past_day_is_refused_even_after_an_old_deadline():
    with pytest.raises(WorkflowError, match="đã qua"):
        wf.check_extension_date(date(2025, 10, 5), date(2025, 10, 1), today=date(2025, 10, 10))


def test_extension_decisions():
    assert wf.decide_extension(wf.EXT_PENDING, approve=True) == wf.EXT_APPROVED
    assert wf.decide_extension(wf.EXT_PENDING, approve=False) == wf.EXT_REFUSED
    for decided in (wf.EXT_APPROVED, wf.EXT_REFUSED, wf.EXT_WITHDRAWN):
        with pytest.raises(WorkflowError):
            wf.decide_extension(decided, approve=True)


def test_ending_states_close_pending_extensions():
    assert wf.ends_pending_extensions(DONE)
    assert wf.ends_pending_extensions(CANCELLED)
    assert not wf.ends_pending_extensions(SUSPENDED)
    assert not wf.ends_pending_extensions(IN_PROGRESS)


def test_every_state_and_role_has_a_vietnamese_label():
    assert set(wf.STATE_LABELS) == set(wf.STATES)
    assert wf.STATE_LABELS[AWAITING_CONFIRMATION] == "Chờ xác nhận hoàn thành"
    assert wf.ROLE_LABELS == {wf.LEAD: "Chủ trì", wf.SUPPORT: "Phối hợp"}


# --- the two-way forms' decisions (moved from the view) -------------------------------------


@pytest.mark.parametrize(("form", "decision", "reason", "action"), [
    ("review", "confirm", "", wf.CONFIRM),
    ("review", "send_back", "Thiếu biên bản", wf.SEND_BACK),
    ("decide", "approve", None, wf.APPROVE_EXTENSION),
    ("decide", "refuse", "Không có căn cứ", wf.REFUSE_EXTENSION),
    ("stop", "suspend", "Chờ chủ trương", wf.SUSPEND),
    ("stop", "cancel", "Không còn phù hợp", wf.CANCEL),
])
def test_each_offered_decision_takes_its_action(form, decision, reason, action):
    assert wf.decision_action(form, decision, reason) == action


@pytest.mark.parametrize(("form", "decision", "field", "message"), [
    ("review", "send_back", "note", "Nêu lý do trả lại."),
    ("decide", "refuse", "note", "Nêu lý do không đồng ý gia hạn."),
    ("stop", "cancel", "reason", "Nêu lý do."),
    ("review", "approve", "note", "Chọn xác nhận hoặc trả lại."),
    ("decide", "", "note", "Chọn đồng ý hoặc không đồng ý."),
    ("stop", "resume", "reason", "Chọn tạm hoãn hoặc hủy."),
])
def test_a_missing_decision_or_reason_is_refused_next_to_its_field(form, decision, field, message):
    with pytest.raises(wf.DecisionError) as caught:
        wf.decision_action(form, decision, "   ")
    assert (caught.value.field, caught.value.message) == (field, message)


def test_the_decisions_needing_a_reason_are_the_rules_that_say_so():
    for offered in wf.DECISIONS.values():
        for action in offered.values():
            assert wf.needs_reason(action) == (action in wf._GIVE_REASON)
