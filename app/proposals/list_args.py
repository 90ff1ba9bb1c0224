"""The proposal list's query string, read once for the list page and its Excel export."""

from datetime import date

from app import policy
from app.forms import parse_day
from app.proposals.lists import ListFilters
from app.urls import parse_id

DEFAULT_SORT = "-submitted"
MAX_QUERY = 100


def int_arg(args, name) -> int | None:
    return parse_id(args.get(name))


def date_arg(args, name) -> date | None:
    """A date typed as dd/mm/yyyy (or ISO, from links); nothing when it is no date."""
    return parse_day(args.get(name))


def filters_from_args(args, user) -> ListFilters:
    """The list's filters from args (request.args); a commune cannot filter by another commune."""
    return ListFilters(
        q=args.get("q", "").strip()[:MAX_QUERY],
        state=args.get("state", ""),
        field_id=int_arg(args, "field"),
        commune_id=int_arg(args, "commune") if user.role != policy.COMMUNE else None,
        department_id=int_arg(args, "department"),
        lead_id=int_arg(args, "lead"),
        meeting_id=int_arg(args, "meeting"),
        timeliness=args.get("timeliness", ""),
        feedback=args.get("feedback", ""),
        date_from=date_arg(args, "from"),
        date_to=date_arg(args, "to"),
    )
