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


def _refuse_skipped(naive, local, details):
    """A wall-clock time the clocks skip (02:30 the night summer time starts) names no
    moment: refuse it rather than move it silently by an hour. A time that occurs twice
    (the night clocks go back) is its first occurrence, still in summer time."""
    try:
        round_trip = local.astimezone(UTC).astimezone(local.tzinfo).replace(tzinfo=None)
    except OverflowError:
        return  # out of range: the year check below says so
    if round_trip != naive:
        raise ValidationError(
            _("%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward that "
              "night. Choose another time.", time=naive.strftime("%H:%M"),
              date=naive.date().isoformat(), zone=str(local.tzinfo)), **details)


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
        naive, parsed = parsed, parsed.replace(tzinfo=tz or UTC)
        _refuse_skipped(naive, parsed, details)
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
