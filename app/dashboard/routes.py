"""The leaders' dashboard: one page of panels for a period, a field and a unit."""

from flask import Blueprint, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from app import clock, datacache, policy
from app.dashboard import charts, overview, ranking, services, trends
from app.dashboard.forms import has_errors, read_scope, scope_args, scope_form
from app.directives import status
from app.docjobs.routes import offer_or_start
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
    """Put the dashboard on the leader's and the coordinator's home page, and its count link
    among the templates' globals (the home panel is drawn by another blueprint's page)."""
    from app.dashboard import panels  # noqa: F401  (registers the home panel)

    state.app.jinja_env.globals["count"] = services.count_html
    state.app.jinja_env.globals["ranking_rows"] = ranking.ranking_rows
    state.app.jinja_env.globals["strip_cells"] = ranking.strip_cells


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


def _field_name(scope: services.Scope) -> str:
    field = db.session.get(Field, scope.field_id) if scope.field_id else None
    return field.name if field else ""


def dashboard_context(scope: services.Scope) -> dict:
    """Every panel's figures, charts and links for scope."""
    user = current_user
    props = services.proposal_summary(user, scope)
    tasks = services.assignment_summary(user, scope)
    before = scope.for_period(scope.period.previous())
    current_figures = services.period_figures(user, scope, props, tasks)
    previous_figures = services.period_figures(user, before)
    five = [
        charts.Bar(str(status.LABELS[key]), tasks.counts[key], tasks.links[key]) for key in status.CLASSES
    ]
    return {
        "scope": scope,
        "field_name": _field_name(scope),
        "props": props,
        "tasks": tasks,
        "overdue": services.top_overdue(user, scope),
        **completeness_context(scope, COMPLETENESS_ROWS),
        "previous": before.period,
        "trend_rows": services.trend_rows(current_figures, previous_figures),
        "tiles": overview.tiles(current_figures, previous_figures, tasks),
        "strip": overview.ranking_strip(scope, tasks),
        "strip_legend": overview.STRIP_LEGEND,
        "status_overdue": status.OPEN_OVERDUE,
        "behind": overview.most_behind(user, scope),
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


# The session key under which the dashboard keeps the user's last period and scope.
REMEMBERED = "dashboard_scope"
SCOPE_KEYS = ("period", "from", "to", "field", "unit")


def remembered_args() -> dict | None:
    """The scope this user last looked at in this session, as query arguments."""
    kept = session.get(REMEMBERED)
    if isinstance(kept, dict) and kept.get("user") == current_user.id and isinstance(kept.get("args"), dict):
        return {k: str(v) for k, v in kept["args"].items() if k in SCOPE_KEYS}
    return None


def remember_scope(scope: services.Scope) -> None:
    args = scope_args(scope)
    kept = session.get(REMEMBERED)
    if not (isinstance(kept, dict) and kept.get("user") == current_user.id and kept.get("args") == args):
        session[REMEMBERED] = {"user": current_user.id, "args": args}


@bp.route("/")
@policy.role_required(*VIEW_ROLES)
def index():
    """Show the dashboard; the period selector swaps only the panels (htmx) and keeps the URL.

    Opened without a scope, it shows the one the user last chose in this session (a leader who
    leaves for a list and comes back finds the same quarter and unit), by a redirect so that the
    address says what is shown."""
    if not any(key in request.args for key in SCOPE_KEYS) and not wants_fragment():
        kept = remembered_args()
        if kept and kept != {"period": "month"}:
            return redirect(url_for(".index", **kept))
    form = scope_form(request.args)
    scope = read_scope(form, clock.today())
    if not has_errors(form):
        remember_scope(scope)
    ids = {"panels_id": PANELS_ID, "form_id": FORM_ID, "export_args": scope_args(scope)}

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
                  scope=scope, completeness_html=rendered, completeness_args=scope_args(scope),
                  field_name=_field_name(scope))


@bp.route("/trends")
@policy.role_required(*VIEW_ROLES)
def trends_page():
    """The last 12 weeks or months: lines drawn on the server, and the same numbers as a table."""
    form = scope_form(request.args)
    scope = read_scope(form, clock.today())
    span = request.args.get("span")
    span = span if span in trends.SPANS else trends.WEEKS

    def make() -> str:
        rows = trends.trend(current_user, scope, span)
        labels = [row.bucket.label for row in rows]
        counts_chart = charts.line_chart(
            "chart-trend-counts", _("Kiến nghị và nhiệm vụ"), labels,
            [(str(trends.SERIES_LABELS[key]), [row.value(key) for row in rows]) for key in trends.SERIES],
        )
        rate_chart = charts.line_chart(
            "chart-trend-rate", str(trends.RATE_LABEL), labels, [(str(trends.RATE_LABEL), [row.rate for row in rows])],
            percent=True,
        )
        return render_template(
            "dashboard/_trends.html", rows=rows, span=span, scope=scope, series=trends.SERIES,
            series_labels=trends.SERIES_LABELS, rate_label=trends.RATE_LABEL,
            counts_chart=counts_chart, rate_chart=rate_chart, field_name=_field_name(scope),
        )

    body = make() if has_errors(form) else datacache.remember(cache_key(f"trends-{span}", scope), make)
    args = {k: v for k, v in scope_args(scope).items() if k in ("field", "unit")}
    return render_template(
        "dashboard/trends.html", body=Markup(body), form=form, span=span,  # noqa: S704 — rendered above
        spans=trends.SPAN_LABELS, scope=scope, span_args=args, dashboard_args=scope_args(scope),
    ), 400 if has_errors(form) else 200


# GET offers the button, POST starts the document's job (app/docjobs): built in the background.
DOCUMENT_METHODS = ("GET", "POST")


def _document(what: str, fmt: str, title: str):
    """A dashboard document for the scope in the query string, through a document job; a bad
    range goes back to the dashboard, which says what is wrong next to the field."""
    form = scope_form(request.args)
    read_scope(form, clock.today())
    if has_errors(form):
        return redirect(url_for(".index", **request.args), 303)
    return offer_or_start("dashboard", {"what": what, "fmt": fmt}, title)


@bp.route("/export.xlsx", methods=DOCUMENT_METHODS)
@policy.role_required(*VIEW_ROLES)
def export_xlsx():
    """Every table of the dashboard for the scope, one sheet each."""
    return _document("xlsx", "xlsx", _("Tải Excel các bảng"))


@bp.route("/summary.<any(pdf,docx):fmt>", methods=DOCUMENT_METHODS)
@policy.role_required(*VIEW_ROLES)
def summary(fmt):
    """The first screen as a document (tiles, every unit ranked, directives most behind), PDF or Word."""
    return _document("summary", fmt, _("Tải tóm tắt bảng điều hành"))
