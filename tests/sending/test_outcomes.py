"""What the server answers decides a row: 4xx later again, 5xx failed with its words, most
refused pauses the send-out; and what a person does: pause, resume, cancel, confirm an
overdue send, decide an uncertain row. Two claims never share a row."""
from datetime import timedelta

import pytest
from conftest import run_worker
from sqlalchemy import select, update

from commsdesk.errors import Conflict
from commsdesk.extensions import db
from commsdesk.models import Delivery, Notification, utcnow
from commsdesk.newsletter import deliver, mailings

from .conftest import add_members, approved, to_members

ALL = {"all_members": True}


def rows(mailing):
    db.session.expire_all()
    return {r.email: r for r in db.session.execute(
        select(Delivery).where(Delivery.mailing_id == mailing.id)).scalars()}


def test_4xx_again_later_5xx_failed(staff, org, picky):
    add_members(org, 6)
    picky.replies = {"medlem1@example.se": "451 4.3.0 Try again later",
                     "medlem2@example.se": "550 5.1.1 No such user here"}
    mailing = mailings.create(staff["editor"], approved(staff), ALL)
    run_worker()
    by_email = rows(mailing)
    assert by_email["medlem2@example.se"].state == "failed"
    assert "550 5.1.1 No such user here" in by_email["medlem2@example.se"].last_error
    retry = by_email["medlem1@example.se"]
    assert retry.state == "queued" and retry.next_attempt_at > utcnow()
    assert len(to_members(picky)) == 4
    db.session.refresh(mailing)
    assert mailing.state == "sending"
    picky.replies = {}
    run_worker(now=utcnow() + timedelta(minutes=5))
    assert rows(mailing)["medlem1@example.se"].state == "sent"
    db.session.refresh(mailing)
    assert mailing.state == "finished"
    assert len(to_members(picky)) == 5


def test_most_refused_pauses_itself(staff, org, picky):
    add_members(org, 120)
    picky.replies = {f"medlem{n}@example.se": "554 5.7.1 Rejected as spam"
                     for n in range(120) if n % 5}
    mailing = mailings.create(staff["editor"], approved(staff), ALL)
    run_worker()
    db.session.refresh(mailing)
    assert mailing.state == "paused"
    assert "554 5.7.1 Rejected as spam" in mailing.paused_reason
    counts = mailings.progress(mailing)["counts"]
    assert counts["queued"] > 0 and counts["sending"] == 0
    assert db.session.execute(select(Notification.user_id).where(
        Notification.event == "mailing_paused")).scalars().all() == [staff["editor"].id]


def test_pause_resume_cancel(staff, org, smtp):
    add_members(org, 3)
    mailing = mailings.create(staff["editor"], approved(staff), ALL)
    mailings.pause(staff["editor"], mailing)
    run_worker()
    assert to_members(smtp) == []
    with pytest.raises(Conflict):
        mailings.pause(staff["editor"], mailing)
    mailings.resume(staff["editor"], mailing)
    run_worker()
    assert len(to_members(smtp)) == 3
    db.session.refresh(mailing)
    assert mailing.state == "finished"
    other = mailings.create(staff["editor"], approved(staff, title="Till"), ALL)
    mailings.cancel(staff["editor"], other)
    run_worker()
    assert len(to_members(smtp)) == 3
    assert {r.last_error for r in rows(other).values()} == {"cancelled"}


def test_overdue_waits_for_a_person(staff, org, smtp):
    add_members(org, 2)
    at = utcnow() + timedelta(hours=1)
    mailing = mailings.create(staff["editor"], approved(staff), ALL, at=at)
    run_worker()
    assert mailing.state == "scheduled" and to_members(smtp) == []
    run_worker(now=at + timedelta(hours=2))  # the worker was down past its time
    db.session.refresh(mailing)
    assert mailing.state == "overdue" and to_members(smtp) == []
    note = db.session.execute(select(Notification).where(
        Notification.event == "mailing_overdue")).scalar_one()
    assert (note.event, note.user_id) == ("mailing_overdue", staff["editor"].id)
    mailings.confirm_overdue(staff["editor"], mailing)
    run_worker(now=at + timedelta(hours=2))
    db.session.refresh(mailing)
    assert mailing.state == "finished" and len(to_members(smtp)) == 2


def test_scheduled_goes_out_at_its_time(staff, org, smtp):
    add_members(org, 2)
    at = utcnow() + timedelta(hours=1)
    mailing = mailings.create(staff["editor"], approved(staff), ALL, at=at)
    run_worker(now=at + timedelta(minutes=1))
    db.session.refresh(mailing)
    assert mailing.state == "finished" and len(to_members(smtp)) == 2


def test_uncertain_rows_are_decided_by_a_person(staff, org, smtp):
    add_members(org, 3)
    mailing = mailings.create(staff["editor"], approved(staff), ALL)
    ids = sorted(r.id for r in rows(mailing).values())
    db.session.execute(update(Delivery).where(Delivery.id.in_(ids[:2])).values(
        state="sending", claimed_by="dead:1", claimed_at=utcnow() - timedelta(hours=1)))
    db.session.commit()
    run_worker()
    db.session.refresh(mailing)
    assert mailing.state == "sending"  # not finished while rows are uncertain
    uncertain = [r for r in rows(mailing).values() if r.state == "uncertain"]
    assert len(uncertain) == 2 and len(to_members(smtp)) == 1
    mailings.settle_uncertain(staff["editor"], uncertain[0], "sent")
    mailings.settle_uncertain(staff["editor"], uncertain[1], "resend")
    run_worker()
    db.session.refresh(mailing)
    assert mailing.state == "finished" and len(to_members(smtp)) == 2


def test_two_claims_never_share_a_row(staff, org, app):
    add_members(org, 50)
    mailing = mailings.create(staff["editor"], approved(staff), ALL)
    mailing.state = "sending"
    db.session.commit()
    first = deliver.Run(mailing, None, None, None)
    second = deliver.Run(mailing, None, None, None)
    a, b = first._claim(30), second._claim(30)
    assert len(a) == 30 and len(b) == 20
    assert not {r[0] for r in a} & {r[0] for r in b}
    assert second._claim(30) == []
