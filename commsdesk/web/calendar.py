"""The editorial calendar: month, week and agenda over what the user may see, rescheduling
from it, and the user's secret iCal address (the feed itself needs no login)."""
from datetime import datetime

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user

from .. import kinds, scheduling
from ..access import get_document
from ..errors import DomainError, NotFound
from ..extensions import db
from ..times import organisation_zone
from . import members_only, private_headers, safe_next
from .filters import localtime

bp = Blueprint("calendar", __name__)
# The feed is read by calendar programs, which have no session: the token is the key.
feed_bp = Blueprint("calendar_feed", __name__)

members_only(bp)


@bp.get("/calendar")
def index():
    zone = organisation_zone(current_user)
    view = request.args.get("view", "")
    view = view if view in scheduling.VIEWS else ""  # "": month on a desktop, agenda on a phone
    anchor = scheduling.parse_day(request.args.get("date"), zone)
    args = request.args
    filters = scheduling.parse_filters(args.getlist("type"), args.getlist("kind"),
                                       args.getlist("channel"))
    shown = scheduling.period(view or scheduling.MONTH, anchor, zone)
    found = scheduling.entries(current_user, shown.start, shown.end, filters)
    days = scheduling.by_day(found, zone)
    agenda_days = [day for day in sorted(days)
                   if view == scheduling.WEEK or day.month == anchor.month]
    return render_template(
        "calendar/index.html", view=view, period=shown, days=days, agenda_days=agenda_days,
        filters=filters, zone=zone, today=datetime.now(zone).date(),
        movable={e.uid for e in found if scheduling.can_reschedule(current_user, e)},
        title=_title(view, shown), link=_linker(view, filters),
        types=scheduling.TYPE_LABELS, kinds=kinds.KINDS,
        channels=scheduling.channel_choices(current_user),
        feed=scheduling.active_feed(current_user),
    )


def _title(view, shown):
    if view == scheduling.WEEK:
        first, last = shown.first, shown.last
        return _("Week %(week)d, %(first)s – %(last)s", week=first.isocalendar().week,
                 first=format_date(first, "d MMM"), last=format_date(last, "d MMM yyyy"))
    return format_date(shown.anchor, "LLLL yyyy").capitalize()


def _linker(view, filters):
    """link(date=..., view=...): the calendar's address with the current view and filters."""
    def link(**changes):
        values = {"view": view or None, **filters.query(), **changes}
        if values.get("date") is not None:
            values["date"] = values["date"].isoformat()
        return url_for("calendar.index", **{k: v for k, v in values.items() if v})
    return link


@bp.post("/calendar/documents/<int:document_id>/reschedule")
def reschedule(document_id):
    """Move a scheduled text to another local date and time, through the workflow's checks;
    a refusal is shown on the calendar."""
    doc = get_document(current_user, document_id)
    back = safe_next(request.form.get("next") or url_for("calendar.index"))
    try:
        scheduling.reschedule(current_user, doc, request.form.get("date"),
                              request.form.get("time"))
    except NotFound:
        raise
    except DomainError as exc:
        db.session.rollback()
        flash(_("“%(title)s” was not rescheduled: %(reason)s", title=doc.title,
                reason=exc.message), "error")
    else:
        offset = doc.scheduled_at.astimezone(organisation_zone(doc)).strftime("%z")
        flash(_("“%(title)s” now goes out %(time)s (UTC%(offset)s).", title=doc.title,
                time=localtime(doc.scheduled_at), offset=f"{offset[:3]}:{offset[3:]}"), "info")
    return redirect(back)


@bp.post("/calendar/feed")
def create_feed():
    """A new secret calendar address, shown once in this response only."""
    _feed, raw = scheduling.create_feed(current_user)
    page = render_template("calendar/feed_created.html", url=scheduling.url_for_token(raw))
    return private_headers(page)


@bp.post("/calendar/feed/revoke")
def revoke_feed():
    scheduling.revoke_feed(current_user)
    flash(_("Your calendar address no longer works."), "info")
    return redirect(url_for("calendar.index"))


@feed_bp.get("/calendar/feed/<token>.ics")
def feed(token):
    """The user's calendar as iCal, for Outlook, Google Calendar and the like."""
    try:
        user = scheduling.open_feed(token)
    except NotFound as exc:
        return private_headers(Response(exc.message, 404, mimetype="text/plain"))
    response = Response(scheduling.feed_ics(user), mimetype="text/calendar")
    response.headers["Content-Disposition"] = 'inline; filename="commsdesk.ics"'
    return private_headers(response)
