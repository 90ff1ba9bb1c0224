"""The last 12 weeks or 12 months, bucket by bucket: proposals received and answered, tasks
completed and newly overdue, and the due-completion rate.

Each series is counted in one grouped statement over the whole span (a CASE names each row's
bucket), from the same scoped queries as the lists: the proposals list's query for the field
and unit chosen, the assignments list's query for tasks.

What each number counts (the page says it too):
- received: proposals sent in the bucket (as the dashboard counts "nhận được");
- answered: proposals whose answer date falls in the bucket, whenever they were sent;
- completed: tasks whose confirmed completion date falls in the bucket;
- newly overdue: tasks whose deadline in force passed in the bucket (the day after it falls
  in the bucket) without their being completed by the deadline; suspended and cancelled
  tasks are left out, as in the rates;
- the due-completion rate: the dashboard's rate for the bucket as a period (tasks followed
  in it, statuses on its last day or today): done / (done + open past the deadline).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, not_, or_, select

from app import clock, rates
from app.dashboard import period as periods
from app.dashboard import services
from app.directives import services as directives
from app.directives import status
from app.directives import workflow as directive_workflow
from app.directives.models import Assignment
from app.extensions import db
from app.proposals import services as proposals
from app.proposals.models import Proposal

WEEKS = "weeks"
MONTHS = "months"
SPANS = (WEEKS, MONTHS)
SPAN_LABELS = {WEEKS: _l("12 tuần gần nhất"), MONTHS: _l("12 tháng gần nhất")}
BUCKETS = 12
NEVER = 99  # a bucket number past every bucket (no completion date, no deadline passed in the span)

SERIES = ("received", "answered", "completed", "newly_overdue")
SERIES_LABELS = {
    "received": _l("Kiến nghị nhận được"),
    "answered": _l("Kiến nghị được trả lời"),
    "completed": _l("Nhiệm vụ hoàn thành"),
    "newly_overdue": _l("Nhiệm vụ mới quá hạn"),
}
RATE_LABEL = _l("Tỷ lệ hoàn thành nhiệm vụ đến hạn")


@dataclass(frozen=True)
class Bucket:
    start: date
    end: date  # the last day counted: the bucket's last day, or today for the current one
    monthly: bool = False

    @property
    def label(self) -> str:
        """The chart's axis label: the month (12/2026) or the week's Monday (07/12)."""
        return f"{self.start:%m/%Y}" if self.monthly else f"{self.start:%d/%m}"


@dataclass
class TrendRow:
    bucket: Bucket
    received: int
    answered: int
    completed: int
    newly_overdue: int
    done: int  # tasks followed in the bucket and done by its last day
    open_overdue: int  # tasks followed in the bucket and open past the deadline on its last day

    @property
    def rate(self) -> float | None:
        """The chart's point (a fraction)."""
        return status.completion_rate(self.done, self.open_overdue)

    @property
    def completion(self) -> rates.Rate:
        """The table's figure, printed as every rate is (app/rates.py), with its two counts."""
        return rates.Rate(rates.COMPLETION, self.done, self.done + self.open_overdue)

    def value(self, key: str) -> int:
        return getattr(self, key)


def buckets(span: str, today: date, number: int = BUCKETS) -> list[Bucket]:
    """The last number weeks (Monday to Sunday) or months, oldest first, the current one up to today."""
    kind = periods.WEEK if span == WEEKS else periods.MONTH
    out = []
    day = today
    for _i in range(number):
        start, end = periods.unit_bounds(kind, day)
        out.append(Bucket(start, min(end, today), kind == periods.MONTH))
        day = start - timedelta(days=1)
    return out[::-1]


def _bucket_of(column, spans: list[Bucket], as_datetime: bool = False):
    """SQL naming the bucket (its index) a date or moment column falls in, else NULL."""
    whens = []
    for index, bucket in enumerate(spans):
        if as_datetime:
            inside = and_(column >= clock.start_of_day(bucket.start),
                          column < clock.start_of_day(bucket.end + timedelta(days=1)))
        else:
            inside = column.between(bucket.start, bucket.end)
        whens.append((inside, literal(index)))
    return case(*whens, else_=None)


def _grouped(query, bucket_sql) -> dict[int, int]:
    sub = query.order_by(None).with_only_columns(bucket_sql.label("bucket")).subquery()
    rows = db.session.execute(select(sub.c.bucket, func.count()).where(sub.c.bucket.is_not(None)).group_by(sub.c.bucket))
    return {int(index): number for index, number in rows}


