"""Suggestions: anyone who can see a document proposes content; its editors accept (a new
revision with exactly that content) or reject; a stale suggestion never overwrites."""
import pytest
from sqlalchemy import func, select

from commsdesk import discussion, documents
from commsdesk.errors import Conflict, Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, Revision, Suggestion


def proposal(doc, **changes):
    content = dict(doc.current_revision.content)
    content.update(changes)
    return content


def revision_count(doc):
    return db.session.scalar(select(func.count()).where(Revision.document_id == doc.id))


def audit_actions(doc):
    return [e.action for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.object_type == "document",
                                 AuditEntry.object_id == doc.id).order_by(AuditEntry.id)
    ).scalars() if e.action.startswith("suggestion.")]


def notices(user):
    return db.session.execute(
        select(Notification).where(Notification.user_id == user.id)).scalars().all()


def test_partner_suggests_and_owner_accepts_exactly_that_content(world):
    w = world
    content = proposal(w.doc, body="Alla barn ska ha en behörig lärare.\n\nDet kostar 3 miljarder.",
                       fields={"contact": "Per, 070-1", "embargo": ""})
    item = discussion.create_suggestion(w.partner, w.doc, content, w.doc.current_revision_id,
                                    note="Rätt siffra")
    assert (item.status, item.author_id, item.organisation_id) == (
        "open", w.partner.id, w.partner_org.id)
    assert item.base_revision_id == w.doc.current_revision_id and item.note == "Rätt siffra"
    assert revision_count(w.doc) == 1  # the document does not change until accepted
    # The owner and the owning organisation's editors hear of it; the partner's own do not.
    assert [n.event for n in notices(w.editor)] == ["suggestion"]
    assert [n.event for n in notices(w.colleague)] == ["suggestion"]
    assert notices(w.partner_b) == [] and notices(w.contributor) == []

    changes = discussion.changes(w.doc, item)
    assert [c["field"] for c in changes["base"] if c["changed"]] == ["body", "fields.contact"]
    assert changes["current"] is None

    accepted = discussion.accept_suggestion(w.colleague, w.doc, item.id)
    revision = w.doc.current_revision
    assert revision.number == 2 and revision.author_id == w.colleague.id
    assert revision.content == documents.normalise_content(w.doc.kind, content)
    assert revision.content == item.content
    assert revision.note == f"Suggestion by {w.partner.name} accepted"
    assert accepted.status == "accepted" and accepted.decided_by_id == w.colleague.id
    assert accepted.result_revision_id == revision.id and accepted.decided_at is not None
    assert audit_actions(w.doc) == ["suggestion.created", "suggestion.accepted"]
    told = [n for n in notices(w.partner)]
    assert [(n.event, n.data["status"]) for n in told] == [("suggestion", "accepted")]


def test_owner_rejects_with_a_reason(world):
    w = world
    item = discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title="Ny rubrik"),
                                    w.doc.current_revision_id)
    discussion.reject_suggestion(w.editor, w.doc, item.id, reason="Vi behåller rubriken.")
    assert item.status == "rejected" and item.decided_by_id == w.editor.id
    assert item.result_revision_id is None and revision_count(w.doc) == 1
    assert discussion.rejection_reason(w.doc, item) == "Vi behåller rubriken."
    told = notices(w.partner)
    assert [(n.event, n.data["status"], n.data["message"]) for n in told] == [
        ("suggestion", "rejected", "Vi behåller rubriken.")]
    assert audit_actions(w.doc) == ["suggestion.created", "suggestion.rejected"]
    with pytest.raises(Conflict):
        discussion.accept_suggestion(w.editor, w.doc, item.id)
    with pytest.raises(Conflict):
        discussion.reject_suggestion(w.editor, w.doc, item.id)


def test_accepting_a_stale_suggestion_overwrites_nothing(world):
    w = world
    item = discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, lead="Partnerns ingress"),
                                    w.doc.current_revision_id)
    newer, _created = documents.save_revision(
        w.editor, w.doc, proposal(w.doc, body="Ny brödtext av ägaren."),
        w.doc.current_revision_id)
    assert discussion.is_stale(w.doc, item)
    with pytest.raises(Conflict) as error:
        discussion.accept_suggestion(w.editor, w.doc, item.id)
    assert error.value.details == {"current_revision_id": newer.id,
                                   "base_revision_id": item.base_revision_id}
    db.session.expire_all()
    assert w.doc.current_revision_id == newer.id and revision_count(w.doc) == 2
    assert w.doc.current_revision.content["body"] == "Ny brödtext av ägaren."
    assert db.session.get(Suggestion, item.id).status == "open"
    # What accepting it would do now shows the owner's newer work being undone.
    changes = discussion.changes(w.doc, item)
    assert {c["field"] for c in changes["current"] if c["changed"]} == {"lead", "body"}
    assert {c["field"] for c in changes["since"] if c["changed"]} == {"body"}
    # Rejecting a stale suggestion is fine.
    discussion.reject_suggestion(w.editor, w.doc, item.id, reason="Föråldrad")
    assert item.status == "rejected"


