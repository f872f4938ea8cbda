"""What became of an offer: state changes (and the ones refused), the withdrawal note to the
desk, the reply-deadline reminder (once), and the newsroom's "first published in"."""
from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from conftest import publish_now, run_worker
from sqlalchemy import select

from commsdesk import submissions
from commsdesk.channels.website import WebsiteAdapter
from commsdesk.errors import Conflict, ValidationError
from commsdesk.extensions import db
from commsdesk.models import Notification, OutgoingEmail, Publication, utcnow

from .support import approved_op_ed, make_outlet


@pytest.fixture
def offer(editor):
    doc = approved_op_ed(editor)
    return doc, submissions.submit(editor, doc, make_outlet(editor).id, "Om författaren")


def test_accept_then_publish_with_date_and_link(editor, offer):
    doc, row = offer
    submissions.accept(editor, doc, row)
    assert row.state == "accepted" and row.decided_at is not None
    submissions.publish(editor, doc, row, "2026-12-01", "https://alvstad.example/debatt/1")
    assert (row.state, row.published_on) == ("published", date(2026, 12, 1))
    assert submissions.newest_published(doc) == row


@pytest.mark.parametrize("action", ["accept", "refuse", "publish", "withdraw"])
def test_a_closed_offer_changes_no_more(editor, offer, action):
    doc, row = offer
    submissions.refuse(editor, doc, row)
    with pytest.raises(Conflict, match="refused"):
        submissions.change_state(editor, doc, row, action, published_on="2026-12-01")


def test_accepting_twice_is_refused(editor, offer):
    doc, row = offer
    submissions.accept(editor, doc, row)
    with pytest.raises(Conflict):
        submissions.accept(editor, doc, row)


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://x.example/a", "https://",
                                 "alvstad.example/a"])
def test_a_published_link_must_be_http(editor, offer, url):
    doc, row = offer
    with pytest.raises(ValidationError, match="https://"):
        submissions.publish(editor, doc, row, "2026-12-01", url)
    db.session.rollback()
    assert db.session.get(type(row), row.id).state == "offered"


def test_publishing_needs_a_date(editor, offer):
    doc, row = offer
    with pytest.raises(ValidationError, match="date"):
        submissions.publish(editor, doc, row, "", "")


def test_withdrawing_tells_the_desk(editor, offer):
    doc, row = offer
    submissions.withdraw(editor, doc, row)
    notes = db.session.execute(select(OutgoingEmail).where(
        OutgoingEmail.subject.like("Withdrawn:%"))).scalars().all()
    assert [n.to_address for n in notes] == ["debatt@alvstad.example"]
    assert "Bussarna" in notes[0].text_body


def test_the_secretary_is_reminded_once_when_the_reply_is_overdue(editor, offer):
    _doc, row = offer
    assert run_worker()["submission_reminders"] == 0
    late = row.reply_by + timedelta(minutes=1)
    assert run_worker(now=late)["submission_reminders"] == 1
    assert run_worker(now=late + timedelta(days=1))["submission_reminders"] == 0
    [note] = db.session.execute(select(Notification).where(
        Notification.event == "submission_reply_due")).scalars().all()
    assert note.user_id == editor.id and note.data["outlet"] == "Älvstads Tidning"
    assert submissions.is_overdue(row, late)


def test_an_answered_offer_is_not_reminded(editor, offer):
    doc, row = offer
    submissions.accept(editor, doc, row)
    assert submissions.remind_due(row.reply_by + timedelta(days=1)) == 0


def test_a_new_reply_deadline_reminds_again(editor, offer):
    doc, row = offer
    assert submissions.remind_due(row.reply_by + timedelta(minutes=1)) == 1
    later = utcnow() + timedelta(days=20)
    submissions.set_reply_by(editor, doc, row, later.isoformat())
    assert row.reminded_at is None
    assert submissions.remind_due(later + timedelta(minutes=1)) == 1


def test_the_newsroom_says_where_it_was_first_published(editor, offer):
    doc, row = offer
    submissions.publish(editor, doc, row, "2026-12-01", "https://alvstad.example/debatt/1")
    publish_now(editor, doc)
    payload = db.session.execute(select(Publication.payload)).scalar_one()
    assert payload["published_in"] == "Älvstads Tidning"
    assert payload["published_url"] == "https://alvstad.example/debatt/1"


def test_the_documents_own_fields_win(editor, offer):
    doc, row = offer
    submissions.publish(editor, doc, row, "2026-12-01", "https://alvstad.example/debatt/1")
    current = doc.current_revision
    fields = {"published_in": "Annan tidning", "published_url": ""}
    revision = SimpleNamespace(content=dict(current.content, fields=fields),
                               number=current.number, content_hash=current.content_hash)
    payload = WebsiteAdapter().format(doc, revision, None)
    assert (payload["published_in"], payload["published_url"]) == ("Annan tidning", "")


def test_the_decision_trail_lists_the_offers(editor, offer):
    from conftest import api_as

    doc, row = offer
    submissions.publish(editor, doc, row, "2026-12-01", "https://alvstad.example/debatt/1")
    trail = api_as(editor).get(f"/documents/{doc.id}/trail").get_json()
    [entry] = trail["submissions"]
    assert entry["outlet"]["name"] == "Älvstads Tidning" and entry["state"] == "published"
    assert entry["content_hash"] == row.content_hash
