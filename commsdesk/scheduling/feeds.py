"""A user's secret calendar feed: an iCal address (RFC 5545) to subscribe to in Outlook or
Google Calendar, showing the same entries as the calendar pages, for as long as the user may
see them. Only the SHA-256 of the address's token is stored; it is shown once, to its user."""
import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from icalendar import Calendar, Event
from sqlalchemy import select

from .. import audit, kinds
from ..errors import NotFound
from ..extensions import db
from ..models import CalendarFeed, utcnow
from ..notifications import absolute_url
from .entries import SCHEDULED, TYPE_LABELS, entries

# What a feed holds: recent history and what is planned for the year ahead.
PAST, AHEAD = timedelta(days=90), timedelta(days=400)
# An entry is a moment; calendars show it as a short block that does not make anyone busy.
LENGTH = timedelta(minutes=15)
MAX_TOKEN = 200


def hash_token(raw):
    return hashlib.sha256((raw or "").encode("utf-8")).hexdigest()


def active_feed(user):
    """The user's feed that works now, or None."""
    return db.session.execute(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                   CalendarFeed.revoked_at.is_(None))
        .order_by(CalendarFeed.id.desc()).limit(1)
    ).scalar_one_or_none()


def _revoke_all(user):
    now = utcnow()
    feeds = db.session.execute(
        select(CalendarFeed).where(CalendarFeed.user_id == user.id,
                                   CalendarFeed.revoked_at.is_(None))
    ).scalars().all()
    for feed in feeds:
        feed.revoked_at = now
    return feeds


def create_feed(user):
    """A new secret address for the user, replacing any earlier one (which stops working);
    returns (feed, raw token). Commits."""
    replaced = [feed.id for feed in _revoke_all(user)]
    raw = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, organisation_id=user.organisation_id,
                        token_hash=hash_token(raw))
    db.session.add(feed)
    db.session.flush()
    audit.record(user, "calendar_feed.created", feed, replaced=replaced)
    db.session.commit()
    return feed, raw


def revoke_feed(user):
    """Stop the user's address at once; revoking when there is none changes nothing. Commits."""
    feeds = _revoke_all(user)
    for feed in feeds:
        audit.record(user, "calendar_feed.revoked", feed)
    db.session.commit()
    return feeds


def url_for_token(raw):
    """The absolute address of the feed for a token."""
    return absolute_url("calendar_feed.feed", token=raw)


def open_feed(raw):
    """The user of a working feed token; NotFound for an unknown or revoked token and for a
    user who is disabled or no longer in the organisation the feed was made in."""
    feed = None
    if raw and len(raw) <= MAX_TOKEN:
        feed = db.session.execute(
            select(CalendarFeed).where(CalendarFeed.token_hash == hash_token(raw))
        ).scalar_one_or_none()
    user = feed.user if feed is not None else None
    if (feed is None or feed.revoked_at is not None or user is None or not user.is_active
            or user.organisation_id != feed.organisation_id):
        raise NotFound(_("This calendar address does not work (any more)."))
    now = utcnow()
    # Calendar clients poll often; record use at most once an hour.
    if feed.last_used_at is None or now - feed.last_used_at > timedelta(hours=1):
        feed.last_used_at = now
        db.session.commit()
    return user


def feed_ics(user):
    """The user's calendar as iCal bytes: an event per entry, at its moment in UTC."""
    now = utcnow()
    found = entries(user, now - PAST, now + AHEAD)
    with force_locale(user.locale or current_app.config["BABEL_DEFAULT_LOCALE"]):
        calendar = Calendar()
        calendar.add("prodid", "-//commsdesk//Editorial calendar//EN")
        calendar.add("version", "2.0")
        calendar.add("calscale", "GREGORIAN")
        calendar.add("x-wr-calname", _("commsdesk: %(name)s", name=user.name))
        for entry in found:
            calendar.add_component(_event(entry, now))
    return calendar.to_ical()


def _event(entry, now):
    event = Event()
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "commsdesk"
    event.add("uid", f"{entry.uid}@{host}")
    event.add("dtstamp", now)
    event.add("dtstart", entry.at)
    event.add("dtend", entry.at + LENGTH)
    event.add("transp", "TRANSPARENT")
    channels = ", ".join(channel.name for channel in entry.channels)
    summary = f"{TYPE_LABELS[entry.type]}: {entry.title}"
    event.add("summary", f"{summary} ({channels})" if channels else summary)
    link = absolute_url("documents.show", document_id=entry.document.id)
    event.add("url", link)
    event.add("description", "\n".join(_description(entry, channels, link)))
    if entry.type == SCHEDULED and entry.state == "held":
        event.add("status", "TENTATIVE")
    return event


def _description(entry, channels, link):
    kind = kinds.get_kind(entry.kind)
    lines = [_("State: %(state)s", state=entry.state_label),
             _("Kind: %(kind)s", kind=kind.label if kind else entry.kind)]
    if channels:
        lines.append(_("Channel: %(channels)s", channels=channels))
    if entry.reviewers:
        lines.append(_("Reviewers: %(names)s", names=", ".join(entry.reviewers)))
    if entry.url:
        lines.append(_("Published at: %(url)s", url=entry.url))
    lines.append(link)
    return lines
