"""The notification inbox (/inbox) and each user's email preferences."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from .. import notifications
from ..extensions import db
from . import members_only, page_arg, safe_next

bp = Blueprint("notifications", __name__)
PER_PAGE = 25


members_only(bp, superusers=True)


@bp.app_template_global()
def inbox_unread_count():
    """For the navigation: the signed-in user's unread notifications."""
    if not current_user.is_authenticated:
        return 0
    try:
        return notifications.unread_count(current_user)
    except SQLAlchemyError:  # an error page after a database failure must still render
        db.session.rollback()
        return 0


@bp.route("/inbox")
def index():
    page = page_arg()
    unread_only = request.args.get("unread") == "1"
    items, total = notifications.inbox(current_user, page, PER_PAGE, unread_only)
    rows = [(n, notifications.describe(n.event, n.document.title if n.document else "",
                                       n.actor, n.data, reader=current_user),
             notifications.excerpt(n.data)) for n in items]
    return render_template("notifications/index.html", rows=rows, total=total, page=page,
                           pages=max(1, -(-total // PER_PAGE)), unread_only=unread_only,
                           unread=notifications.unread_count(current_user))


def _back():
    target = request.form.get("next")
    return redirect(safe_next(target) if target else url_for(".index"))


@bp.route("/inbox/<int:notification_id>/read", methods=["POST"])
def mark_read(notification_id):
    notifications.mark_read(current_user, notification_id)
    return _back()


@bp.route("/inbox/<int:notification_id>/unread", methods=["POST"])
def mark_unread(notification_id):
    notifications.mark_unread(current_user, notification_id)
    return _back()


@bp.route("/inbox/<int:notification_id>/open", methods=["POST"])
def open_notification(notification_id):
    note = notifications.mark_read(current_user, notification_id)
    if note.document_id is None:
        if (note.data or {}).get("item_id"):  # about a monitored item
            return redirect(url_for("monitoring.item", item_id=note.data["item_id"]))
        return redirect(url_for(".index"))
    return redirect(url_for("documents.show", document_id=note.document_id))


@bp.route("/inbox/read-all", methods=["POST"])
def mark_all_read():
    count = notifications.mark_all_read(current_user)
    flash(_("%(n)d notifications marked as read.", n=count), "info")
    return redirect(url_for(".index"))


@bp.route("/inbox/preferences", methods=["GET", "POST"])
def preferences():
    if request.method == "POST":
        notifications.set_preferences(current_user, request.form.getlist("email"))
        flash(_("Your notification settings are saved."), "info")
        return redirect(url_for(".preferences"))
    return render_template("notifications/preferences.html", events=notifications.EVENTS,
                           labels=notifications.EVENT_LABELS,
                           chosen=notifications.preferences(current_user),
                           defaults=notifications.EMAIL_DEFAULTS)
