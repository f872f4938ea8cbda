"""notify(): inbox rows and queued emails only for users who may see the document and want
them; the inbox never shows what the user can no longer see."""
from datetime import UTC

import pytest
from conftest import make_document, make_org, make_user, share
from flask_babel import force_locale
from sqlalchemy import delete, select

from commsdesk import notifications, people
from commsdesk.extensions import db
from commsdesk.models import Notification, OutgoingEmail, Share


@pytest.fixture
def orgs():
    return make_org("mitten"), make_org("gronska"), make_org("annat")


def _rows(event=None):
    query = select(Notification).order_by(Notification.id)
    if event:
        query = query.where(Notification.event == event)
    return db.session.execute(query).scalars().all()


def _emails():
    return db.session.execute(select(OutgoingEmail).order_by(OutgoingEmail.id)).scalars().all()


def test_only_users_who_may_see_the_document_are_notified(orgs):
    mitten, gronska, annat = orgs
    actor = make_user(mitten, "editor")
    colleague = make_user(mitten, "approver")
    disabled = make_user(mitten, "contributor")
    people.set_active(None, disabled, False)
    partner = make_user(gronska, "approver")
    stranger = make_user(annat, "approver")
    doc = make_document(actor, title="Budgetutspel")

    added = notifications.notify("review_requested", doc, actor,
                                 [None, actor, colleague, colleague, disabled, partner, stranger])
    db.session.commit()
    assert [n.user_id for n in added] == [colleague.id]
    assert [(n.user_id, n.event, n.document_id, n.actor_id) for n in _rows()] == [
        (colleague.id, "review_requested", doc.id, actor.id)]

    share(doc, gronska)  # now the partner may see it; the stranger still may not
    notifications.notify("agreed", doc, actor, [partner, stranger])
    db.session.commit()
    assert [n.user_id for n in _rows("agreed")] == [partner.id]
    assert {e.to_address for e in _emails()} == {colleague.email, partner.email}


def test_email_follows_defaults_and_preferences(orgs):
    mitten = orgs[0]
    actor = make_user(mitten, "editor")
    wants_all = make_user(mitten, "approver")
    wants_none = make_user(mitten, "admin")
    doc = make_document(actor)
    notifications.set_preferences(wants_all, notifications.EVENTS)
    notifications.set_preferences(wants_none, [])
    default_user = make_user(mitten, "contributor")
    for user in (wants_all, default_user):
        people.set_locale(user, "en")  # the subjects are looked at in English

    for event in ("review_requested", "comment"):
        notifications.notify(event, doc, actor, [wants_all, wants_none])
    notifications.notify("review_requested", doc, actor, [default_user])  # on by default
    notifications.notify("comment", doc, actor, [default_user])  # off by default
    db.session.commit()

    assert len(_rows()) == 6  # everything lands in the inbox
    sent = [(e.to_address, "review" if "review" in e.subject else "comment") for e in _emails()]
    assert sorted(sent) == sorted([(wants_all.email, "review"), (wants_all.email, "comment"),
                                   (default_user.email, "review")])


def test_defaults_are_documented_and_cover_every_event():
    assert set(notifications.EMAIL_DEFAULTS) == set(notifications.EVENTS)
    assert set(notifications.EVENT_LABELS) == set(notifications.EVENTS)
    on = {e for e, v in notifications.EMAIL_DEFAULTS.items() if v}
    assert on == {"review_requested", "mention", "changes_requested", "approved", "agreed",
                  "approval_expired", "publication_failed", "approval_stale",
                  "channel_problem", "approval_withdrawn", "release_scheduled", "release_held",
                  "release_resumed", "submission_reply_due",
                  "manual_post_due", "mailing_overdue", "mailing_paused", "watch_match",
                  "item_assigned"}
    assert "changed since you approved" in notifications.__doc__
    assert "comment, partner approved, published, suggestion" in notifications.__doc__


def test_preferences_round_trip(orgs):
    user = make_user(orgs[0], "editor")
    assert notifications.preferences(user) == notifications.EMAIL_DEFAULTS | {}
    chosen = notifications.set_preferences(user, ["comment", "published", "nonsense"])
    assert {e for e, v in chosen.items() if v} == {"comment", "published"}
    assert notifications.wants_email(user, "comment") and not notifications.wants_email(
        user, "review_requested")