def trend(user, scope: services.Scope, span: str) -> list[TrendRow]:
    """The series for the field and unit of scope (its period is not used) over span."""
    today = scope.period.today
    spans = buckets(span, today)
    first, last = spans[0].start, spans[-1].end
    # Proposals: the list's filters for the field and unit, without its dates (and without the
    # list's join to the commune, which only sorts: the same rows, read from an index alone).
    listed = proposals.filtered_query(user, services.proposal_filters(scope, dated=False))
    received = _grouped(
        listed.where(Proposal.sent_at >= clock.start_of_day(first),
                     Proposal.sent_at < clock.start_of_day(last + timedelta(days=1))),
        _bucket_of(Proposal.sent_at, spans, as_datetime=True),
    )
    answered = _grouped(listed.where(Proposal.answered_on.between(first, last)), _bucket_of(Proposal.answered_on, spans))
    # Tasks: the assignments list's query for the field and unit, every status.
    tasks = directives.filtered_assignments(
        user, {"status": directives.LIST_ALL, "unit_id": scope.unit.id if scope.unit else None,
               "field_id": scope.field_id}, today, counting=True,
    )
    completed = _grouped(
        tasks.where(Assignment.state == directive_workflow.DONE, Assignment.completed_on.between(first, last)),
        _bucket_of(Assignment.completed_on, spans),
    )
    deadline = directives.deadline_sql()
    overdue_rows = tasks.where(
        Assignment.state.not_in((directive_workflow.SUSPENDED, directive_workflow.CANCELLED)),
        deadline.between(first - timedelta(days=1), last - timedelta(days=1)),
        not_(and_(Assignment.state == directive_workflow.DONE, Assignment.completed_on <= deadline)),
    )
    # Overdue from the day after the deadline: a deadline one day before the bucket's days.
    day_before = [Bucket(b.start - timedelta(days=1), b.end - timedelta(days=1)) for b in spans]
    newly_overdue = _grouped(overdue_rows, _bucket_of(deadline, day_before))
    rates = _bucket_counts(tasks, spans)
    return [
        TrendRow(bucket, received.get(i, 0), answered.get(i, 0), completed.get(i, 0), newly_overdue.get(i, 0), *rates[i])
        for i, bucket in enumerate(spans)
    ]


def _bucket_counts(tasks, spans: list[Bucket]) -> list[tuple[int, int]]:
    """Per bucket, (done, open past the deadline) among the tasks it follows: the dashboard's
    rule (directives.lists.tracked_in_period, status_key_sql on the bucket's last day).

    The buckets follow each other, so each rule is a comparison of bucket numbers. Every task
    counted (neither suspended nor cancelled, with a deadline) gets three: c, the first bucket
    by whose last day it was given; k, the bucket its completion date falls in (NEVER when it
    has none or is later); d, the first bucket whose last day is past its deadline (NEVER if
    none). Bucket b follows it when c <= b and k >= b; it is done by b's last day when it is
    done and k <= b; it is open past the deadline there when d <= b and it is not done by then.
    One statement groups the tasks by (c, k, d, done): a few hundred rows, summed here, instead
    of 24 conditional counts evaluated on every task.
    """
    deadline = directives.deadline_sql()
    after = [clock.start_of_day(bucket.end + timedelta(days=1)) for bucket in spans]
    given = case(*((Assignment.created_at < moment, literal(b)) for b, moment in enumerate(after)), else_=literal(NEVER))
    completed = case(
        *((Assignment.completed_on <= bucket.end, literal(b)) for b, bucket in enumerate(spans)), else_=literal(NEVER),
    )
    late = case(*((deadline < bucket.end, literal(b)) for b, bucket in enumerate(spans)), else_=literal(NEVER))
    is_done = case((Assignment.state == directive_workflow.DONE, literal(1)), else_=literal(0))
    # Grouped from a subquery: PostgreSQL would not match a CASE with bound values in GROUP BY.
    sub = tasks.order_by(None).where(
        Assignment.state.not_in((directive_workflow.SUSPENDED, directive_workflow.CANCELLED)),
        deadline.is_not(None),
        Assignment.created_at < after[-1],
        or_(Assignment.completed_on.is_(None), Assignment.completed_on >= spans[0].start),
    ).with_only_columns(
        given.label("c"), completed.label("k"), late.label("d"), is_done.label("done"),
    ).subquery()
    columns = (sub.c.c, sub.c.k, sub.c.d, sub.c.done)
    out = [[0, 0] for _bucket in spans]
    for c, k, d, done, number in db.session.execute(select(*columns, func.count()).group_by(*columns)):
        for b in range(max(c, 0), len(spans)):
            if k < b:  # finished before this bucket began: no longer followed
                break
            if done and k == b:
                out[b][0] += number
            elif d <= b and not (done and k <= b):
                out[b][1] += number
    return [(done, overdue) for done, overdue in out]
