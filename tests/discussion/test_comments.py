"""Comment threads: replies, quoted passages, resolve and reopen, @mentions and notices."""
import pytest
from conftest import make_user
from sqlalchemy import select

from commsdesk import discussion, documents
from commsdesk.errors import Conflict, Forbidden, NotFound, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Comment, Notification, Share


def notices(user, event=None):
    query = select(Notification).where(Notification.user_id == user.id)
    if event:
        query = query.where(Notification.event == event)
    return db.session.execute(query).scalars().all()


def actions(doc):
    return [e.action for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.object_type == "document",
                                 AuditEntry.object_id == doc.id).order_by(AuditEntry.id)
    ).scalars()]


# --- threads -------------------------------------------------------------------------------

def test_partner_comments_and_owner_replies_in_one_thread(world):
    w = world
    first = discussion.add_comment(w.partner, w.doc, "Kan vi säga **tre** miljarder?")
    assert first.author_id == w.partner.id and first.organisation_id == w.partner_org.id
    assert first.revision_id == w.doc.current_revision_id and first.parent_id is None
    reply = discussion.add_comment(w.editor, w.doc, "Nej, två stämmer.", parent_id=first.id)
    # A reply to a reply joins the thread: threads are one level deep.
    again = discussion.add_comment(w.partner_b, w.doc, "Okej.", parent_id=str(reply.id))
    assert reply.parent_id == first.id and again.parent_id == first.id
    other = discussion.add_comment(w.colleague, w.doc, "Annan fråga.")
    threads = discussion.threads(w.editor, w.doc)
    # Newest activity first: the thread with the latest reply... or the newest thread.
    assert {t.root.id for t in threads} == {first.id, other.id}
    thread = next(t for t in threads if t.root.id == first.id)
    assert [c.id for c in thread.replies] == [reply.id, again.id]
    assert thread.last_activity >= again.created_at
    # What the world did before the test (create, share) aside, only comments were recorded.
    assert {"comment.created"} == set(actions(w.doc)) - {"document.created", "document.shared"}


def test_threads_are_ordered_by_latest_activity(world):
    w = world
    old = discussion.add_comment(w.partner, w.doc, "Först")
    new = discussion.add_comment(w.partner, w.doc, "Sedan")
    assert [t.root.id for t in discussion.threads(w.editor, w.doc)] == [new.id, old.id]
    discussion.add_comment(w.editor, w.doc, "Svar", parent_id=old.id)
    assert [t.root.id for t in discussion.threads(w.editor, w.doc)] == [old.id, new.id]


def test_reply_to_a_comment_of_another_document_is_not_found(world):
    w = world
    elsewhere = documents.create_document(w.editor, "press_release", {"title": "Annat"})
    foreign = discussion.add_comment(w.editor, elsewhere, "Där")
    with pytest.raises(NotFound):
        discussion.add_comment(w.editor, w.doc, "Här", parent_id=foreign.id)
    with pytest.raises(NotFound):
        discussion.add_comment(w.editor, w.doc, "Här", parent_id="x")


@pytest.mark.parametrize("body", ["", "   ", None, 12, "x" * (discussion.MAX_COMMENT + 1)])
def test_a_comment_needs_text_within_limits(world, body):
    with pytest.raises(ValidationError):
        discussion.add_comment(world.partner, world.doc, body)
    assert db.session.execute(select(Comment)).first() is None


def test_nobody_outside_may_comment_or_read(world):
    w = world
    comment = discussion.add_comment(w.partner, w.doc, "Hej")
    for call in (lambda: discussion.add_comment(w.stranger, w.doc, "Hej"),
                 lambda: discussion.threads(w.stranger, w.doc),
                 lambda: discussion.resolve_comment(w.stranger, w.doc, comment.id)):
        with pytest.raises(NotFound):
            call()


def test_unsharing_takes_commenting_away(world):
    w = world
    db.session.execute(Share.__table__.delete())
    db.session.commit()
    with pytest.raises(NotFound):
        discussion.add_comment(w.partner, w.doc, "Hej")


# --- quoted passages -----------------------------------------------------------------------

def test_comment_anchored_to_a_passage_of_the_current_text(world):
    w = world
    comment = discussion.add_comment(w.partner, w.doc, "Källa?",
                                 quote="  Det kostar\n2 miljarder. ")
    assert comment.quote == "Det kostar 2 miljarder."
    # As a reader sees it on the page, without the Markdown.
    assert discussion.add_comment(w.partner, w.doc, "Ja", quote="Vi kräver fler lärare").quote
    assert discussion.add_comment(w.partner, w.doc, "Titel", quote="Skolan först").quote


def test_a_passage_not_in_the_current_text_is_refused(world):
    w = world
    with pytest.raises(ValidationError) as error:
        discussion.add_comment(w.partner, w.doc, "Källa?", quote="kostar 3 miljarder")
    assert error.value.details["field"] == "quote"
    assert "revision 1" in error.value.message
    with pytest.raises(ValidationError):
        discussion.add_comment(w.partner, w.doc, "Källa?", quote="x" * (discussion.MAX_QUOTE + 1))
    with pytest.raises(ValidationError):
        discussion.add_comment(w.partner, w.doc, "Källa?", quote=["lista"])


