"""The proposal lists: filters, search, sort orders, keyset pages, the inbox, and the
reference lists their filters and forms offer. Every query starts from visible_proposals."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Select, and_, func, or_, select, true
from sqlalchemy.orm import aliased, selectinload

from app import clock, search
from app import settings as app_settings
from app.extensions import db
from app.listing import KeysetPage, SortKey, keyset_page
from app.models import COMMUNE_KINDS, LEADING_KIND, Field, Unit
from app.proposals import timeliness, workflow
from app.proposals.models import Proposal, disagreed_clause, proposal_support_units
from app.proposals.visibility import visible_proposals


def active_fields() -> list[Field]:
    return list(db.session.scalars(select(Field).where(Field.active.is_(True)).order_by(Field.sort_order, Field.id)))


def provincial_units() -> list[Unit]:
    """Provincial bodies a proposal may be assigned to."""
    query = select(Unit).where(Unit.kind.not_in((*COMMUNE_KINDS, LEADING_KIND)), Unit.active.is_(True))
    return sorted(db.session.scalars(query), key=lambda u: u.order_key)




# The commune joined for sorting by its name.
_Commune = aliased(Unit, name="commune_unit")


@dataclass
class ListFilters:
    q: str = ""
    state: str = ""
    field_id: int | None = None
    commune_id: int | None = None
    department_id: int | None = None  # lead or support
    lead_id: int | None = None  # lead (chủ trì) only: the unit that answers
    meeting_id: int | None = None
    timeliness: str = ""
    feedback: str = ""  # the commune's word on the answer: agree / disagree
    date_from: date | None = None
    date_to: date | None = None

    def as_args(self) -> dict:
        """The filters as query-string arguments (for links that keep them)."""
        out = {
            "q": self.q, "state": self.state, "field": self.field_id, "commune": self.commune_id,
            "department": self.department_id, "lead": self.lead_id, "meeting": self.meeting_id, "timeliness": self.timeliness,
            "feedback": self.feedback,
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
        }
        return {key: value for key, value in out.items() if value}


def due_soon_clause(today: date, days: int):
    """Waiting for the answer, not overdue, the deadline at most days away (the warning period)."""
    return and_(Proposal.state == workflow.ASSIGNED, Proposal.answer_deadline >= today,
                Proposal.answer_deadline <= today + timedelta(days=days))


def timeliness_clause(key: str, today: date):
    """SQL twin of timeliness.classify, for filtering lists."""
    answered = Proposal.state.in_((workflow.ANSWERED, workflow.CLOSED))
    pending = Proposal.state == workflow.ASSIGNED
    if key == timeliness.ANSWERED_ON_TIME:
        return and_(answered, Proposal.answered_on <= Proposal.answer_deadline)
    if key == timeliness.ANSWERED_LATE:
        return and_(answered, Proposal.answered_on > Proposal.answer_deadline)
    if key == timeliness.PENDING_ON_TIME:
        return and_(pending, Proposal.answer_deadline >= today)
    if key == timeliness.PENDING_OVERDUE:
        return and_(pending, Proposal.answer_deadline < today)
    return true()


def search_clause(q: str):
    """Every word of q, folded, must appear in the folded text: "truong hoc" finds "Trường học"."""
    return search.matches(q, Proposal.search_folded)


def filtered_query(user, filters: ListFilters, today: date | None = None) -> Select:
    """select(Proposal) scoped to user and filtered; no order, no joins, no loader options."""
    query = visible_proposals(user)
    if filters.q:
        query = query.where(search_clause(filters.q))
    if filters.state in workflow.STATES:
        query = query.where(Proposal.state == filters.state)
    if filters.field_id:
        query = query.where(Proposal.field_id == filters.field_id)
    if filters.commune_id:
        query = query.where(Proposal.commune_unit_id == filters.commune_id)
    if filters.department_id:
        supported = select(proposal_support_units.c.proposal_id).where(
            proposal_support_units.c.unit_id == filters.department_id
        )
        query = query.where(or_(Proposal.lead_unit_id == filters.department_id, Proposal.id.in_(supported)))
    if filters.lead_id:
        query = query.where(Proposal.lead_unit_id == filters.lead_id)
    if filters.meeting_id:
        query = query.where(Proposal.meeting_id == filters.meeting_id)
    if filters.timeliness in timeliness.KEYS:
        query = query.where(timeliness_clause(filters.timeliness, today or clock.today()))
    elif filters.timeliness == timeliness.DUE_SOON:
        query = query.where(due_soon_clause(today or clock.today(), app_settings.get_int("due_soon_days")))
    if filters.feedback == workflow.DISAGREE:
        query = query.where(disagreed_clause())
    elif filters.feedback == workflow.AGREE:
        query = query.where(Proposal.feedback == workflow.AGREE)
    # sent_at is coalesce(submitted_at, created_at), stored so that an index serves it.
    if filters.date_from:
        query = query.where(Proposal.sent_at >= clock.start_of_day(filters.date_from))
    if filters.date_to:
        query = query.where(Proposal.sent_at < clock.start_of_day(filters.date_to + timedelta(days=1)))
    return query


def list_query(user, filters: ListFilters, order_by, today: date | None = None) -> Select:
    """The list screen's query: scoped to user, filtered, ordered (every row; see list_page)."""
    query = (
        filtered_query(user, filters, today)
        .join(_Commune, Proposal.commune_unit_id == _Commune.id)
        .options(
            selectinload(Proposal.commune), selectinload(Proposal.field),
            selectinload(Proposal.lead_unit), selectinload(Proposal.support_units),
            selectinload(Proposal.meeting),
        )
    )
    return query.order_by(order_by, Proposal.id.desc())


