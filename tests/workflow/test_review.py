"""A running review: recall, changing reviewers and due time, past due refused, resubmitting
asks the same people, the changes-requested note, stale approvals and what changed since."""
from datetime import timedelta

import pytest
from conftest import make_document, make_user
from sqlalchemy import select

from commsdesk import documents, workflow
from commsdesk.errors import Conflict, Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, utcnow


@pytest.fixture
def team(org):
    return {"editor": make_user(org, "editor"), "leader": make_user(org, "approver"),
            "deputy": make_user(org, "approver", email="deputy@example.org"),
            "member": make_user(org, "contributor")}


def events(user):
    return db.session.execute(select(Notification.event).where(
        Notification.user_id == user.id).order_by(Notification.id)).scalars().all()


def asked(doc):
    return sorted(r.reviewer_id for r in workflow.open_requests_for(doc))


def actions(doc):
    return db.session.execute(select(AuditEntry.action).where(
        AuditEntry.object_id == doc.id).order_by(AuditEntry.id)).scalars().all()


def test_recall_goes_back_to_draft_closes_requests_and_tells_reviewers(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc, reviewer_ids=[team["leader"].id])
    workflow.recall(team["editor"], doc)
    assert doc.state == workflow.DRAFT
    assert workflow.open_requests_for(doc) == []
    assert events(team["leader"]) == ["review_requested", "review_cancelled"]
    assert "workflow.recall" in actions(doc)
    workflow.submit(team["editor"], doc)
    with pytest.raises(Forbidden):
        workflow.recall(team["member"], doc)  # a contributor does not recall


def test_recall_only_while_in_review(team):
    doc = make_document(team["editor"], kind="op_ed")
    with pytest.raises(Conflict):
        workflow.recall(team["editor"], doc)


def test_change_reviewers_asks_added_and_tells_removed(team):
    doc = make_document(team["editor"], kind="op_ed")
    due = utcnow() + timedelta(days=2)
    workflow.submit(team["editor"], doc, reviewer_ids=[team["leader"].id], due_at=due)
    workflow.update_review(team["editor"], doc, reviewer_ids=[team["deputy"].id])
    assert asked(doc) == [team["deputy"].id]
    assert workflow.open_requests_for(doc)[0].due_at == due  # the round's due time kept
    assert events(team["leader"]) == ["review_requested", "review_cancelled"]
    assert events(team["deputy"]) == ["review_requested"]
    entry = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "workflow.reviewers_changed")).scalar_one()
    assert entry.data["added"] == [team["deputy"].id]
    assert entry.data["removed"] == [team["leader"].id]


def test_change_due_time_and_past_due_is_refused(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc, reviewer_ids=[team["leader"].id])
    later = utcnow() + timedelta(days=3)
    workflow.update_review(team["editor"], doc, due_at=later)
    assert workflow.open_requests_for(doc)[0].due_at == later
    with pytest.raises(ValidationError, match="future"):
        workflow.update_review(team["editor"], doc, due_at=utcnow() - timedelta(minutes=1))
    db.session.rollback()
    assert workflow.open_requests_for(doc)[0].due_at == later
    assert "workflow.due_changed" in actions(doc)


def test_only_editors_change_a_running_review(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc)
    with pytest.raises(Forbidden):
        workflow.update_review(team["member"], doc, reviewer_ids=[team["deputy"].id])
    workflow.recall(team["editor"], doc)
    with pytest.raises(Conflict):
        workflow.update_review(team["editor"], doc, due_at=None)


def test_submit_refuses_a_due_time_in_the_past(team):
    doc = make_document(team["editor"], kind="op_ed")
    with pytest.raises(ValidationError, match="future"):
        workflow.submit(team["editor"], doc, due_at=utcnow() - timedelta(hours=1))
    db.session.rollback()
    db.session.refresh(doc)
    assert doc.state == workflow.DRAFT


def test_resubmitting_asks_the_reviewers_of_the_previous_round(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc, reviewer_ids=[team["deputy"].id])
    workflow.request_changes(team["deputy"], doc, "Kortare.")
    workflow.submit(team["editor"], doc)  # nobody chosen: the same as last time
    assert asked(doc) == [team["deputy"].id]
    workflow.recall(team["editor"], doc)
    assert workflow.previous_reviewers(doc) == [team["deputy"]]
    workflow.submit(team["editor"], doc)
    assert asked(doc) == [team["deputy"].id]


def test_first_submission_without_reviewers_asks_the_approvers(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc)
    assert asked(doc) == sorted([team["leader"].id, team["deputy"].id])


def test_request_changes_needs_a_note_and_keeps_it_until_the_next_submission(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc)
    for empty in ("", "   \n"):
        with pytest.raises(ValidationError, match="note"):
            workflow.request_changes(team["leader"], doc, empty)
        db.session.rollback()
    assert doc.state == workflow.IN_REVIEW
    workflow.request_changes(team["leader"], doc, "  Stryk sista stycket.  ")
    note = workflow.changes_requested_note(doc)
    assert note["message"] == "Stryk sista stycket."
    assert note["by"] == team["leader"]
    documents.save_revision(team["editor"], doc, {"title": "Rubrik", "body": "Kortare"},
                            doc.current_revision_id)
    assert workflow.changes_requested_note(doc)["message"] == "Stryk sista stycket."
    workflow.submit(team["editor"], doc)
    assert workflow.changes_requested_note(doc) is None


def test_approving_a_revision_that_changed_while_reading_is_a_conflict(team):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc)
    read = doc.current_revision_id
    documents.save_revision(team["editor"], doc, {"title": "Rubrik", "body": "Ändrad"}, read)
    with pytest.raises(Conflict) as caught:
        workflow.approve(team["leader"], doc, revision_id=read)
    assert caught.value.details["current_revision_id"] == doc.current_revision_id
    db.session.rollback()
    workflow.approve(team["leader"], doc, revision_id=doc.current_revision_id)
    assert doc.state == workflow.APPROVED


def test_changes_since_last_looked(team):
    doc = make_document(team["editor"], kind="op_ed", body="Ett")
    first = doc.current_revision
    workflow.submit(team["editor"], doc)
    assert workflow.last_seen_revision(team["leader"], doc) is None  # nothing new yet
    documents.save_revision(team["editor"], doc, {"title": "Rubrik", "body": "Två"}, first.id)
    assert workflow.last_seen_revision(team["leader"], doc) == first  # since submission
    workflow.approve(team["leader"], doc)
    approved = doc.current_revision
    documents.save_revision(team["editor"], doc, {"title": "Rubrik", "body": "Tre"}, approved.id)
    assert workflow.last_seen_revision(team["leader"], doc) == approved  # since my approval
