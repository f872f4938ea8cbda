"""The calendar in a real browser: on a phone the agenda, never wider than the screen; on a
wide screen the month grid with a scheduled text, rescheduled from its cell.

Assertions match markup, dates and times, not wording, so they hold in Swedish and English."""
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import make_document, make_user
from playwright.sync_api import expect

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import utcnow

PHONE = {"width": 390, "height": 844}
WIDE = {"width": 1366, "height": 900}
STOCKHOLM = ZoneInfo("Europe/Stockholm")
LONG_TITLE = "Kollektivtrafiken i hela Älvstad behöver " + "mycket-lang-rubrik-utan-mellanslag" * 3


def _scheduled(editor, approver, title, days=2):
    """A text approved and scheduled for 10:00 Stockholm time a few days ahead."""
    day = (utcnow() + timedelta(days=days)).astimezone(STOCKHOLM).date()
    at = datetime(day.year, day.month, day.day, 10, tzinfo=STOCKHOLM).astimezone(UTC)
    doc = make_document(editor, title=title, body="Text")
    workflow.submit(editor, doc)
    workflow.approve(approver, doc)
    workflow.schedule(editor, doc, at)
    return doc, day


def _scroll_width(page):
    return page.evaluate("document.documentElement.scrollWidth")


@pytest.fixture
def approver(org):
    return make_user(org, "approver")


def test_a_phone_gets_the_agenda_and_no_sideways_scrolling(person, editor, approver):
    _doc, day = _scheduled(editor, approver, LONG_TITLE)
    page = person(editor.email, PHONE)
    page.goto(f"/calendar?date={day.isoformat()}")
    expect(page.locator(".cal-agenda")).to_be_visible()
    expect(page.locator("table.cal-month")).to_be_hidden()
    expect(page.locator(f".cal-agenda [data-day='{day.isoformat()}']")).to_be_visible()
    expect(page.locator(".cal-agenda .cal-entry .cal-title")).to_contain_text("Kollektivtrafiken")
    expect(page.locator(".cal-views a")).to_have_count(3)  # the switcher is there
    assert _scroll_width(page) <= PHONE["width"]
    page.locator(".cal-agenda .cal-move summary").click()
    expect(page.locator(".cal-agenda .cal-move input[type=time]")).to_be_visible()
    assert _scroll_width(page) <= PHONE["width"]
    # A month grid or a week asked for on a phone still fits.
    for view in ("month", "week"):
        page.goto(f"/calendar?view={view}&date={day.isoformat()}")
        expect(page.locator(".cal-entry").first).to_be_visible()
        assert _scroll_width(page) <= PHONE["width"], view


def test_the_month_grid_shows_a_scheduled_text_and_reschedules_it(page, log_in, editor,
                                                                  approver):
    doc, day = _scheduled(editor, approver, "Budgeten 2027")
    log_in(editor.email)
    page.set_viewport_size(WIDE)
    page.goto(f"/calendar?date={day.isoformat()}")
    expect(page.locator("table.cal-month")).to_be_visible()
    expect(page.locator(".cal-agenda")).to_be_hidden()
    cell = page.locator(f"td[data-day='{day.isoformat()}']")
    expect(cell.locator(".cal-entry")).to_contain_text("Budgeten 2027")
    expect(cell.locator(".cal-entry time")).to_have_text("10:00")
    assert _scroll_width(page) <= WIDE["width"]

    later = day + timedelta(days=1) if (day + timedelta(days=1)).month == day.month \
        else day - timedelta(days=1)
    cell.locator(".cal-move summary").click()
    cell.locator("input[type=date]").fill(later.isoformat())
    cell.locator("input[type=time]").fill("15:45")
    cell.locator("button[type=submit]").click()
    expect(page.locator(".flash.info")).to_contain_text("Budgeten 2027")
    moved = page.locator(f"td[data-day='{later.isoformat()}'] .cal-entry")
    expect(moved).to_contain_text("Budgeten 2027")
    expect(moved.locator("time")).to_have_text("15:45")
    expect(page.locator(f"td[data-day='{day.isoformat()}'] .cal-entry")).to_have_count(0)
    db.session.refresh(doc)
    assert doc.scheduled_at == datetime(later.year, later.month, later.day, 15, 45,
                                        tzinfo=STOCKHOLM)