def test_a_quote_from_an_older_revision_is_refused_and_old_anchors_are_marked(world):
    w = world
    comment = discussion.add_comment(w.partner, w.doc, "Källa?", quote="2 miljarder")
    documents.save_revision(w.editor, w.doc, {"title": "Skolan först", "body": "Det kostar."},
                            w.doc.current_revision_id)
    with pytest.raises(ValidationError):
        discussion.add_comment(w.partner, w.doc, "Igen", quote="2 miljarder")
    thread = discussion.threads(w.editor, w.doc)[0]
    assert thread.root.id == comment.id and thread.quote_found is False
    assert comment.revision_id != w.doc.current_revision_id


# --- resolve and reopen --------------------------------------------------------------------

def test_owner_org_editors_and_the_author_resolve_and_reopen(world):
    w = world
    comment = discussion.add_comment(w.partner, w.doc, "Fråga")
    discussion.resolve_comment(w.colleague, w.doc, comment.id)
    assert comment.resolved_at is not None and comment.resolved_by_id == w.colleague.id
    with pytest.raises(Conflict):
        discussion.resolve_comment(w.editor, w.doc, comment.id)
    discussion.reopen_comment(w.partner, w.doc, comment.id)  # its author
    assert comment.resolved_at is None and comment.resolved_by_id is None
    with pytest.raises(Conflict):
        discussion.reopen_comment(w.partner, w.doc, comment.id)
    discussion.resolve_comment(w.partner, w.doc, comment.id)
    assert [a for a in actions(w.doc) if a.startswith("comment.")] == [
        "comment.created", "comment.resolved", "comment.reopened", "comment.resolved"]
    assert discussion.threads(w.editor, w.doc)[0].resolved


def test_others_may_not_resolve_and_replies_are_not_resolved_alone(world):
    w = world
    comment = discussion.add_comment(w.editor, w.doc, "Fråga")
    reply = discussion.add_comment(w.partner, w.doc, "Svar", parent_id=comment.id)
    for user in (w.partner, w.partner_b, w.contributor):
        with pytest.raises(Forbidden):
            discussion.resolve_comment(user, w.doc, comment.id)
    with pytest.raises(ValidationError):
        discussion.resolve_comment(w.editor, w.doc, reply.id)
    assert comment.resolved_at is None


def test_a_contributor_resolves_threads_on_a_document_they_own(world):
    w = world
    own = documents.create_document(w.contributor, "press_release", {"title": "Mitt"})
    comment = discussion.add_comment(w.editor, own, "Fråga")
    discussion.resolve_comment(w.contributor, own, comment.id)
    assert comment.resolved_at is not None


# --- mentions ------------------------------------------------------------------------------

def test_mentions_name_only_people_who_can_see_the_document(world):
    w = world
    found = discussion.mentioned_users(
        w.doc, "@eva.sjoberg och @per, se @sven (@sven@annat.example) och @okänd.")
    assert found == [w.editor, w.partner]
    assert discussion.mentioned_users(w.doc, "@olle@mitten.example!") == [w.colleague]
    # An email address in the text, a doubled @ or nothing: no mentions.
    assert discussion.mentioned_users(w.doc, "skriv till per@gronska.example eller @@per") == []
    assert discussion.mentioned_users(w.doc, "") == []
    assert discussion.mentioned_users(w.doc, "@PER, @Per.") == [w.partner]


def test_an_ambiguous_mention_names_nobody_until_written_in_full(world):
    w = world
    twin = make_user(w.partner_org, "contributor", email="olle@gronska.example")
    assert discussion.resolve_mentions(w.doc, "@olle") == ([], ["olle"])
    assert discussion.mentioned_users(w.doc, "@olle@gronska.example") == [twin]


def test_inactive_and_unshared_users_are_never_mentioned(world):
    w = world
    w.partner_b.active = False
    db.session.commit()
    assert discussion.mentioned_users(w.doc, "@lisa @per") == [w.partner]
    db.session.execute(Share.__table__.delete())
    db.session.commit()
    assert discussion.mentioned_users(w.doc, "@lisa @per @olle") == [w.colleague]


def test_mentions_and_comments_notify_only_readers(world):
    w = world
    root = discussion.add_comment(w.partner, w.doc, "@olle @sven @kim, titta på siffran")
    assert root.mentioned == [w.colleague, w.contributor]
    assert [n.data["comment_id"] for n in notices(w.colleague, "mention")] == [root.id]
    assert len(notices(w.contributor, "mention")) == 1
    assert notices(w.stranger) == []
    # The owner hears of the comment (not as a mention); the author hears nothing.
    assert [n.event for n in notices(w.editor)] == ["comment"]
    assert notices(w.partner) == []
    assert notices(w.colleague, "comment") == []  # mentioned instead, not twice
    # A reply tells the owner and the thread's participants.
    discussion.add_comment(w.partner_b, w.doc, "Håller med", parent_id=root.id)
    assert len(notices(w.partner, "comment")) == 1
    assert len(notices(w.editor, "comment")) == 2
    assert notices(w.colleague, "comment") == []  # mentioned once, never commented
    note = notices(w.partner, "comment")[0]
    assert note.actor_id == w.partner_b.id and note.data["excerpt"] == "Håller med"


def test_a_participant_who_lost_access_is_not_told(world):
    w = world
    root = discussion.add_comment(w.editor, w.doc, "Fråga")
    discussion.add_comment(w.partner, w.doc, "Svar", parent_id=root.id)
    db.session.execute(Share.__table__.delete())
    db.session.commit()
    discussion.add_comment(w.editor, w.doc, "Tack @per", parent_id=root.id)
    assert notices(w.partner) == []