def sort_columns() -> dict:
    """Allow-listed sort keys for ?sort= (see app.listing.parse_sort)."""
    return {
        "submitted": Proposal.sent_at,
        "title": Proposal.title_folded,
        "commune": _Commune.name_folded,
        "state": Proposal.state,
        "deadline": Proposal.answer_deadline,
        "amount": Proposal.requested_amount,
    }


# How each sort reads its value back from a row, for the cursor: (column, row -> value, type, nullable).
_SORT_VALUES = {
    "submitted": (lambda p: p.sent_at, datetime, False),
    "title": (lambda p: p.title_folded, str, False),
    "commune": (lambda p: p.commune.name_folded, str, False),
    "state": (lambda p: p.state, str, False),
    "deadline": (lambda p: p.answer_deadline, date, True),
    "amount": (lambda p: p.requested_amount, int, True),
}


def sort_keys(sort: str) -> list[SortKey]:
    """The keyset order of ?sort=sort: its column, then the id (newest first) to break ties."""
    name = sort.lstrip("-")
    value, kind, nullable = _SORT_VALUES[name]
    return [
        SortKey(sort_columns()[name], value, kind, descending=sort.startswith("-"), nullable=nullable),
        SortKey(Proposal.id, lambda p: p.id, int, descending=True),
    ]


def list_page(user, filters: ListFilters, sort: str, *, per_page: int, after: str | None = None,
              before: str | None = None, today: date | None = None) -> KeysetPage:
    """One page of the list screen: keyset-paginated, with a bounded total (app.listing)."""
    base = filtered_query(user, filters, today)
    query = base.options(selectinload(Proposal.commune), selectinload(Proposal.field), selectinload(Proposal.lead_unit))
    if sort.lstrip("-") == "commune":
        query = query.join(_Commune, Proposal.commune_unit_id == _Commune.id)
    return keyset_page(query, base.with_only_columns(Proposal.id), sort_keys(sort), sort=sort,
                       per_page=per_page, after=after, before=before, text_search=bool(filters.q))


def units_by_ids(ids: list[int]) -> list[Unit]:
    if not ids:
        return []
    return list(db.session.scalars(select(Unit).where(Unit.id.in_(ids))))


def communes() -> list[Unit]:
    rows = db.session.scalars(select(Unit).where(Unit.kind.in_(COMMUNE_KINDS), Unit.active.is_(True)))
    return sorted(rows, key=lambda u: u.order_key)



# --- the coordinator's inbox ----------------------------------------------------------------


def inbox_query(user) -> Select:
    """The submitted proposals user sees, waiting for triage, oldest first."""
    return visible_proposals(user).where(Proposal.state == workflow.SUBMITTED).order_by(
        Proposal.submitted_at, Proposal.id
    )


def inbox_rows(user, limit: int) -> tuple[list[Proposal], int]:
    """The first limit proposals of the inbox (commune and field loaded), and how many wait."""
    query = inbox_query(user)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    rows = list(db.session.scalars(
        query.options(selectinload(Proposal.commune), selectinload(Proposal.field)).limit(limit)
    ))
    return rows, total


def inbox_ids(user) -> list[int]:
    """Ids of every proposal in user's inbox, not only one page's."""
    return list(db.session.scalars(inbox_query(user).with_only_columns(Proposal.id)))


def visible_by_ids(user, ids: list[int]) -> list[Proposal]:
    """The proposals of ids that user may see (a bulk action's selection)."""
    if not ids:
        return []
    return list(db.session.scalars(visible_proposals(user).where(Proposal.id.in_(ids))))
