"""An office with a partner and an outsider, and texts scheduled, published, due and in
review, made through the workflow as the office would."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from office import Office as BaseOffice

from commsdesk import workflow
from commsdesk.models import utcnow

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Office(BaseOffice):
    """The office (tests/office.py), which also schedules."""

    def scheduled(self, at, title="Ny förskola", **kwargs):
        """An approved text scheduled for `at` on its channels (the newsroom)."""
        doc = self.approved(title, **kwargs)
        workflow.schedule(kwargs.get("editor") or self.editor, doc, at)
        return doc


@pytest.fixture
def office():
    return Office()


def soon(days=3, hour=10):
    """A whole local hour a few days ahead, as an aware UTC datetime."""
    day = (utcnow() + timedelta(days=days)).astimezone(STOCKHOLM).date()
    return datetime(day.year, day.month, day.day, hour, tzinfo=STOCKHOLM).astimezone(
        ZoneInfo("UTC"))


def last_sunday(year, month):
    """The last Sunday of a month: when European clocks change (March, October)."""
    day = date(year, month + 1, 1) - timedelta(days=1) if month < 12 else date(year, 12, 31)
    return day - timedelta(days=(day.weekday() + 1) % 7)


def next_change(month):
    """The next night (after tomorrow) that clocks change in March or October."""
    today = utcnow().date()
    for year in (today.year, today.year + 1):
        day = last_sunday(year, month)
        if day > today + timedelta(days=1):
            return day
    raise AssertionError("unreachable")


def day_cell(html, day):
    """The HTML of one day's cell in the month grid."""
    match = re.search(rf'<td class="cal-day[^"]*" data-day="{day.isoformat()}">(.*?)</td>',
                      html, re.S)
    assert match, f"no cell for {day}"
    return match.group(1)
