"""Work handed down inside a unit (issue 18, part 2): who may move a delegation from which
state to which. Pure Python: no database, no request.

A delegation is one unit's item (an incoming proposal, as lead or support, or a directive
assignment) given by the unit's head (lãnh đạo đơn vị: the head or a deputy) to one officer
(chuyên viên, công chức), with co-officers and an internal deadline:

    (none) --assign (head)--> assigned
    assigned --reassign (head)--> assigned                  another officer, same item
    assigned --submit (officer)--> awaiting_approval        the unit asks for approval
    assigned --submit (officer)--> assigned / done           no approval: sent out at once
    awaiting_approval --approve (head)--> assigned / done    sent out under the unit's name
    awaiting_approval --return (head, note)--> returned
    awaiting_approval --withdraw (officer)--> assigned        taken back to be changed
    returned --submit (officer)--> awaiting_approval / ...
    returned --reassign (head)--> assigned
    assigned, returned --unassign (head)--> (none)           back to the unit as a whole
    done --reopen (system)--> assigned                       the office sent the item back

What a draft leads to once sent: a progress report leaves the work going (assigned); an
answer or a completion request finishes the officer's part (done) until the office reopens it.
A head's own draft needs no approval, and neither does anyone's in a unit whose setting says
so; a unit with one account has nobody to hand work to, so nothing here applies to it.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

# --- states ---------------------------------------------------------------------------------

NONE = "none"  # not handed down: the unit as a whole holds the item (no delegation row)
ASSIGNED = "assigned"
AWAITING_APPROVAL = "awaiting_approval"
RETURNED = "returned"
DONE = "done"
STATES = (NONE, ASSIGNED, AWAITING_APPROVAL, RETURNED, DONE)
STATE_LABELS = {
    NONE: _l("Chưa phân công"),
    ASSIGNED: _l("Đang xử lý"),
    AWAITING_APPROVAL: _l("Chờ lãnh đạo duyệt"),
    RETURNED: _l("Lãnh đạo trả lại"),
    DONE: _l("Đã gửi đi"),
}
OPEN_STATES = (ASSIGNED, AWAITING_APPROVAL, RETURNED)

# --- what a draft is ------------------------------------------------------------------------

ANSWER = "answer"  # the answer to a proposal
REPORT = "report"  # a progress report on a directive assignment
COMPLETION = "completion"  # a request to confirm an assignment done
DRAFT_KINDS = (ANSWER, REPORT, COMPLETION)
DRAFT_LABELS = {
    ANSWER: _l("Dự thảo trả lời kiến nghị"),
    REPORT: _l("Dự thảo báo cáo tiến độ"),
    COMPLETION: _l("Dự thảo đề nghị xác nhận hoàn thành"),
}
# Sending these finishes the officer's part; a report leaves the work going.
FINISHING = (ANSWER, COMPLETION)

# --- who the actor is to the delegation ----------------------------------------------------

HEAD = "head"  # head or deputy of the item's unit
OFFICER = "officer"  # the officer the item is given to
CO_OFFICER = "co_officer"  # an officer named to help
OTHER_OFFICER = "other_officer"  # an officer of the unit not on this item
SYSTEM = "system"  # the item's own workflow (the office returned it)
RELATIONS = (HEAD, OFFICER, CO_OFFICER, OTHER_OFFICER, SYSTEM)

# --- actions --------------------------------------------------------------------------------

ASSIGN = "assign"
REASSIGN = "reassign"
UNASSIGN = "unassign"
SUBMIT = "submit"
WITHDRAW = "withdraw"
APPROVE = "approve"
RETURN = "return"
REOPEN = "reopen"
ACTIONS = (ASSIGN, REASSIGN, UNASSIGN, SUBMIT, WITHDRAW, APPROVE, RETURN, REOPEN)
ACTION_LABELS = {
    ASSIGN: _l("Phân công"),
    REASSIGN: _l("Phân công lại"),
    UNASSIGN: _l("Thu hồi phân công"),
    SUBMIT: _l("Gửi dự thảo"),
    WITHDRAW: _l("Rút dự thảo để sửa"),
    APPROVE: _l("Duyệt và gửi đi"),
    RETURN: _l("Trả lại dự thảo"),
    REOPEN: _l("Mở lại"),
}
# How the item's timeline names each move ("delegation.<action>", see timeline.py).
TIMELINE_LABELS = {
    f"delegation.{ASSIGN}": _l("Lãnh đạo đơn vị giao cán bộ xử lý"),
    f"delegation.{REASSIGN}": _l("Lãnh đạo đơn vị giao lại cho cán bộ khác"),
    f"delegation.{UNASSIGN}": _l("Lãnh đạo đơn vị thu hồi phân công"),
    f"delegation.{SUBMIT}": _l("Cán bộ gửi dự thảo"),
    f"delegation.{WITHDRAW}": _l("Cán bộ rút dự thảo để sửa"),
    f"delegation.{APPROVE}": _l("Lãnh đạo đơn vị duyệt dự thảo"),
    f"delegation.{RETURN}": _l("Lãnh đạo đơn vị trả lại dự thảo"),
    f"delegation.{REOPEN}": _l("Cán bộ tiếp tục xử lý (việc được mở lại)"),
}
# Actions whose form must say why.
NEEDS_NOTE = frozenset({RETURN})

# action -> (states it starts from, who may take it)
_RULES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    ASSIGN: (frozenset({NONE}), frozenset({HEAD})),
    REASSIGN: (frozenset({ASSIGNED, RETURNED}), frozenset({HEAD})),
    UNASSIGN: (frozenset({ASSIGNED, RETURNED}), frozenset({HEAD})),
    SUBMIT: (frozenset({ASSIGNED, RETURNED}), frozenset({OFFICER})),
    WITHDRAW: (frozenset({AWAITING_APPROVAL}), frozenset({OFFICER})),
    APPROVE: (frozenset({AWAITING_APPROVAL}), frozenset({HEAD})),
    RETURN: (frozenset({AWAITING_APPROVAL}), frozenset({HEAD})),
    REOPEN: (frozenset({DONE}), frozenset({SYSTEM})),
}


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about the delegation and its unit."""

    state: str
    needs_approval: bool = True  # the unit's setting
    draft_kind: str | None = None  # of the draft submitted or awaiting approval


