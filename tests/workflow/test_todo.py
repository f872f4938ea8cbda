"""Whoever must act is told and sees it first: stale approvals tell every approver (owner and
partners), "waiting for my review" includes partners, and the to-do lists what waits."""
from datetime import timedelta

import pytest
from conftest import make_document, make_org, make_user, share
from notifications.support import parts, subject

from commsdesk import discussion, documents, mail, notifications, workflow
from commsdesk.extensions import db
from commsdesk.models import Notification
from commsdesk.times import utcnow


@pytest.fixture
def two():
    """An owning organisation and a partner, each with its secretary and group leader, and a
    contributor of the owner."""
    mitten, grona = make_org("mitten"), make_org("grona")
    return {
        "mitten": mitten, "grona": grona,
        "editor": make_user(mitten, "editor", email="sekreterare@mitten.example"),
        "leader": make_user(mitten, "approver", email="gruppledare@mitten.example"),
        "member": make_user(mitten, "contributor", email="ledamot@mitten.example"),
        "partner_editor": make_user(grona, "editor", email="sekreterare@grona.example"),
        "partner_leader": make_user(grona, "approver", email="gruppledare@grona.example"),
    }


def agreed_op_ed(two, due_at=None):
    """An op-ed shared with the partner and approved by both leaders."""
    doc = make_document(two["editor"], kind="op_ed", title="Skolan först")
    share(doc, two["grona"])
    workflow.submit(two["editor"], doc, due_at=due_at)
    workflow.approve(two["leader"], doc)
    workflow.approve(two["partner_leader"], doc)
    assert doc.state == workflow.APPROVED
    return doc


def stale_notes(user):
    return db.session.execute(
        db.select(Notification).where(Notification.user_id == user.id,
                                      Notification.event == "approval_stale")
    ).scalars().all()


def kinds_of(user):
    return [(item.kind, item.document.id) for item in workflow.todo(user)]


def test_an_accepted_partner_suggestion_tells_both_leaders_by_inbox_and_email(two, smtp):
    doc = agreed_op_ed(two)
    approved = doc.current_revision_id
    suggestion = discussion.create_suggestion(
        two["partner_editor"], doc, {"title": "Skolan först", "body": "Bättre text"}, approved)
    discussion.accept_suggestion(two["editor"], doc, suggestion.id)
    current = doc.current_revision_id
    assert doc.state == workflow.IN_REVIEW

    for leader in (two["leader"], two["partner_leader"]):
        [note] = stale_notes(leader)
        assert note.data["from_revision_id"] == approved
        assert note.data["to_revision_id"] == current
        assert note.actor_id == two["editor"].id
        assert notifications.describe(note.event, doc.title, note.actor, note.data) \
            .endswith("changed “Skolan först” since you approved it: see what changed.")
    assert stale_notes(two["editor"]) == [] and stale_notes(two["partner_editor"]) == []

    mail.send_due()
    link = f"http://localhost/documents/{doc.id}/diff?a={approved}&b={current}"
    for address in ("gruppledare@mitten.example", "gruppledare@grona.example"):
        [message] = [m for m in smtp.to(address) if "since you approved" in subject(m)]
        text, html = parts(message)
        assert "See what changed:" in text and link in text
        assert f'href="{link.replace("&", "&amp;")}"' in html


def test_an_edit_and_a_restore_tell_the_approvers_once_per_approval(two):
    doc = agreed_op_ed(two)
    first = doc.current_revision_id
    documents.save_revision(two["editor"], doc, {"title": "Skolan först", "body": "Ny"}, first)
    documents.save_revision(two["editor"], doc, {"title": "Skolan först", "body": "Nyare"},
                            doc.current_revision_id)
    assert len(stale_notes(two["leader"])) == 1  # the approval went stale once
    workflow.approve(two["leader"], doc)
    documents.restore_revision(two["editor"], doc, first)
    notes = stale_notes(two["leader"])
    assert len(notes) == 2 and notes[-1].data["to_revision_id"] == doc.current_revision_id
    assert len(stale_notes(two["partner_leader"])) == 1  # approved nothing since


def test_an_approver_who_edits_is_not_told_of_their_own_change(two):
    doc = agreed_op_ed(two)
    documents.save_revision(two["leader"], doc, {"title": "Skolan först", "body": "Ny"},
                            doc.current_revision_id)
    assert stale_notes(two["leader"]) == []
    assert len(stale_notes(two["partner_leader"])) == 1


