"""Home-page panel: the leader's and the coordinator's way into the dashboard and reports."""

from app import clock, datacache, policy
from app.dashboard import period as periods
from app.dashboard import services
from app.directives import status
from app.main.panels import register_panel
from app.proposals import timeliness


@register_panel((policy.LEADER, policy.COORDINATOR), order=1)
def dashboard_link(user):
    """This month's headline figures, each linking to its list, and the way to the dashboard."""
    today = clock.today()
    return "dashboard/_panel_home.html", datacache.remember(
        ("home-month", today, user.role), lambda: month_headline(user, today)
    )


def month_headline(user, today) -> dict:
    """The panel's figures: plain numbers, links and dates, so that they can be kept."""
    scope = services.Scope(periods.resolve(periods.MONTH, today))
    tasks = services.assignment_summary(user, scope, per_unit=False)
    return {
        "received": services.proposal_count(user, scope),
        # Every proposal overdue today, whenever it was sent: the same count as the overdue
        # panel below it and the list it links to (the month's ones alone said 0 above 2).
        "pending_overdue": services.proposal_count(
            user, scope, dated=False, timeliness=timeliness.PENDING_OVERDUE
        ),
        "open_overdue": tasks.count(status.OPEN_OVERDUE),
        "completion": tasks.counts.completion,
        "period": scope.period,
    }