def test_unknown_event_is_a_programming_error(orgs):
    user = make_user(orgs[0], "editor")
    with pytest.raises(ValueError):
        notifications.notify("gossip", make_document(user), user, [user])


def test_data_is_stored_as_json_and_system_events_have_no_actor(orgs):
    from datetime import datetime

    mitten = orgs[0]
    editor = make_user(mitten, "editor")
    doc = make_document(editor)
    due = datetime(2030, 3, 5, 9, 30, tzinfo=UTC)
    notifications.notify("approval_expired", doc, None, [editor], due_at=due, message="x" * 9000)
    db.session.commit()
    row = _rows()[0]
    assert row.actor_id is None
    assert row.data["due_at"] == due.isoformat()
    assert len(row.data["message"]) == notifications.MAX_DATA_TEXT


def test_inbox_hides_what_the_user_can_no_longer_see(orgs):
    mitten, gronska, _annat = orgs
    owner = make_user(mitten, "editor")
    doc = make_document(owner, title="Gemensamt")
    share(doc, gronska)
    partner = make_user(gronska, "editor")  # joins after the share: it was asked for no review
    notifications.notify("published", doc, owner, [partner])
    db.session.commit()
    assert notifications.unread_count(partner) == 1

    db.session.execute(delete(Share).where(Share.document_id == doc.id))  # unshared
    db.session.commit()
    assert notifications.unread_count(partner) == 0
    assert notifications.inbox(partner) == ([], 0)
    note = _rows()[0]
    with pytest.raises(Exception) as excinfo:
        notifications.mark_read(partner, note.id)
    assert getattr(excinfo.value, "status", None) == 404


def test_read_and_unread(orgs):
    mitten = orgs[0]
    actor, reader, other = (make_user(mitten, r) for r in ("editor", "approver", "admin"))
    doc = make_document(actor)
    for event in ("review_requested", "comment", "mention"):
        notifications.notify(event, doc, actor, [reader, other])
    db.session.commit()
    items, total = notifications.inbox(reader)
    assert total == 3 and [n.event for n in items] == ["mention", "comment", "review_requested"]

    notifications.mark_read(reader, items[0].id)
    assert notifications.unread_count(reader) == 2
    assert notifications.inbox(reader, unread_only=True)[1] == 2
    with pytest.raises(Exception) as excinfo:  # somebody else's notification
        notifications.mark_read(other, items[0].id)
    assert getattr(excinfo.value, "status", None) == 404
    assert notifications.mark_all_read(reader) == 2
    assert notifications.unread_count(reader) == 0 and notifications.unread_count(other) == 3
    notifications.mark_unread(reader, items[1].id)
    assert notifications.unread_count(reader) == 1


def test_sentences_follow_the_event_and_its_details(app, orgs):
    mitten = orgs[0]
    actor = make_user(mitten, "editor")
    partner = make_user(orgs[1], "approver")
    name = actor.name

    def say(event, **data):
        return notifications.describe(event, "Utspel", actor, data)

    with force_locale("en"):
        assert say("review_requested") == f"{name} asks you to review “Utspel”."
        assert say("review_requested", shared=True) == (
            f"{name} shared “Utspel” with your organisation for review.")
        assert say("suggestion") == f"{name} suggested a change to “Utspel”."
        assert say("suggestion", status="accepted") == (
            f"{name} accepted your suggestion on “Utspel”.")
        assert say("suggestion", status="rejected") == (
            f"{name} declined your suggestion on “Utspel”.")
        assert notifications.describe("comment", "T", None, {"guest_name": "Anna"}) == (
            "Anna (guest) commented on “T”.")
        assert notifications.describe("approval_expired", "T", None, {}).startswith(
            "“T” was held")
        assert notifications.describe("partner_approved", "T", partner,
                                      {"organisation": "Gronska"}, reader=actor) == (
            f"{partner.name} (Gronska) approved “T” for Gronska.")
        for event in notifications.EVENTS:
            assert notifications.describe(event, "T", actor, {})
