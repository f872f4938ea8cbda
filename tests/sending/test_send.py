"""A send-out to members through a real SMTP server: one message per recipient with its own
headers, the approved revision only, spared recipients recorded with the reason."""
import email
import re
from email import policy

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import documents, workflow
from commsdesk.audience import suppression
from commsdesk.errors import Forbidden
from commsdesk.extensions import db
from commsdesk.models import Delivery, Mailing, OrganisationSetting
from commsdesk.newsletter import mailings, meetings

from .conftest import add_members, approved, to_members

ALL = {"all_members": True}


def parsed(message):
    return email.message_from_bytes(message.as_bytes(), policy=policy.default)


def test_one_message_per_recipient_with_headers(staff, org, smtp):
    add_members(org, 5)
    doc = approved(staff)
    mailing = mailings.create(staff["editor"], doc, ALL)
    run_worker()
    db.session.refresh(mailing)
    assert mailing.state == "finished"
    assert len(to_members(smtp)) == 5
    ids = set()
    for message in to_members(smtp):
        msg = parsed(message)
        assert len(msg.get_all("To")) == 1 and "," not in msg["To"]
        assert msg["List-Unsubscribe"].strip().startswith("<http://localhost/")
        assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert msg["Date"] and msg["Subject"] == mailing.subject
        assert msg.get_content_type() == "multipart/alternative"
        assert [p.get_content_type() for p in msg.iter_parts()] == ["text/plain", "text/html"]
        assert "Anna" in msg.get_body(("plain",)).get_content()
        ids.add(msg["Message-ID"])
    rows = db.session.execute(select(Delivery)).scalars().all()
    assert ids == {r.message_id for r in rows}
    assert {r.state for r in rows} == {"sent"}
    db.session.refresh(doc)
    assert doc.state == workflow.PUBLISHED


def test_only_the_approved_revision_goes_out(staff, org, smtp):
    add_members(org, 2)
    doc = approved(staff)
    later = approved(staff, title="Schemalagd")
    mailing = mailings.create(staff["editor"], later, ALL)
    for text in (doc, later):
        documents.save_revision(staff["editor"], text, {**text.current_revision.content,
                                                        "body": "Ändrad efter godkännande"},
                                text.current_revision_id)
    with pytest.raises(workflow.ApprovalExpired):
        mailings.create(staff["editor"], doc, ALL)
    run_worker()
    assert to_members(smtp) == []
    db.session.refresh(mailing)
    assert mailing.state == "paused" and "approval" in mailing.paused_reason


def test_suppressed_and_capped_are_spared(staff, org, smtp):
    add_members(org, 4)
    suppression.suppress(org.id, "medlem0@example.se", "unsubscribed")
    db.session.add(OrganisationSetting(organisation_id=org.id, name="mail.weekly_cap",
                                       value="1"))
    db.session.commit()
    doc = approved(staff)
    mailings.create(staff["editor"], doc, ALL)
    run_worker()
    assert len(to_members(smtp)) == 3
    second = mailings.create(staff["editor"], approved(staff, title="Två"), ALL)
    run_worker()
    assert len(to_members(smtp)) == 3  # everyone left had their one this week
    rows = {r.email: r for r in db.session.execute(
        select(Delivery).where(Delivery.mailing_id == second.id)).scalars()}
    assert rows["medlem0@example.se"].last_error == mailings.SUPPRESSED
    assert rows["medlem1@example.se"].state == "skipped"
    assert rows["medlem1@example.se"].last_error == mailings.WEEKLY_CAP
    assert mailings.progress(second)["counts"]["skipped"] == 4


def test_only_publishers_create(staff, org):
    add_members(org, 1)
    doc = approved(staff)
    with pytest.raises(Forbidden):
        mailings.create(staff["contributor"], doc, ALL)


def test_a_second_send_out_of_one_text_spares_who_has_it(org, staff, smtp):
    add_members(org, 3)
    doc = approved(staff)
    first = mailings.create(staff["editor"], doc, {"all_members": True})
    run_worker()
    add_members(org, 2, prefix="medlemny")
    assert mailings.count_recipients(staff["editor"], doc, {"all_members": True}) == (2, 3)
    second = mailings.create(staff["editor"], doc, {"all_members": True})
    run_worker()
    rows = db.session.execute(select(Delivery).where(Delivery.mailing_id == second.id)
                              ).scalars().all()
    assert sorted(r.state for r in rows) == ["sent"] * 2 + ["skipped"] * 3
    assert {r.last_error for r in rows if r.state == "skipped"} == {"already_sent"}
    assert len(to_members(smtp)) == 5  # each member once, over both send-outs
    assert db.session.get(Mailing, first.id).state == "finished"


