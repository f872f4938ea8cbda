"""A meeting as an iCalendar invitation (RFC 5545, METHOD:REQUEST as RFC 5546 has it): one
stable UID per meeting document, a SEQUENCE that grows with each update, the times in the
organisation's zone with its VTIMEZONE, the place and the agenda."""
from datetime import timedelta
from email.utils import parseaddr
from urllib.parse import urlsplit

from flask import current_app
from icalendar import Calendar, Event, vCalAddress, vText

from ..times import organisation_zone, utcnow

FILENAME = "kallelse.ics"
CONTENT_TYPE = "text/calendar; method=REQUEST"


def uid(doc):
    """The meeting's UID: the same for the notice, every update and the reminder."""
    host = urlsplit(current_app.config["BASE_URL"]).hostname or "commsdesk.local"
    return f"meeting-{doc.id}@{host}"


def _organizer(name, reply_to):
    _display, address = parseaddr(reply_to or current_app.config["MAIL_FROM"])
    organizer = vCalAddress(f"mailto:{address}")
    organizer.params["cn"] = vText(name)
    return organizer


def invitation(doc, meeting, sequence, organizer_name, reply_to="", cancelled=False):
    """The .ics text for a meeting (a meetings.Meeting) at this SEQUENCE."""
    zone = organisation_zone(doc)
    calendar = Calendar()
    calendar.add("prodid", "-//commsdesk//meeting notices//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    event = Event()
    event.add("uid", uid(doc))
    event.add("sequence", sequence)
    event.add("dtstamp", utcnow())
    event.add("dtstart", meeting.starts_at.astimezone(zone))
    if meeting.ends_at:
        event.add("dtend", meeting.ends_at.astimezone(zone))
    event.add("summary", meeting.title)
    if meeting.place:
        event.add("location", meeting.place)
    description = "\n\n".join(part for part in (meeting.agenda, "\n".join(meeting.documents))
                              if part)
    if description:
        event.add("description", description)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    event.add("organizer", _organizer(organizer_name, reply_to))
    calendar.add_component(event)
    # The zone's rules around the meeting only (the default spans 1970-2038: 5 KB of dates).
    start = meeting.starts_at.astimezone(zone).date()
    calendar.add_missing_timezones(first_date=start - timedelta(days=400),
                                   last_date=start + timedelta(days=400))
    return calendar.to_ical().decode()


def attachment(data):
    """The invitation as a Composed attachment."""
    return {"filename": FILENAME, "content_type": CONTENT_TYPE, "data": data}
