"""The secret iCal feed: created once, parsed by icalendar, the same entries as the pages,
hashed at rest, revocable, and stopped for whoever may no longer see them."""
import hashlib
import re
from datetime import UTC

import pytest
from conftest import login_as, publish_now
from icalendar import Calendar
from sqlalchemy import select

from commsdesk import scheduling, workflow
from commsdesk.audit import action_label
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, CalendarFeed, Document

from .conftest import soon

URL_RE = re.compile(r'value="http://localhost(/calendar/feed/([^"/]+)\.ics)"')


def _create(client):
    response = client.form("/calendar/feed")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    path, token = URL_RE.search(response.get_data(as_text=True)).groups()
    return path, token


def _events(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.mimetype == "text/calendar"
    calendar = Calendar.from_ical(response.data)
    return {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}


def test_the_feed_holds_the_users_entries(app, office, client):
    planned = soon(3)
    office.scheduled(planned, "Budgeten", shared=True)
    publish_now(office.editor, office.approved("Ute nu"))
    office.scheduled(soon(4), "Högerns plan", editor=office.outsider_editor,
                     approver=office.outsider_approver)
    path, _token = _create(login_as(client, office.editor))
    anonymous = app.test_client()  # calendar programs have no session
    events = _events(anonymous, path)
    assert set(events) == {"Scheduled: Budgeten (Newsroom)", "Published: Ute nu (Newsroom)"}
    event = events["Scheduled: Budgeten (Newsroom)"]
    start = event.decoded("DTSTART")
    assert start == planned and start.tzinfo is not None
    assert event.to_ical().decode().count("DTSTART:") == 1  # UTC, no TZID parameter
    assert re.search(r"DTSTART:\d{8}T\d{6}Z", event.to_ical().decode())
    assert str(event["UID"]).startswith("scheduled-") and str(event["UID"]).endswith(
        "@localhost")
    doc = db.session.execute(select(Document).where(Document.title == "Budgeten")).scalar_one()
    assert str(event["URL"]) == f"http://localhost/documents/{doc.id}"
    description = str(event["DESCRIPTION"])
    assert "State: Queued" in description and "Channel: Newsroom" in description
    published = events["Published: Ute nu (Newsroom)"]
    assert "http://localhost/n/mitten/" in str(published["DESCRIPTION"])
    # The partner's feed shows the shared text, never the owner's others.
    partner_path, _ = _create(login_as(app.test_client(), office.partner_editor))
    assert set(_events(anonymous, partner_path)) == {"Scheduled: Budgeten (Newsroom)"}


def test_uids_are_stable_and_the_time_follows_a_reschedule(app, office):
    doc = office.scheduled(soon(3), "Budgeten")
    path, _ = _create(login_as(app, office.editor))
    client = app.test_client()
    [before] = _events(client, path).values()
    workflow.reschedule(office.editor, doc, soon(6))
    [after] = _events(client, path).values()
    assert str(after["UID"]) == str(before["UID"])
    assert after.decoded("DTSTART") == soon(6).astimezone(UTC)


def test_the_token_is_stored_only_as_its_hash(app, office):
    client = login_as(app, office.editor)
    _path, token = _create(client)
    feed = db.session.execute(select(CalendarFeed)).scalar_one()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str([getattr(feed, c.key) for c in CalendarFeed.__table__.columns])
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "calendar_feed.created")).scalar_one()
    assert token not in str(entry.data)
    # The calendar page shows that a link exists, never the link itself.
    page = client.get("/calendar").get_data(as_text=True)
    assert token not in page and "Your address works since" in page


def test_revoked_gives_404_and_a_new_address_replaces_the_old(app, office):
    client = login_as(app, office.editor)
    first, _ = _create(client)
    second, _ = _create(client)
    anonymous = app.test_client()
    assert anonymous.get(first).status_code == 404
    assert anonymous.get(second).status_code == 200
    response = client.form("/calendar/feed/revoke")
    assert response.status_code == 302
    assert anonymous.get(second).status_code == 404
    assert "Create a calendar address" in client.get("/calendar").get_data(as_text=True)
    entries = db.session.execute(select(AuditEntry).where(
        AuditEntry.action.like("calendar_feed.%")).order_by(AuditEntry.id)).scalars().all()
    assert [e.action for e in entries] == ["calendar_feed.created", "calendar_feed.created",
                                           "calendar_feed.revoked"]
    assert entries[1].data["replaced"] == [entries[0].object_id]
    assert action_label("calendar_feed.revoked") == "Calendar address revoked"
    assert action_label("calendar_feed.created") == "Calendar address created"


def test_the_feed_stops_for_a_disabled_user(app, office):
    path, _ = _create(login_as(app, office.editor))
    anonymous = app.test_client()
    assert anonymous.get(path).status_code == 200
    office.editor.active = False
    db.session.commit()
    assert anonymous.get(path).status_code == 404
    office.editor.active = True
    db.session.commit()
    assert anonymous.get(path).status_code == 200
    office.editor.organisation_id = office.outsider.id  # moved to another organisation
    db.session.commit()
    assert anonymous.get(path).status_code == 404


@pytest.mark.parametrize("token", ["nope", "x" * 300, "%00"])
def test_unknown_tokens_are_404(client, token):
    response = client.get(f"/calendar/feed/{token}.ics")
    assert response.status_code == 404
    assert response.headers["Cache-Control"] == "no-store"


def test_last_use_is_recorded(app, office):
    path, _ = _create(login_as(app, office.editor))
    assert scheduling.active_feed(office.editor).last_used_at is None
    app.test_client().get(path)
    db.session.expire_all()
    assert scheduling.active_feed(office.editor).last_used_at is not None
