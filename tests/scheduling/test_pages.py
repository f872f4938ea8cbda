"""The calendar's pages: month, week and agenda, navigation, filters in the URL, Swedish
weeks and month names, and who sees what."""
import re

import pytest
from conftest import login_as

from .conftest import STOCKHOLM, day_cell, soon


def _page(client, **args):
    response = client.get("/calendar", query_string=args)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _local_day(at):
    return at.astimezone(STOCKHOLM).date()


def test_the_calendar_is_in_the_main_navigation(app, office):
    client = login_as(app, office.contributor)
    page = client.get("/").get_data(as_text=True)
    assert '<a href="/calendar">Calendar</a>' in page


def test_login_required(client):
    response = client.get("/calendar")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("view", ["", "month", "week", "agenda"])
def test_every_view_shows_a_scheduled_text(app, office, view):
    at = soon(2)
    office.scheduled(at, "Budgeten 2027")
    html = _page(login_as(app, office.editor), view=view, date=_local_day(at).isoformat())
    assert "Budgeten 2027" in html
    assert at.astimezone(STOCKHOLM).strftime("%H:%M") in html
    assert ("cal-month" in html) == (view in ("", "month"))
    assert ("cal-agenda" in html) == (view in ("", "agenda"))
    assert ('class="cal-week"' in html) == (view == "week")


def test_without_a_view_the_page_carries_grid_and_agenda_for_css_to_choose(app, office):
    html = _page(login_as(app, office.editor))
    assert 'class="cal-month cal-auto"' in html and 'class="cal-agenda cal-auto"' in html
    assert "aria-current=\"page\"" not in html.split('class="tabs cal-views"')[1].split(
        "</nav>")[0]


def test_month_grid_places_the_item_on_its_day(app, office):
    at = soon(2)
    office.scheduled(at, "Budgeten 2027")
    html = _page(login_as(app, office.editor), view="month", date=_local_day(at).isoformat())
    assert "Budgeten 2027" in day_cell(html, _local_day(at))


def test_swedish_month_names_week_numbers_and_monday_first(app, office):
    client = login_as(app, office.editor)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    html = _page(client, view="month", date="2026-10-14")
    assert "Oktober 2026" in html
    # October 2026 starts on a Thursday: the grid starts Monday 28 September, ISO week 40.
    assert re.search(r'<th scope="row" class="cal-wk">40</th>\s*<td class="cal-day cal-other" '
                     r'data-day="2026-09-28">', html)
    headers = re.findall(r'<th scope="col"><abbr title="(\w+)">', html)
    assert headers[0] == "måndag" and headers[-1] == "söndag"
    assert 'data-day="2026-11-01"' in html and 'data-day="2026-11-02"' not in html
    week = _page(client, view="week", date="2026-10-14")
    assert re.search(r"\b42, 12 okt\. – 18 okt\. 2026", week)


def test_previous_next_and_today_keep_the_view_and_filters(app, office):
    html = _page(login_as(app, office.editor), view="week", date="2026-12-30",
                 type="scheduled", kind="op_ed")
    assert 'href="/calendar?view=week&amp;type=scheduled&amp;kind=op_ed&amp;date=2026-12-23"' \
        in html
    assert 'href="/calendar?view=week&amp;type=scheduled&amp;kind=op_ed&amp;date=2027-01-06"' \
        in html
    month = _page(login_as(app, office.editor), view="month", date="2026-12-30")
    assert 'href="/calendar?view=month&amp;date=2027-01-01"' in month
    assert 'href="/calendar?view=month&amp;date=2026-11-01"' in month


def test_filters_in_the_url(app, office):
    at = soon(2)
    office.scheduled(at, "Pressmeddelandet", kind="press_release")
    office.scheduled(at, "Debattartikeln", kind="op_ed")
    client = login_as(app, office.editor)
    day = _local_day(at).isoformat()
    html = _page(client, view="agenda", date=day, kind="op_ed")
    assert "Debattartikeln" in html and "Pressmeddelandet" not in html
    assert '<option value="op_ed" selected>' in html
    html = _page(client, view="agenda", date=day, type="deadline")
    assert "Debattartikeln" not in html and "Nothing in the calendar this month." in html
    assert client.get("/calendar?type=someday").status_code == 422


def test_an_outsiders_text_never_shows_and_a_shared_one_does(app, office):
    at = soon(2)
    office.scheduled(at, "Högerns plan", editor=office.outsider_editor,
                     approver=office.outsider_approver)
    office.scheduled(at, "Gemensamt", shared=True)
    html = _page(login_as(app, office.partner_editor), view="agenda",
                 date=_local_day(at).isoformat())
    assert "Gemensamt" in html and "Högerns plan" not in html
    assert "Mittenpartiet" in html  # whose text it is
    assert "Reschedule" not in html  # partners do not move the owner's text


def test_only_the_owning_organisations_editors_see_the_reschedule_form(app, office):
    at = soon(2)
    office.scheduled(at, "Budgeten")
    day = _local_day(at).isoformat()
    for user, shown in ((office.editor, True), (office.approver, True), (office.admin, True),
                        (office.contributor, False)):
        html = _page(login_as(app, user), view="agenda", date=day)
        assert ("Reschedule" in html) == shown, user.role
