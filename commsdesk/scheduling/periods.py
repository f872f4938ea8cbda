"""Periods of whole local days in an organisation's zone (a month grid, a week, an agenda),
and reading a local date and time someone chose. Times are stored in UTC; a period starts and
ends at local midnights, so an item lands on the day its local time falls on, also across a
daylight saving change."""
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from flask_babel import gettext as _

from ..errors import ValidationError
from ..times import EARLIEST_YEAR, LATEST_YEAR, parse_datetime

MONTH, WEEK, AGENDA = "month", "week", "agenda"
VIEWS = (MONTH, WEEK, AGENDA)
# The longest period one request may ask for (the API's from/to).
MAX_DAYS = 366


@dataclass(frozen=True)
class Period:
    """Whole local days from `first` to `last` (inclusive) in a zone."""

    view: str
    anchor: date
    first: date
    last: date
    zone: object

    @property
    def start(self):
        return local_midnight(self.first, self.zone)

    @property
    def end(self):
        return local_midnight(self.last + timedelta(days=1), self.zone)

    @property
    def days(self):
        return [self.first + timedelta(days=n) for n in range((self.last - self.first).days + 1)]

    @property
    def weeks(self):
        """The days in rows of seven, Monday first."""
        days = self.days
        return [days[i:i + 7] for i in range(0, len(days), 7)]

    @property
    def previous(self):
        return _shift(self.view, self.anchor, -1)

    @property
    def next(self):
        return _shift(self.view, self.anchor, 1)


def local_midnight(day, zone):
    """The moment (UTC) a local day begins."""
    return datetime.combine(day, time.min, tzinfo=zone).astimezone(UTC)


def local_day(moment, zone):
    """The local day a moment (UTC) falls on."""
    return moment.astimezone(zone).date()


def _monday(day):
    return day - timedelta(days=day.weekday())


def _shift(view, anchor, step):
    if view == WEEK:
        return anchor + timedelta(weeks=step)
    month = anchor.month - 1 + step
    return date(anchor.year + month // 12, month % 12 + 1, 1)


def period(view, anchor, zone):
    """The days a view shows around `anchor`: the week (Monday to Sunday), or for the month
    and the agenda the weeks that hold the month's days (the agenda lists the month only)."""
    if view == WEEK:
        first = _monday(anchor)
        return Period(view, anchor, first, first + timedelta(days=6), zone)
    month_first = anchor.replace(day=1)
    month_last = _shift(MONTH, anchor, 1) - timedelta(days=1)
    if view == AGENDA:
        return Period(view, anchor, month_first, month_last, zone)
    return Period(view, anchor, _monday(month_first),
                  _monday(month_last) + timedelta(days=6), zone)


def parse_day(value, zone):
    """A date from YYYY-MM-DD text, or today in the zone when it is missing or not a date
    within the years times accepts."""
    try:
        day = date.fromisoformat(str(value or "").strip())
    except ValueError:
        day = None
    if day is None or not EARLIEST_YEAR <= day.year <= LATEST_YEAR:
        day = datetime.now(zone).date()
    return day


def by_day(found, zone):
    """{local day: entries on it} for a list of entries."""
    days = {}
    for entry in found:
        days.setdefault(local_day(entry.at, zone), []).append(entry)
    return days


def api_range(start, end, zone):
    """The UTC bounds of an API request: ISO dates or date-times (naive ones read in the
    zone), from the start of today and for 31 days unless given, at most MAX_DAYS long."""
    first = parse_datetime(start, zone, field="from", label="from") or local_midnight(
        datetime.now(zone).date(), zone)
    last = parse_datetime(end, zone, field="to", label="to") or first + timedelta(days=31)
    if last <= first:
        raise ValidationError(_("“to” must come after “from”."), field="to")
    if last - first > timedelta(days=MAX_DAYS):
        raise ValidationError(_("Ask for at most %(n)d days at a time.", n=MAX_DAYS),
                              field="to")
    return first, last


# --- a local date and time someone chose --------------------------------------------------

def local_moment(day_text, time_text, zone):
    """The moment (UTC) of a local date and time someone chose. A time that occurs twice (the
    night clocks go back) is its first occurrence, still in summer time; a time that does
    not exist (skipped when clocks go forward) is refused with a message that says so."""
    day_text, time_text = (day_text or "").strip(), (time_text or "").strip()
    if not day_text or not time_text:
        raise ValidationError(_("Give the date and the time to publish."), field="at")
    try:
        naive = datetime.combine(date.fromisoformat(day_text), time.fromisoformat(time_text))
    except ValueError:
        raise ValidationError(_("Not a valid date and time: %(value)s",
                                value=f"{day_text} {time_text}"), field="at") from None
    at = parse_datetime(naive.replace(tzinfo=zone), field="at", label=_("Publish at"))
    if at.astimezone(zone).replace(tzinfo=None) != naive:
        raise ValidationError(
            _("%(time)s on %(date)s does not exist in %(zone)s: the clocks go forward that "
              "night. Choose another time.", time=naive.strftime("%H:%M"),
              date=naive.date().isoformat(), zone=str(zone)), field="at")
    return at