def test_email_about_stale_approvals_follows_the_preference(two, smtp):
    assert notifications.EMAIL_DEFAULTS["approval_stale"] is True
    notifications.set_preferences(two["partner_leader"], ["review_requested"])
    doc = agreed_op_ed(two)
    documents.save_revision(two["editor"], doc, {"title": "Skolan först", "body": "Ny"},
                            doc.current_revision_id)
    assert len(stale_notes(two["partner_leader"])) == 1  # in the inbox all the same
    mail.send_due()
    told = [subject(m) for m in smtp.messages if "since you approved" in subject(m)]
    assert [m["To"] for m in smtp.messages if "since you approved" in subject(m)] == \
        ["gruppledare@mitten.example"] and len(told) == 1


def test_stale_approvals_are_back_in_both_leaders_waiting_list(two):
    doc = agreed_op_ed(two)
    assert workflow.waiting_for_review(two["leader"]) == []
    assert workflow.waiting_for_review(two["partner_leader"]) == []
    approved = doc.current_revision_id
    documents.save_revision(two["editor"], doc, {"title": "Skolan först", "body": "Ny"},
                            approved)
    for leader in (two["leader"], two["partner_leader"]):
        [waiting] = workflow.waiting_for_review(leader)
        assert waiting.document == doc and waiting.approved_revision_id == approved
    workflow.approve(two["partner_leader"], doc)
    assert workflow.waiting_for_review(two["partner_leader"]) == []
    assert [w.document for w in workflow.waiting_for_review(two["leader"])] == [doc]


def test_a_partner_leader_without_a_request_sees_a_shared_text_in_review(two):
    due = utcnow() + timedelta(days=2)
    doc = make_document(two["editor"], kind="op_ed")
    share(doc, two["grona"])
    workflow.submit(two["editor"], doc, due_at=due)
    [waiting] = workflow.waiting_for_review(two["partner_leader"])
    assert waiting.document == doc and waiting.request is None
    assert waiting.due_at == due  # the owner's due time for its reviewers
    # The partner's secretary may not approve op-eds (the group leader does).
    assert workflow.waiting_for_review(two["partner_editor"]) == []
    [own] = workflow.waiting_for_review(two["leader"])
    assert own.request is not None and own.approved_revision_id is None


def test_todo_of_each_person(two):
    soon = utcnow() + timedelta(hours=3)
    doc = agreed_op_ed(two, due_at=soon)
    documents.save_revision(two["editor"], doc, {"title": "Skolan först", "body": "Ny"},
                            doc.current_revision_id)
    own = make_document(two["member"], kind="letter", title="Insändare")
    workflow.submit(two["member"], own)
    workflow.request_changes(two["leader"], own, "Kortare")
    idea = discussion.create_suggestion(two["partner_leader"], doc,
                                        {"title": "Skolan först", "body": "Förslag"},
                                        doc.current_revision_id)
    fresh = make_document(two["editor"], kind="press_release", title="Nytt")
    workflow.submit(two["editor"], fresh, reviewer_ids=[two["leader"].id])

    assert kinds_of(two["leader"]) == [("renew", doc.id), ("review", fresh.id)]
    assert kinds_of(two["partner_leader"]) == [("renew", doc.id)]
    assert kinds_of(two["editor"]) == [("changes_requested", own.id), ("suggestion", doc.id)]
    assert kinds_of(two["member"]) == [("changes_requested", own.id)]
    assert kinds_of(two["partner_editor"]) == []

    renew = workflow.todo(two["leader"])[0]
    assert renew.target == ("documents.show", {"document_id": doc.id})
    assert renew.since_revision_id is not None
    assert abs((renew.due_at - soon).total_seconds()) < 1
    suggestion = workflow.todo(two["editor"])[1]
    assert suggestion.suggestion.id == idea.id and suggestion.target == (
        "discussion.suggestion", {"document_id": doc.id, "suggestion_id": idea.id})
    assert workflow.todo(two["member"])[0].target == ("documents.edit", {"document_id": own.id})


def test_submitting_a_text_shared_as_a_draft_tells_the_partner_leader(two):
    doc = make_document(two["editor"], kind="op_ed", title="Delad som utkast")
    share(doc, two["grona"])  # the partner hears of the share while it is a draft
    workflow.submit(two["editor"], doc)
    asked = db.session.execute(
        db.select(Notification.user_id).where(Notification.document_id == doc.id,
                                              Notification.event == "review_requested")
    ).scalars().all()
    # the partner's leader: once for the share, once more now that it waits for them
    assert asked.count(two["partner_leader"].id) == 2 and two["leader"].id in asked
    assert [item.kind for item in workflow.todo(two["partner_leader"])] == ["review"]
