"""Rescheduling from the calendar: through workflow.reschedule and its checks, with the
date and time read in the organisation's zone, also on the nights the clocks change."""
from datetime import UTC, date, datetime, timedelta

import pytest
from conftest import login_as

from commsdesk import documents, scheduling, workflow
from commsdesk.errors import ValidationError
from commsdesk.models import AuditEntry, Publication, utcnow

from .conftest import STOCKHOLM, day_cell, next_change, soon


def _move(client, doc, day, clock, back="/calendar?view=agenda"):
    return client.form(f"/calendar/documents/{doc.id}/reschedule",
                       {"date": str(day), "time": clock, "next": back})


def _flashes(client):
    return client.get("/calendar").get_data(as_text=True)


def test_reschedule_through_the_form(app, office):
    doc = office.scheduled(soon(2), "Budgeten")
    client = login_as(app, office.editor)
    day = soon(5).astimezone(STOCKHOLM).date()
    response = _move(client, doc, day, "14:30")
    assert response.status_code == 302
    assert response.headers["Location"] == "/calendar?view=agenda"
    at = datetime(day.year, day.month, day.day, 14, 30, tzinfo=STOCKHOLM)
    assert doc.scheduled_at == at
    rows = Publication.query.filter_by(document_id=doc.id).all()
    assert [r.due_at for r in rows] == [at] and rows[0].state == "queued"
    entry = AuditEntry.query.filter_by(action="workflow.reschedule").one()
    assert entry.data["at"] == at.astimezone(UTC).isoformat()
    assert "now goes out" in _flashes(client)


@pytest.mark.parametrize("role", ["contributor", "partner_editor"])
def test_refused_for_contributors_and_partners(app, office, role):
    doc = office.scheduled(soon(2), "Budgeten", shared=True)
    client = login_as(app, getattr(office, role))
    response = _move(client, doc, soon(5).date(), "10:00")
    assert response.status_code == 302
    assert "Only the owning organisation&#39;s editors may do that." in _flashes(client)
    assert doc.scheduled_at == soon(2)


def test_an_outsider_gets_404(app, office):
    doc = office.scheduled(soon(2))
    client = login_as(app, office.outsider_editor)
    assert _move(client, doc, soon(5).date(), "10:00").status_code == 404
    assert doc.scheduled_at == soon(2)


def test_refused_for_a_past_time(app, office):
    doc = office.scheduled(soon(2), "Budgeten")
    client = login_as(app, office.editor)
    yesterday = (utcnow() - timedelta(days=1)).astimezone(STOCKHOLM).date()
    _move(client, doc, yesterday, "10:00")
    page = _flashes(client)
    assert "“Budgeten” was not rescheduled: The time to publish must be in the future." in page
    assert doc.scheduled_at == soon(2)


@pytest.mark.parametrize("day, clock", [("", "10:00"), ("2027-02-30", "10:00"),
                                        ("2027-02-03", "25:00"), ("9999-01-01", "10:00")])
def test_refused_for_a_date_that_is_not_one(app, office, day, clock):
    doc = office.scheduled(soon(2), "Budgeten")
    client = login_as(app, office.editor)
    _move(client, doc, day, clock)
    assert "was not rescheduled" in _flashes(client)
    assert doc.scheduled_at == soon(2)


def test_refused_when_not_scheduled_any_more(app, office):
    doc = office.scheduled(soon(2), "Budgeten")
    workflow.unschedule(office.editor, doc)
    client = login_as(app, office.editor)
    _move(client, doc, soon(5).date(), "10:00")
    assert "is not possible while the document is" in _flashes(client)


def test_next_only_leads_back_into_the_site(app, office):
    doc = office.scheduled(soon(2))
    client = login_as(app, office.editor)
    response = _move(client, doc, soon(5).date(), "10:00", back="https://evil.example/")
    assert response.headers["Location"] == "/"


# --- the nights the clocks change (Europe/Stockholm) -------------------------------------

