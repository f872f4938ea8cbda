"""An office with a partner and an outsider, and texts scheduled, published, due and in
review, made through the workflow as the office would."""
import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import make_document, make_org, make_user, share

from commsdesk import workflow
from commsdesk.models import utcnow

STOCKHOLM = ZoneInfo("Europe/Stockholm")


class Office:
    """Mittenpartiet (owner), Gröna (a partner who shares texts) and Högern (an outsider)."""

    def __init__(self):
        self.org = make_org("mitten", "Mittenpartiet")
        self.partner = make_org("gron", "Gröna")
        self.outsider = make_org("hoger", "Högern")
        self.editor = make_user(self.org, "editor")
        self.approver = make_user(self.org, "approver")
        self.contributor = make_user(self.org, "contributor")
        self.admin = make_user(self.org, "admin")
        self.partner_editor = make_user(self.partner, "editor")
        self.partner_approver = make_user(self.partner, "approver")
        self.outsider_editor = make_user(self.outsider, "editor")
        self.outsider_approver = make_user(self.outsider, "approver")

    def approved(self, title="Ny förskola", kind="press_release", shared_with=None,
                 editor=None, approver=None):
        """An approved text of the office (or of the outsider, given its people)."""
        editor, approver = editor or self.editor, approver or self.approver
        doc = make_document(editor, kind=kind, title=title, body="Text")
        if shared_with is not None:
            share(doc, shared_with)
        workflow.submit(editor, doc)
        workflow.approve(approver, doc)
        if shared_with is not None:
            workflow.approve(self.partner_approver, doc)
        assert doc.state == workflow.APPROVED
        return doc

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
