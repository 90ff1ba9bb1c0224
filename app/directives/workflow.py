"""Who may move an assignment from which state to which: one pure-Python state machine.

An assignment is one unit's share of a directive:

    in_progress --request_completion (unit)--> awaiting_confirmation
    awaiting_confirmation --confirm (coordinator)--> done
    awaiting_confirmation --send_back (coordinator, reason)--> in_progress
    in_progress | awaiting_confirmation --suspend (coordinator, reason)--> suspended
    suspended --resume (coordinator)--> in_progress
    in_progress | awaiting_confirmation | suspended --cancel (coordinator, reason)--> cancelled

and, without changing the state:

    report (unit, in_progress): add a progress report;
    request_extension (unit, in_progress, dated, none pending): ask for a new deadline;
    approve_extension / refuse_extension (coordinator, one pending): decide on it.

An extension request is pending -> approved | refused, or withdrawn when the assignment ends
(done or cancelled) before anyone decided on it.

Ongoing assignments (thường xuyên, no deadline) are followed through their periodic reports:
they cannot be "completed" or extended; the coordinator suspends or cancels them instead.

No database and no Flask app here: views pass plain facts and get answers or a WorkflowError.
Messages and labels are lazy strings (_l), translated where shown; str(error) is the text.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

# Assignment states.
IN_PROGRESS = "in_progress"
AWAITING_CONFIRMATION = "awaiting_confirmation"
DONE = "done"
SUSPENDED = "suspended"
CANCELLED = "cancelled"
STATES = (IN_PROGRESS, AWAITING_CONFIRMATION, DONE, SUSPENDED, CANCELLED)
OPEN_STATES = (IN_PROGRESS, AWAITING_CONFIRMATION)

STATE_LABELS = {
    IN_PROGRESS: _l("Đang thực hiện"),
    AWAITING_CONFIRMATION: _l("Chờ xác nhận hoàn thành"),
    DONE: _l("Đã hoàn thành"),
    SUSPENDED: _l("Tạm hoãn"),
    CANCELLED: _l("Đã hủy"),
}

# Roles an assignment gives a unit.
LEAD = "lead"
SUPPORT = "support"
ROLES = (LEAD, SUPPORT)
ROLE_LABELS = {LEAD: _l("Chủ trì"), SUPPORT: _l("Phối hợp")}

# Who acts on an assignment.
UNIT = "unit"  # a commune or department user of the assigned unit
COORDINATOR = "coordinator"
ACTORS = (UNIT, COORDINATOR)

# Actions.
REPORT = "report"
REQUEST_COMPLETION = "request_completion"
REQUEST_EXTENSION = "request_extension"
CONFIRM = "confirm"
SEND_BACK = "send_back"
APPROVE_EXTENSION = "approve_extension"
REFUSE_EXTENSION = "refuse_extension"
SUSPEND = "suspend"
RESUME = "resume"
CANCEL = "cancel"

# Extension request states.
EXT_PENDING = "pending"
EXT_APPROVED = "approved"
EXT_REFUSED = "refused"
EXT_WITHDRAWN = "withdrawn"
EXTENSION_STATE_LABELS = {
    EXT_PENDING: _l("Chờ xem xét"),
    EXT_APPROVED: _l("Đã đồng ý"),
    EXT_REFUSED: _l("Không đồng ý"),
    EXT_WITHDRAWN: _l("Không còn xem xét"),
}


@dataclass(frozen=True)
class Rule:
    actor: str
    from_states: frozenset[str]
    to_state: str | None  # None: the state does not change
    needs_reason: bool = False
    needs_deadline: bool = False  # only for assignments with a deadline
    needs_pending_extension: bool | None = None  # True: one must be pending; False: none may be


RULES: dict[str, Rule] = {
    REPORT: Rule(UNIT, frozenset({IN_PROGRESS}), None),
    REQUEST_COMPLETION: Rule(UNIT, frozenset({IN_PROGRESS}), AWAITING_CONFIRMATION, needs_deadline=True),
    REQUEST_EXTENSION: Rule(
        UNIT, frozenset({IN_PROGRESS}), None, needs_reason=True, needs_deadline=True, needs_pending_extension=False
    ),
    CONFIRM: Rule(COORDINATOR, frozenset({AWAITING_CONFIRMATION}), DONE),
    SEND_BACK: Rule(COORDINATOR, frozenset({AWAITING_CONFIRMATION}), IN_PROGRESS, needs_reason=True),
    APPROVE_EXTENSION: Rule(
        COORDINATOR, frozenset({IN_PROGRESS, AWAITING_CONFIRMATION, SUSPENDED}), None, needs_pending_extension=True
    ),
    REFUSE_EXTENSION: Rule(
        COORDINATOR,
        frozenset({IN_PROGRESS, AWAITING_CONFIRMATION, SUSPENDED}),
        None,
        needs_reason=True,
        needs_pending_extension=True,
    ),
    SUSPEND: Rule(COORDINATOR, frozenset({IN_PROGRESS, AWAITING_CONFIRMATION}), SUSPENDED, needs_reason=True),
    RESUME: Rule(COORDINATOR, frozenset({SUSPENDED}), IN_PROGRESS),
    CANCEL: Rule(
        COORDINATOR, frozenset({IN_PROGRESS, AWAITING_CONFIRMATION, SUSPENDED}), CANCELLED, needs_reason=True
    ),
}
ACTIONS = tuple(RULES)

# Why an action is refused in the current state, for the message shown to the user.
_STATE_REFUSALS = {
    REPORT: _l("Chỉ báo cáo tiến độ được khi nhiệm vụ đang thực hiện."),
    REQUEST_COMPLETION: _l("Chỉ đề nghị xác nhận hoàn thành được khi nhiệm vụ đang thực hiện."),
    REQUEST_EXTENSION: _l("Chỉ đề nghị gia hạn được khi nhiệm vụ đang thực hiện."),
    CONFIRM: _l("Nhiệm vụ không ở trạng thái chờ xác nhận hoàn thành."),
    SEND_BACK: _l("Nhiệm vụ không ở trạng thái chờ xác nhận hoàn thành."),
    APPROVE_EXTENSION: _l("Nhiệm vụ đã kết thúc, không xét gia hạn."),
    REFUSE_EXTENSION: _l("Nhiệm vụ đã kết thúc, không xét gia hạn."),
    SUSPEND: _l("Chỉ tạm hoãn được nhiệm vụ đang thực hiện hoặc chờ xác nhận."),
    RESUME: _l("Nhiệm vụ không ở trạng thái tạm hoãn."),
    CANCEL: _l("Nhiệm vụ đã kết thúc, không thể hủy."),
}


class WorkflowError(ValueError):
    """An action that cannot be taken; permission=True when the actor may never take it."""

    def __init__(self, message: str, permission: bool = False):
        super().__init__(message)
        self.message = message  # a lazy string (_l): str(error) is the text to show
        self.permission = permission

    def __str__(self) -> str:
        return str(self.message)


def actor_for(role: str, user_unit_id: int | None, assignment_unit_id: int) -> str | None:
    """The part a user plays on an assignment: its unit, the coordinator, or none (viewers)."""
    if role == COORDINATOR:
        return COORDINATOR
    if role in ("commune", "department") and user_unit_id == assignment_unit_id:
        return UNIT
    return None


def check(
    action: str,
    actor: str | None,
    state: str,
    *,
    has_deadline: bool = True,
    extension_pending: bool = False,
) -> str:
    """Return the state after action, or raise WorkflowError saying why it is refused."""
    rule = RULES.get(action)
    if rule is None:
        raise WorkflowError(_l("Thao tác không hợp lệ."), permission=True)
    if actor != rule.actor:
        raise WorkflowError(_l("Bạn không có quyền thực hiện thao tác này."), permission=True)
    if state not in rule.from_states:
        raise WorkflowError(_STATE_REFUSALS[action])
    if rule.needs_deadline and not has_deadline:
        raise WorkflowError(_l("Nhiệm vụ thường xuyên không có thời hạn: hãy báo cáo định kỳ."))
    if rule.needs_pending_extension is True and not extension_pending:
        raise WorkflowError(_l("Không có đề nghị gia hạn nào đang chờ xem xét."))
    if rule.needs_pending_extension is False and extension_pending:
        raise WorkflowError(_l("Đã có đề nghị gia hạn đang chờ xem xét."))
    return rule.to_state or state


def can(action: str, actor: str | None, state: str, **facts) -> bool:
    """True when check() would let the action through."""
    try:
        check(action, actor, state, **facts)
    except WorkflowError:
        return False
    return True


def allowed_actions(actor: str | None, state: str, *, has_deadline: bool, extension_pending: bool) -> list[str]:
    """The actions actor may take now, in the order the page shows them."""
    return [
        action
        for action in ACTIONS
        if can(action, actor, state, has_deadline=has_deadline, extension_pending=extension_pending)
    ]


def needs_reason(action: str) -> bool:
    return RULES[action].needs_reason


# The assignment page's two-way forms: each decision a form may post and the action it takes.
DECISIONS: dict[str, dict[str, str]] = {
    "review": {"confirm": CONFIRM, "send_back": SEND_BACK},
    "decide": {"approve": APPROVE_EXTENSION, "refuse": REFUSE_EXTENSION},
    "stop": {"suspend": SUSPEND, "cancel": CANCEL},
}
# The form field that carries the reason (and shows these forms' messages).
REASON_FIELDS = {"review": "note", "decide": "note", "stop": "reason"}
_CHOOSE = {
    "review": _l("Chọn xác nhận hoặc trả lại."),
    "decide": _l("Chọn đồng ý hoặc không đồng ý."),
    "stop": _l("Chọn tạm hoãn hoặc hủy."),
}
_GIVE_REASON = {
    SEND_BACK: _l("Nêu lý do trả lại."),
    REFUSE_EXTENSION: _l("Nêu lý do không đồng ý gia hạn."),
    SUSPEND: _l("Nêu lý do."),
    CANCEL: _l("Nêu lý do."),
}


class DecisionError(ValueError):
    """A two-way form posted no valid decision, or no reason where one is needed; field names
    the form field the message goes next to."""

    def __init__(self, message: str, field: str):
        super().__init__(message)
        self.message = message  # a lazy string (_l): str(error) is the text to show
        self.field = field

    def __str__(self) -> str:
        return str(self.message)


def decision_action(form: str, decision: str, reason: str | None) -> str:
    """The action a two-way form's decision takes, once it is one the form offers and carries
    the reason the action needs; DecisionError otherwise."""
    action = DECISIONS[form].get(decision)
    if action is None:
        raise DecisionError(_CHOOSE[form], REASON_FIELDS[form])
    if needs_reason(action) and not (reason or "").strip():
        raise DecisionError(_GIVE_REASON[action], REASON_FIELDS[form])
    return action


def check_extension_date(requested: date, current_deadline: date, today: date) -> None:
    """An extension must move the deadline later, and not to a day already past."""
    if requested <= current_deadline:
        raise WorkflowError(_l("Thời hạn đề nghị phải sau thời hạn hiện tại."))
    if requested < today:
        raise WorkflowError(_l("Thời hạn đề nghị không được là ngày đã qua."))


def decide_extension(extension_state: str, approve: bool) -> str:
    """The state of an extension request after the coordinator's decision."""
    if extension_state != EXT_PENDING:
        raise WorkflowError(_l("Đề nghị gia hạn này đã được xem xét."))
    return EXT_APPROVED if approve else EXT_REFUSED


def ends_pending_extensions(new_state: str) -> bool:
    """True when moving to new_state closes any extension request still pending."""
    return new_state in (DONE, CANCELLED)