def test_partners_and_contributors_cannot_accept_or_reject(world):
    w = world
    item = discussion.create_suggestion(w.partner_b, w.doc, proposal(w.doc, title="X"),
                                    w.doc.current_revision_id)
    for user in (w.partner, w.partner_b, w.contributor):
        with pytest.raises(Forbidden):
            discussion.accept_suggestion(user, w.doc, item.id)
        with pytest.raises(Forbidden):
            discussion.reject_suggestion(user, w.doc, item.id)
    with pytest.raises(NotFound):
        discussion.accept_suggestion(w.stranger, w.doc, item.id)
    db.session.expire_all()
    assert db.session.get(Suggestion, item.id).status == "open" and revision_count(w.doc) == 1


def test_anyone_who_can_see_the_document_may_suggest(world):
    w = world
    base = w.doc.current_revision_id
    for user in (w.contributor, w.colleague, w.partner_b):
        discussion.create_suggestion(user, w.doc, proposal(w.doc, title=f"Av {user.name}"), base)
    with pytest.raises(NotFound):
        discussion.create_suggestion(w.stranger, w.doc, proposal(w.doc, title="Jag"), base)
    assert len(discussion.suggestions(w.editor, w.doc, status="open")) == 3
    assert discussion.suggestions(w.editor, w.doc, status="accepted") == []
    with pytest.raises(ValidationError):
        discussion.suggestions(w.editor, w.doc, status="hemlig")
    with pytest.raises(NotFound):
        discussion.suggestions(w.stranger, w.doc)


def test_a_suggestion_must_change_something_valid_on_the_current_revision(world):
    w = world
    base = w.doc.current_revision_id
    with pytest.raises(ValidationError):
        discussion.create_suggestion(w.partner, w.doc, proposal(w.doc), base)
    with pytest.raises(ValidationError):
        discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title=""), base)
    with pytest.raises(ValidationError):
        discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title="X"), base,
                                 note="n" * (discussion.MAX_NOTE + 1))
    documents.save_revision(w.editor, w.doc, proposal(w.doc, title="Nyare"), base)
    with pytest.raises(Conflict) as error:
        discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title="Min"), base)
    assert error.value.details["current_revision_id"] == w.doc.current_revision_id
    assert db.session.execute(select(Suggestion)).first() is None


def test_a_suggestion_is_decided_once(world):
    w = world
    item = discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title="X"),
                                    w.doc.current_revision_id)
    discussion.accept_suggestion(w.editor, w.doc, item.id)
    for decide in (discussion.accept_suggestion, discussion.reject_suggestion):
        with pytest.raises(Conflict):
            decide(w.colleague, w.doc, item.id)
    assert revision_count(w.doc) == 2


def test_accepting_one_of_two_makes_the_other_stale(world):
    w = world
    base = w.doc.current_revision_id
    first = discussion.create_suggestion(w.partner, w.doc, proposal(w.doc, title="Ett"), base)
    second = discussion.create_suggestion(w.partner_b, w.doc, proposal(w.doc, title="Två"), base)
    discussion.accept_suggestion(w.editor, w.doc, first.id)
    assert discussion.is_stale(w.doc, second)
    with pytest.raises(Conflict):
        discussion.accept_suggestion(w.editor, w.doc, second.id)
    assert w.doc.current_revision.content["title"] == "Ett"


def test_a_suggestion_of_another_document_is_not_found(world):
    w = world
    other = documents.create_document(w.editor, "press_release", {"title": "Annat"})
    item = discussion.create_suggestion(w.colleague, other, {"title": "Annat 2"},
                                    other.current_revision_id)
    with pytest.raises(NotFound):
        discussion.get_suggestion(w.editor, w.doc, item.id)
    with pytest.raises(NotFound):
        discussion.accept_suggestion(w.editor, w.doc, item.id)
