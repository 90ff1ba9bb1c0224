"""Timeliness of a proposal's answer: derived from dates each time, never stored.

Pure Python: the caller passes today's date (in the province's time zone).
"""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l

ANSWERED_ON_TIME = "answered_on_time"
ANSWERED_LATE = "answered_late"
PENDING_ON_TIME = "pending_on_time"
PENDING_OVERDUE = "pending_overdue"
NOT_APPLICABLE = "not_applicable"  # not assigned yet, or withdrawn

KEYS = (ANSWERED_ON_TIME, ANSWERED_LATE, PENDING_ON_TIME, PENDING_OVERDUE)
LABELS = {
    ANSWERED_ON_TIME: _l("Trả lời đúng hạn"),
    ANSWERED_LATE: _l("Trả lời quá hạn"),
    PENDING_ON_TIME: _l("Đang xử lý trong hạn"),
    PENDING_OVERDUE: _l("Quá hạn trả lời"),
}

# A list filter, not a class of its own: pending on time with the deadline within the
# warning period (the due_soon_days setting), the proposals to chase first.
DUE_SOON = "due_soon"
FILTER_LABELS = {**LABELS, DUE_SOON: _l("Sắp đến hạn trả lời")}


@dataclass(frozen=True)
class Timeliness:
    key: str
    days_late: int = 0  # overdue: days past the deadline (today, or the answer's date)
    days_left: int | None = None  # pending on time: days until the deadline
    due_soon: bool = False  # pending on time and due within the warning window

    @property
    def applies(self) -> bool:
        return self.key != NOT_APPLICABLE


def classify(
    deadline: date | None,
    answered_on: date | None,
    today: date,
    *,
    pending: bool,
    due_soon_days: int = 3,
) -> Timeliness:
    """Classify one proposal.

    pending: the proposal waits for its answer (state assigned). answered_on: the date
    of the answer when it has one. A deadline day itself still counts as on time.
    """
    if deadline is None:
        return Timeliness(NOT_APPLICABLE)
    if answered_on is not None and not pending:
        late = (answered_on - deadline).days
        return Timeliness(ANSWERED_LATE, days_late=late) if late > 0 else Timeliness(ANSWERED_ON_TIME)
    if not pending:
        return Timeliness(NOT_APPLICABLE)
    left = (deadline - today).days
    if left < 0:
        return Timeliness(PENDING_OVERDUE, days_late=-left)
    return Timeliness(PENDING_ON_TIME, days_left=left, due_soon=left <= due_soon_days)
