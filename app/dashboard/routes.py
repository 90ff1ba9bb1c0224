"""The leaders' dashboard: one page of panels for a period, a field and a unit."""

from flask import Blueprint, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import clock, datacache, policy
from app.dashboard import charts, services
from app.dashboard.forms import has_errors, read_scope, scope_args, scope_form
from app.directives import status
from app.extensions import db
from app.htmx import render, wants_fragment
from app.models import Field

bp = Blueprint("dashboard", __name__)

VIEW_ROLES = (policy.COORDINATOR, policy.LEADER)
# Ids the templates and the tests share.
PANELS_ID = "dashboard-panels"
FORM_ID = "dashboard-filters"
COMPLETENESS_ID = "dash-completeness-panel"
COMPLETENESS_MORE_ID = "dash-completeness-more"
# Units shown in each ranking before "show all".
RANKED_ROWS = 10
# Directives in the reporting-completeness table before "show all" (the worst first).
COMPLETENESS_ROWS = 15


@bp.record_once
def _register(state):
    """Put the dashboard on the leader's and the coordinator's home page."""
    from app.dashboard import panels  # noqa: F401  (registers the home panel)


def completeness_context(scope: services.Scope, limit: int | None) -> dict:
    """The reporting-completeness component's rows (limit: the worst few) and its ids and links."""
    return {
        "completeness": services.reporting_completeness(current_user, scope, limit),
        "completeness_id": COMPLETENESS_ID,
        "completeness_more_id": COMPLETENESS_MORE_ID,
        "completeness_args": scope_args(scope),
    }


def cache_key(name: str, scope: services.Scope) -> tuple:
    """What a kept fragment for scope depends on besides the data (see app/datacache.py)."""
    return (name, tuple(sorted(scope_args(scope).items())), scope.period.today, current_user.role, str(get_locale()))


def dashboard_context(scope: services.Scope) -> dict:
    """Every panel's figures, charts and links for scope."""
    user = current_user
    props = services.proposal_summary(user, scope)
    tasks = services.assignment_summary(user, scope)
    previous, trend_rows = services.trend(user, scope, props, tasks)
    five = [
        charts.Bar(str(status.LABELS[key]), tasks.counts[key], tasks.links[key]) for key in status.CLASSES
    ]
    field = db.session.get(Field, scope.field_id) if scope.field_id else None
    return {
        "scope": scope,
        "field_name": field.name if field else "",
        "props": props,
        "tasks": tasks,
        "overdue": services.top_overdue(user, scope),
        **completeness_context(scope, COMPLETENESS_ROWS),
        "previous": previous,
        "trend_rows": trend_rows,
        "ranked_rows": RANKED_ROWS,
        "status_keys": status.CLASSES,
        "status_labels": status.LABELS,
        "charts": {
            "states": charts.bar_chart(
                "chart-states", _("Kiến nghị theo trạng thái"),
                [charts.Bar(str(label), count.value, count.href) for _key, label, count in props.by_state],
            ),
            "fields": charts.bar_chart(
                "chart-fields", _("Kiến nghị theo lĩnh vực"),
                [charts.Bar(f.name, count.value, count.href) for f, count in props.by_field],
            ),
            "timeliness": charts.bar_chart(
                "chart-timeliness", _("Thời hạn trả lời kiến nghị"),
                [charts.Bar(str(label), count.value, count.href) for _key, label, count in props.timeliness],
            ),
            "tasks": charts.stacked_bar("chart-tasks", _("Nhiệm vụ theo năm nhóm tình trạng"), five),
        },
    }


@bp.route("/")
@policy.role_required(*VIEW_ROLES)
def index():
    """Show the dashboard; the period selector swaps only the panels (htmx) and keeps the URL."""
    form = scope_form(request.args)
    scope = read_scope(form, clock.today())
    ids = {"panels_id": PANELS_ID, "form_id": FORM_ID}

    def render_panels() -> str:
        return render_template("dashboard/_panels.html", form=form, **ids, **dashboard_context(scope))

    if has_errors(form):  # the panels then carry the form's message: not worth keeping
        panels = render_panels()
    else:
        panels = datacache.remember(cache_key("dashboard", scope), render_panels)
    status_code = 400 if has_errors(form) else 200
    rendered = Markup(panels)  # noqa: S704 — a template's output, escaped when it was rendered
    response = render("dashboard/index.html", "dashboard/_panels_rendered.html", status_code,
                      form=form, panels=rendered, **ids)
    if wants_fragment():
        response.headers["HX-Push-Url"] = url_for(".index", **scope_args(scope))
    return response


@bp.route("/reporting")
@policy.role_required(*VIEW_ROLES)
def reporting():
    """Show every directive awaiting reports: the dashboard's "show all" (htmx swaps the
    table in place), and a page of its own for the same link without JavaScript."""
    form = scope_form(request.args)
    scope = read_scope(form, clock.today())

    def render_table() -> str:
        return render_template("dashboard/_completeness.html", **completeness_context(scope, None))

    table = render_table() if has_errors(form) else datacache.remember(cache_key("reporting", scope), render_table)
    rendered = Markup(table)  # noqa: S704 — a template's output, escaped when it was rendered
    return render("dashboard/reporting.html", "dashboard/_completeness_rendered.html", 400 if has_errors(form) else 200,
                  scope=scope, completeness_html=rendered, completeness_args=scope_args(scope))
