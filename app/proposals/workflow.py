"""The proposal workflow (SPEC §5): states, actions, and who may take which action when.

Pure Python on purpose: no database, no request. Views and services describe the actor
and the proposal with two small value objects and ask this module; it is the only place
that decides whether a state may change.
"""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l

# --- states ---------------------------------------------------------------------------------

DRAFT = "draft"
SUBMITTED = "submitted"
RETURNED = "returned"
WITHDRAWN = "withdrawn"
ASSIGNED = "assigned"
ANSWERED = "answered"
CLOSED = "closed"

STATES = (DRAFT, SUBMITTED, RETURNED, WITHDRAWN, ASSIGNED, ANSWERED, CLOSED)
STATE_LABELS = {
    DRAFT: _l("Nháp"),
    SUBMITTED: _l("Đã gửi"),
    RETURNED: _l("Trả lại để bổ sung"),
    WITHDRAWN: _l("Đã rút"),
    ASSIGNED: _l("Đã chuyển xử lý"),
    ANSWERED: _l("Đã trả lời"),
    CLOSED: _l("Hoàn thành"),
}
# A submitted proposal the office has received: still SUBMITTED for the rules, but shown as
# received on every screen and export (the inbox, the page, the lists), never as "Đã gửi".
RECEIVED_LABEL = _l("Đã tiếp nhận")


def state_label(state: str, received: bool = False):
    """The one name of a proposal's state that every screen shows."""
    if state == SUBMITTED and received:
        return RECEIVED_LABEL
    return STATE_LABELS[state]

# --- answer outcomes and feedback ---------------------------------------------------------------

RESOLVED = "resolved"
IN_PROGRESS = "in_progress"
EXPLAINED = "explained"
OUTCOMES = (RESOLVED, IN_PROGRESS, EXPLAINED)
OUTCOME_LABELS = {
    RESOLVED: _l("Đã giải quyết"),
    IN_PROGRESS: _l("Đang giải quyết"),
    EXPLAINED: _l("Giải trình, cung cấp thông tin"),
}

AGREE = "agree"
DISAGREE = "disagree"
FEEDBACK_LABELS = {AGREE: _l("Đồng ý"), DISAGREE: _l("Chưa đồng ý")}

# --- who the actor is to the proposal -----------------------------------------------------------

OWN_COMMUNE = "own_commune"  # commune staff of the proposal's unit
LEAD_DEPARTMENT = "lead_department"  # department staff of the lead (chủ trì) unit
SUPPORT_DEPARTMENT = "support_department"  # department staff of a support (phối hợp) unit
COORDINATOR = "coordinator"
LEADER = "leader"


@dataclass(frozen=True)
class Actor:
    role: str
    unit_id: int | None


@dataclass(frozen=True)
class Facts:
    """What the rules need to know about one proposal."""

    state: str
    commune_unit_id: int
    lead_unit_id: int | None = None
    support_unit_ids: frozenset[int] = field(default_factory=frozenset)
    received: bool = False


def relations(actor: Actor, facts: Facts) -> frozenset[str]:
    """The ways actor is related to the proposal (empty when not at all)."""
    out = set()
    if actor.role == "commune" and actor.unit_id == facts.commune_unit_id:
        out.add(OWN_COMMUNE)
    elif actor.role == "department" and actor.unit_id is not None:
        if actor.unit_id == facts.lead_unit_id:
            out.add(LEAD_DEPARTMENT)
        if actor.unit_id in facts.support_unit_ids:
            out.add(SUPPORT_DEPARTMENT)
    elif actor.role == "coordinator":
        out.add(COORDINATOR)
    elif actor.role == "leader":
        out.add(LEADER)
    return frozenset(out)


def can_see(actor: Actor, facts: Facts) -> bool:
    """Communes see their own unit's items, departments where they are lead or support,
    coordinators and leaders everything the communes have sent (not their drafts)."""
    rel = relations(actor, facts)
    if OWN_COMMUNE in rel or LEAD_DEPARTMENT in rel or SUPPORT_DEPARTMENT in rel:
        return True
    return bool(rel & {COORDINATOR, LEADER}) and facts.state != DRAFT


# --- actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    sources: frozenset[str]
    target: str | None  # None: the action leaves the state as it is
    who: frozenset[str]
    kind: str  # the timeline event kind the action writes


def _rule(sources, target, who, kind="transition") -> Rule:
    return Rule(frozenset(sources), target, frozenset(who), kind)


_AFTER_SUBMISSION = (SUBMITTED, RETURNED, WITHDRAWN, ASSIGNED, ANSWERED, CLOSED)

