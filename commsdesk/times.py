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


# Dates people type are bounded: a year like 9999 is a typo, and near datetime's limits
# converting to a local zone overflows, which would take every page showing it down.
EARLIEST_YEAR, LATEST_YEAR = 2000, 2100


def parse_datetime(value, tz=None, field=None, label=None):
    """An aware UTC datetime from ISO text; naive text is read in the given zone (UTC if none).
    Text that is not a date and time, or whose year lies outside EARLIEST_YEAR..LATEST_YEAR,
    is refused with a ValidationError naming the field (`label` in the message, `field` in
    its details)."""
    if value in (None, ""):
        return None
    details = {"field": field} if field else {}
    if isinstance(value, datetime):
        parsed = value
    else:
        try:
            parsed = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            raise ValidationError(_("Not a valid date and time: %(value)s", value=value),
                                  **details) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz or UTC)
    try:
        parsed = parsed.astimezone(UTC)
    except OverflowError:  # e.g. 0001-01-01 in a zone east of UTC
        parsed = None
    if parsed is None or not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise ValidationError(
            _("%(field)s must lie between the years %(first)d and %(last)d (not %(value)s).",
              field=label or field or _("A date"), first=EARLIEST_YEAR, last=LATEST_YEAR,
              value=value), **details)
    return parsed