def test_the_night_clocks_go_back_2026_is_its_first_half_hour():
    """2026-10-25 02:30 happens twice in Stockholm: first in summer time (UTC+2), then an
    hour later in winter time. The calendar takes the first."""
    at = scheduling.local_moment("2026-10-25", "02:30", STOCKHOLM)
    assert at == datetime(2026, 10, 25, 0, 30, tzinfo=UTC)
    assert scheduling.local_moment("2026-10-25", "01:59", STOCKHOLM) == datetime(
        2026, 10, 24, 23, 59, tzinfo=UTC)
    assert scheduling.local_moment("2026-10-25", "03:00", STOCKHOLM) == datetime(
        2026, 10, 25, 2, 0, tzinfo=UTC)


def test_the_missing_hour_of_2026_03_29_is_refused():
    """02:30 on 2026-03-29 never happens in Stockholm (02:00 becomes 03:00): refused, rather
    than moved silently to 03:30."""
    with pytest.raises(ValidationError) as caught:
        scheduling.local_moment("2026-03-29", "02:30", STOCKHOLM)
    assert "does not exist in Europe/Stockholm" in caught.value.message
    assert scheduling.local_moment("2026-03-29", "03:00", STOCKHOLM) == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC)
    assert scheduling.local_moment("2026-03-29", "01:59", STOCKHOLM) == datetime(
        2026, 3, 29, 0, 59, tzinfo=UTC)


def test_reschedule_to_the_night_clocks_go_back(app, office):
    """Through the form, to 02:30 on the next night clocks go back: 00:30 UTC, summer time,
    and the message names the offset so nobody wonders which 02:30 it is."""
    doc = office.scheduled(soon(2), "Budgeten")
    client = login_as(app, office.editor)
    night = next_change(10)
    _move(client, doc, night, "02:30")
    assert doc.scheduled_at == datetime(night.year, night.month, night.day, 0, 30, tzinfo=UTC)
    assert "(UTC+02:00)" in _flashes(client)
    due = {r.due_at for r in Publication.query.filter_by(document_id=doc.id)}
    assert due == {doc.scheduled_at}


def test_reschedule_to_the_missing_hour_is_refused(app, office):
    doc = office.scheduled(soon(2), "Budgeten")
    client = login_as(app, office.editor)
    night = next_change(3)
    _move(client, doc, night, "02:30")
    message = f"02:30 on {night.isoformat()} does not exist in Europe/Stockholm"
    assert message in _flashes(client)
    assert doc.scheduled_at == soon(2)
    assert AuditEntry.query.filter_by(action="workflow.reschedule").count() == 0


def test_the_month_grid_places_items_on_their_local_day_across_the_change(app, office):
    """Deadlines around 2026-10-25, and scheduled texts around the next such night: each on
    the day its Stockholm time falls on, not its UTC day."""
    def deadline(title, moment):
        documents.create_document(office.editor, "op_ed", {"title": title, "body": "x"},
                                  deadline=moment.isoformat())

    deadline("Lördag sent", datetime(2026, 10, 24, 21, 30, tzinfo=UTC))  # 23:30 CEST, 24th
    deadline("Natten", datetime(2026, 10, 24, 22, 30, tzinfo=UTC))  # 00:30 CEST, 25th
    deadline("Andra halvtimmen", datetime(2026, 10, 25, 1, 30, tzinfo=UTC))  # 02:30 CET
    deadline("Söndag sent", datetime(2026, 10, 25, 22, 59, tzinfo=UTC))  # 23:59 CET, 25th
    deadline("Måndag", datetime(2026, 10, 25, 23, 0, tzinfo=UTC))  # 00:00 CET, 26th
    html = login_as(app, office.editor).get("/calendar?view=month&date=2026-10-01").get_data(
        as_text=True)
    assert "Lördag sent" in day_cell(html, date(2026, 10, 24))
    on_25 = day_cell(html, date(2026, 10, 25))
    assert all(t in on_25 for t in ("Natten", "Andra halvtimmen", "Söndag sent"))
    assert "02:30" in on_25 and "23:59" in on_25
    assert "Måndag" in day_cell(html, date(2026, 10, 26))

    night = next_change(10)
    office.scheduled(datetime.combine(night, datetime.min.time(), tzinfo=UTC)
                     - timedelta(minutes=90), "Före midnatt lokalt")  # 00:30 CEST
    html = login_as(app, office.editor).get(
        f"/calendar?view=month&date={night.isoformat()}").get_data(as_text=True)
    assert "Före midnatt lokalt" in day_cell(html, night)