RULES: dict[str, Rule] = {
    # commune
    "edit": _rule({DRAFT, RETURNED}, None, {OWN_COMMUNE}, "edit"),
    "delete": _rule({DRAFT}, None, {OWN_COMMUNE}, "edit"),
    # Files the province has received stay on record, like the proposal itself.
    "remove_file": _rule({DRAFT}, None, {OWN_COMMUNE}, "edit"),
    "submit": _rule({DRAFT, RETURNED}, SUBMITTED, {OWN_COMMUNE}),
    "withdraw": _rule({SUBMITTED, RETURNED}, WITHDRAWN, {OWN_COMMUNE}),
    "feedback": _rule({ANSWERED, CLOSED}, None, {OWN_COMMUNE}, "feedback"),
    # coordinator
    "receive": _rule({SUBMITTED}, SUBMITTED, {COORDINATOR}),
    "return": _rule({SUBMITTED}, RETURNED, {COORDINATOR}),
    "classify": _rule({SUBMITTED, ASSIGNED, ANSWERED}, None, {COORDINATOR}, "edit"),
    "assign": _rule({SUBMITTED}, ASSIGNED, {COORDINATOR}),
    "reassign": _rule({ASSIGNED}, ASSIGNED, {COORDINATOR}),
    "close": _rule({ANSWERED}, CLOSED, {COORDINATOR}),
    "reopen": _rule({ANSWERED, CLOSED}, ASSIGNED, {COORDINATOR}),
    # departments
    "answer": _rule({ASSIGNED}, ANSWERED, {LEAD_DEPARTMENT}),
    "opinion": _rule({ASSIGNED, ANSWERED}, None, {SUPPORT_DEPARTMENT}, "opinion"),
    # conversation on the record
    "comment": _rule({SUBMITTED, RETURNED, ASSIGNED, ANSWERED}, None, {OWN_COMMUNE, COORDINATOR, LEAD_DEPARTMENT}, "comment"),
    "leader_comment": _rule(_AFTER_SUBMISSION, None, {LEADER}, "leader_comment"),
}
ACTIONS = tuple(RULES)

ACTION_LABELS = {
    "create": _l("Tạo kiến nghị"),
    "import": _l("Nhập từ tệp Excel"),
    "edit": _l("Sửa nội dung"),
    "delete": _l("Xóa nháp"),
    "remove_file": _l("Xóa tệp đính kèm"),
    "submit": _l("Gửi lên tỉnh"),
    "withdraw": _l("Rút kiến nghị"),
    "feedback": _l("Ý kiến phản hồi của xã"),
    "receive": _l("Tiếp nhận"),
    "return": _l("Trả lại để bổ sung"),
    "classify": _l("Phân loại lĩnh vực"),
    "assign": _l("Chuyển xử lý"),
    "reassign": _l("Điều chỉnh phân công"),
    "close": _l("Hoàn thành"),
    "reopen": _l("Mở lại"),
    "answer": _l("Trả lời"),
    "opinion": _l("Ý kiến phối hợp"),
    "comment": _l("Trao đổi"),
    "leader_comment": _l("Ý kiến chỉ đạo"),
    "nudge": _l("Văn phòng đôn đốc trả lời"),  # a reminder by hand (app/proposals/nudging.py)
}


class WorkflowError(Exception):
    """An action that cannot be taken; views turn it into a status code."""


class NotPermitted(WorkflowError):
    """The actor may never take this action on this proposal (403)."""


class InvalidState(WorkflowError):
    """The actor could, but not while the proposal is in its current state (409)."""


def _guard_ok(action: str, facts: Facts) -> bool:
    # A submitted proposal is received once; receiving again would say nothing new.
    return not (action == "receive" and facts.received)


def can(action: str, actor: Actor, facts: Facts) -> bool:
    """True when actor may take action on the proposal now."""
    rule = RULES[action]
    return (
        bool(rule.who & relations(actor, facts))
        and facts.state in rule.sources
        and _guard_ok(action, facts)
    )


def check(action: str, actor: Actor, facts: Facts) -> str:
    """Return the state after action, or raise NotPermitted / InvalidState."""
    rule = RULES.get(action)
    if rule is None:
        raise NotPermitted(action)
    if not rule.who & relations(actor, facts):
        raise NotPermitted(action)
    if facts.state not in rule.sources or not _guard_ok(action, facts):
        raise InvalidState(action)
    return rule.target or facts.state


def allowed_actions(actor: Actor, facts: Facts) -> list[str]:
    """Every action actor may take now, in the order RULES lists them."""
    return [action for action in ACTIONS if can(action, actor, facts)]


# The three kinds of note, in the order that decides which one an actor writes.
NOTE_ACTIONS = ("leader_comment", "comment", "opinion")


def note_action(actor: Actor, facts: Facts) -> str | None:
    """The kind of note actor writes on this proposal (whether or not its state allows one now):
    a leader's comment, a comment (commune, coordinator, lead) or a support unit's opinion."""
    rel = relations(actor, facts)
    return next((action for action in NOTE_ACTIONS if RULES[action].who & rel), None)


def state_changes() -> set[tuple[str, str]]:
    """Every (from, to) pair some action can produce, self-loops left out."""
    return {
        (source, rule.target)
        for rule in RULES.values()
        if rule.target is not None
        for source in rule.sources
        if source != rule.target
    }
