"""Time: the current moment in UTC, reading a date and time someone typed, and the zone an
organisation shows its times in. Times are stored in UTC and shown in the organisation's zone."""
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from flask import current_app
from flask_babel import gettext as _

from .errors import ValidationError

# Dates as people read them in every language ("4 Dec 2026 14:05", "4 dec. 2026 14:05"),
# never a numeric form that reads differently in different countries (12/4/26).
DATETIME_FORMATS = {"short": "d MMM yyyy HH:mm", "medium": "d MMM yyyy HH:mm:ss"}


def utcnow():
    """The current time, timezone-aware, in UTC."""
    return datetime.now(UTC)


def organisation_zone(holder=None):
    """The zone of an organisation, or of the organisation of a document or user; the
    installation's default zone (COMMSDESK_TIMEZONE) for None."""
    org = getattr(holder, "organisation", holder)
    name = getattr(org, "timezone", None) or current_app.config["TIMEZONE"]
    return ZoneInfo(name)


def parse_datetime(value, tz=None):
    """An aware UTC datetime from ISO text; naive text is read in the given zone (UTC if none)."""
    if value in (None, ""):
        return None
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(_("Not a valid date and time: %(value)s", value=value)) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or UTC)
    try:
        return parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01 in a zone east of UTC
        raise ValidationError(_("Not a valid date and time: %(value)s", value=value)) from None