class WorkflowError(Exception):
    """A refused move; the view answers 403 (NotPermitted) or 409 (InvalidState)."""

    def __init__(self, action: str):
        super().__init__(action)
        self.action = action


class NotPermitted(WorkflowError):
    pass


class InvalidState(WorkflowError):
    pass


def can(action: str, relation: str, facts: Facts) -> bool:
    try:
        check(action, relation, facts)
    except WorkflowError:
        return False
    return True


def check(action: str, relation: str, facts: Facts) -> str:
    """The state after action, or NotPermitted (wrong person) / InvalidState (wrong moment)."""
    if action not in _RULES:
        raise NotPermitted(action)
    sources, who = _RULES[action]
    if relation not in who:
        raise NotPermitted(action)
    if facts.state not in sources:
        raise InvalidState(action)
    if action in (SUBMIT, APPROVE) and facts.draft_kind not in DRAFT_KINDS:
        raise InvalidState(action)
    if action == SUBMIT:
        return AWAITING_APPROVAL if facts.needs_approval else _sent(facts.draft_kind)
    if action == APPROVE:
        return _sent(facts.draft_kind)
    if action == RETURN:
        return RETURNED
    if action == UNASSIGN:
        return NONE
    return ASSIGNED  # assign, reassign, withdraw, reopen


def _sent(kind: str | None) -> str:
    return DONE if kind in FINISHING else ASSIGNED


def needs_approval(unit_setting: bool, accounts_in_unit: int, submitter_is_head: bool) -> bool:
    """Whether a draft waits for the head: only when the unit asks for it, it has someone to
    approve besides the writer, and the writer is not the head."""
    return unit_setting and accounts_in_unit > 1 and not submitter_is_head


def available(relation: str, facts: Facts) -> list[str]:
    """The actions this person may take now, in the order the page offers them."""
    return [action for action in ACTIONS if can(action, relation, facts)]