def test_a_meeting_notice_goes_out_as_one_with_its_invitation(org, staff, smtp, client):
    add_members(org, 2)
    doc = approved(staff, title="Medlemsmöte", kind="meeting_notice",
                   fields={"starts_at": "2030-03-12T18:00", "place": "Folkets hus",
                           "rsvp_by": "2030-03-10T12:00"})
    mailing = mailings.create(staff["editor"], doc, {"all_members": True})
    assert mailing.kind == "meeting_notice" and mailing.attachments
    run_worker()
    message = to_members(smtp)[0]
    assert any(part.get_content_type() == "text/calendar" for part in message.walk())
    # The member's own answer link: their yes is counted under their name.
    text = next(p for p in message.walk() if p.get_content_type() == "text/plain")
    body = text.get_payload(decode=True).decode()
    link = re.search(r"http://localhost(/r/[^?\s]+)\?answer=yes", body).group(1)
    client.form(link, {"answer": "yes"})
    answers = meetings.answers(staff["admin"], doc)
    assert answers["yes"]["names"] == [message["To"].split(" <")[0]]


def _meeting(staff, title="Medlemsmöte"):
    return approved(staff, title=title, kind="meeting_notice",
                    fields={"starts_at": "2030-03-12T18:00", "place": "Folkets hus",
                            "rsvp_by": "2030-03-10T12:00"})


def test_the_reminder_goes_the_day_before_to_all_but_those_who_declined(
        org, staff, smtp, client):
    from datetime import UTC, datetime

    add_members(org, 3)
    doc = _meeting(staff)
    mailings.create(staff["editor"], doc, {"all_members": True})
    run_worker()
    declining = next(m for m in to_members(smtp) if "medlem0@" in m["To"])
    text = next(p for p in declining.walk() if p.get_content_type() == "text/plain")
    link = re.search(r"http://localhost(/r/[^?\s]+)\?answer=no",
                     text.get_payload(decode=True).decode()).group(1)
    client.form(link, {"answer": "no"})
    the_day_before = datetime(2030, 3, 11, 19, 0, tzinfo=UTC)
    run_worker(now=the_day_before)
    reminder = db.session.execute(select(Mailing).where(
        Mailing.kind == "meeting_reminder")).scalar_one()
    rows = db.session.execute(select(Delivery).where(
        Delivery.mailing_id == reminder.id)).scalars().all()
    # Spared when the send-out was decided, not afterwards (the worker may start at once).
    assert {(r.email, r.state, r.last_error) for r in rows if r.state == "skipped"} == {
        ("medlem0@example.se", "skipped", "declined")}
    run_worker()  # the reminder was decided at the machine's time: it goes now
    reminded = [m for m in to_members(smtp) if m not in to_members(smtp)[:3]]
    assert sorted(m["To"].split("<")[1] for m in reminded) == [
        "medlem1@example.se>", "medlem2@example.se>"]
    assert not meetings.reminders_waiting(the_day_before)


def test_a_reminder_that_cannot_go_is_told_once_not_tried_every_tick(org, staff, smtp):
    from datetime import UTC, datetime

    add_members(org, 1)
    doc = _meeting(staff)
    mailings.create(staff["editor"], doc, {"all_members": True})
    run_worker()
    from commsdesk.audience import unsubscribe

    unsubscribe.unsubscribe(org.id, "medlem0@example.se", "link")  # nobody left to remind
    the_day_before = datetime(2030, 3, 11, 19, 0, tzinfo=UTC)
    assert meetings.reminders_waiting(the_day_before)
    run_worker(now=the_day_before)
    reminder = db.session.execute(select(Mailing).where(
        Mailing.kind == "meeting_reminder")).scalar_one()
    assert reminder.state == "cancelled" and "not sent" in reminder.paused_reason
    assert not meetings.reminders_waiting(the_day_before)
