"""The bell, the notifications page, marking read, and the e-mail preference."""

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from app import audit
from app.extensions import db
from app.htmx import is_htmx, render
from app.listing import page_number
from app.notifications import services
from app.notifications.forms import EmailPreferenceForm
from app.notifications.mail import mail_enabled, send_after_response
from app.notifications.models import Notification

bp = Blueprint("notifications", __name__)

# Ids and the event name the templates and tests share.
BELL_ID = "notification-bell"
LIST_ID = "notification-list"
ROW_ID = "notification-{}"
CHANGED_EVENT = "notifications-changed"
# htmx stops polling on this status: a bell whose session has ended goes quiet.
STOP_POLLING = 286


def get_notification_or_404(notification_id: int) -> Notification:
    """The current user's notification; anyone else's is "not found", not "forbidden"."""
    query = Notification.for_recipient(current_user.id).where(Notification.id == notification_id)
    notification = db.session.scalar(query)
    if notification is None:
        abort(404)
    return notification


def _list_args() -> dict:
    """The list's page and filter, carried through the forms so no-JS users land back on them."""
    args = {}
    if (page := page_number()) > 1:
        args["page"] = page
    if request.args.get("unread") == "1":
        args["unread"] = "1"
    return args


def _render_list(status: int = 200):
    args = _list_args()
    query = Notification.for_recipient(current_user.id, unread_only="unread" in args)
    page = db.paginate(query, page=args.get("page", 1), per_page=current_app.config["PAGE_SIZE"], error_out=False)
    return render(
        "notifications/index.html", "notifications/_list.html", status,
        page=page, list_args=args, unread_only="unread" in args,
        unread_total=services.unread_count(current_user.id), list_id=LIST_ID, row_id=ROW_ID,
    )


@bp.route("/notifications")
@login_required
def index():
    """List the current user's notifications, newest first."""
    return _render_list()


@bp.route("/notifications/bell")
def bell():
    """Show the bell with the unread count (polled by htmx every minute)."""
    if not current_user.is_authenticated:
        return "", STOP_POLLING
    response = render_template("notifications/_bell_link.html", unread_count=services.unread_count(current_user.id))
    return response, 200, {"Cache-Control": "no-store", "Vary": "HX-Request, Cookie"}


@bp.route("/notifications/<int:notification_id>/read", methods=["POST"])
@login_required
def read(notification_id):
    """Mark one notification read, in place for htmx."""
    notification = get_notification_or_404(notification_id)
    services.mark_read(notification)
    db.session.commit()
    if not is_htmx():
        return redirect(url_for("notifications.index", **_list_args()), 303)
    # The row in place, and the page's unread total out of band.
    body = render_template("notifications/_row.html", n=notification, list_args=_list_args(), row_id=ROW_ID)
    body += render_template("notifications/_unread_total.html", oob=True,
                            unread_total=services.unread_count(current_user.id))
    return body, 200, {"HX-Trigger": CHANGED_EVENT, "Vary": "HX-Request"}


@bp.route("/notifications/<int:notification_id>/open", methods=["POST"])
@login_required
def open_item(notification_id):
    """Mark a notification read and go to its item."""
    notification = get_notification_or_404(notification_id)
    services.mark_read(notification)
    db.session.commit()
    return redirect(notification.link, 303)


@bp.route("/notifications/read-all", methods=["POST"])
@login_required
def read_all():
    """Mark every notification of the current user read."""
    changed = services.mark_all_read(current_user.id)
    db.session.commit()
    if not is_htmx():
        flash(_("Đã đánh dấu %(n)s thông báo là đã đọc.", n=changed), "success")
        return redirect(url_for("notifications.index", **_list_args()), 303)
    response = _render_list()
    response.headers["HX-Trigger"] = CHANGED_EVENT
    return response


@bp.route("/account/notifications", methods=["GET", "POST"])
@login_required
def preferences():
    """Let users choose: an e-mail per notification, a daily digest, or none."""
    user = current_user._get_current_object()
    form = EmailPreferenceForm(email_preference=user.email_preference)
    if form.validate_on_submit():
        before = {"email_preference": user.email_preference}
        user.email_preference = form.email_preference.data
        audit.record("user.email_preference", user, before=before, after={"email_preference": user.email_preference})
        db.session.commit()
        flash(_("Đã lưu cách nhận thông báo."), "success")
        return redirect(url_for("notifications.preferences"), 303)
    return render_template(
        "notifications/preferences.html", form=form, mail_enabled=mail_enabled(), user=user,
    ), (400 if form.errors else 200)


@bp.after_app_request
def email_after_response(response):
    """Try the e-mails of notifications this request created, after the client has its answer."""
    ids = g.pop("notifications_to_email", None)
    if ids and current_app.config.get("MAIL_SEND_AFTER_RESPONSE") and mail_enabled():
        app = current_app._get_current_object()
        base_url = request.host_url
        response.call_on_close(lambda: send_after_response(app, ids, base_url))
    return response
