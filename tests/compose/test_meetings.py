"""Meeting notices: the .ics invitation, answers through signed links, updates, reminders."""
import pytest
from icalendar import Calendar
from sqlalchemy import select

from commsdesk import documents
from commsdesk.errors import NotFound
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Member
from commsdesk.newsletter import compose, meetings

from .conftest import meeting_doc, sent_mailing


def _ics(composed):
    (attachment,) = composed.attachments
    assert attachment["filename"] == "kallelse.ics"
    assert attachment["content_type"] == "text/calendar; method=REQUEST"
    return Calendar.from_ical(attachment["data"])


def test_ics_parses_with_zone_uid_and_growing_sequence(team):
    doc = meeting_doc(team["editor"])
    first = _ics(compose.build(doc, doc.current_revision, "meeting_notice"))
    assert first["METHOD"] == "REQUEST"
    event = first.walk("VEVENT")[0]
    assert event["DTSTART"].params["TZID"] == "Europe/Stockholm"
    assert event.decoded("DTSTART").hour == 18
    assert [tz["TZID"] for tz in first.walk("VTIMEZONE")] == ["Europe/Stockholm"]
    assert str(event["LOCATION"]) == "Folkets hus" and "Val" in str(event["DESCRIPTION"])
    assert int(event["SEQUENCE"]) == 0
    sent_mailing(doc, "meeting_notice")
    update = compose.build(doc, doc.current_revision, "meeting_update")
    assert update.subject.startswith("Ändrad tid eller plats")
    event2 = _ics(update).walk("VEVENT")[0]
    assert str(event2["UID"]) == str(event["UID"]) and int(event2["SEQUENCE"]) == 1
    sent_mailing(doc, "meeting_update")
    event3 = _ics(compose.build(doc, doc.current_revision, "meeting_update")).walk("VEVENT")[0]
    assert int(event3["SEQUENCE"]) == 2


def test_answer_links_work_and_a_tampered_one_is_refused(team, client):
    doc = meeting_doc(team["editor"])
    links = meetings.rsvp_links(doc.id, "Anna@Example.org")
    path = links["rsvp_yes_url"].split("://", 1)[1].split("/", 1)[1]
    page = client.get("/" + path)
    assert page.status_code == 200 and "Årsmöte" in page.get_data(as_text=True)
    token = path.split("/")[1].split("?")[0]
    response = client.form(f"/r/{token}", {"answer": "yes"})
    assert response.status_code == 302
    assert meetings.answers(team["admin"], doc)["yes"]["count"] == 1
    client.form(f"/r/{token}", {"answer": "no"})
    assert meetings.answers(team["admin"], doc)["no"]["count"] == 1
    assert meetings.answers(team["admin"], doc)["yes"]["count"] == 0
    assert client.get(f"/r/{token[:-2]}xx").status_code == 404
    with pytest.raises(NotFound):
        meetings.answer(token[:-2] + "xx", "yes")
    assert meetings.answers(team["other"], doc) is None


def test_a_changed_place_after_the_notice_offers_an_update(team):
    doc = meeting_doc(team["editor"])
    assert meetings.changes_since_notice(doc) == []
    sent_mailing(doc, "meeting_notice")
    assert meetings.changes_since_notice(doc) == []
    content = dict(doc.current_revision.content)
    content["fields"] = {**content["fields"], "place": "Stadshuset"}
    documents.save_revision(team["editor"], doc, content, doc.current_revision_id)
    assert meetings.changes_since_notice(doc) == ["place"]


def test_names_of_members_who_answered_are_shown_to_stewards_and_audited(team, client):
    doc = meeting_doc(team["editor"])
    member = Member(organisation_id=team["org"].id, name="Anna Berg", email="anna@example.org")
    db.session.add(member)
    db.session.commit()
    token = meetings.rsvp_token(doc.id, member.email, member.id)
    client.form(f"/r/{token}", {"answer": "yes"})
    assert meetings.answers(team["admin"], doc)["yes"]["names"] == ["Anna Berg"]
    viewed = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "members.viewed")).scalars().all()
    assert len(viewed) == 1 and "Anna" not in str(viewed[0].data)
