"""The whole state machine: every action from every state, permissions, approvals bound to
revisions, four eyes, per-kind policy and the publish-time gate."""
from datetime import timedelta

import pytest
from conftest import make_document, make_org, make_user, publish_now, run_worker, share
from sqlalchemy import select

from commsdesk import documents, workflow
from commsdesk.errors import Conflict, Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import Approval, AuditEntry, Publication, Share, utcnow

STATES = workflow.STATES


@pytest.fixture
def people_(org):
    return {
        "editor": make_user(org, "editor"),
        "approver": make_user(org, "approver"),
        "contributor": make_user(org, "contributor"),
        "admin": make_user(org, "admin"),
    }


def approved_doc(people_, kind="op_ed"):
    doc = make_document(people_["editor"], kind=kind, body="Text")
    workflow.submit(people_["editor"], doc)
    workflow.approve(people_["approver"], doc)
    assert doc.state == workflow.APPROVED
    return doc


def force_state(doc, state):
    """Test set-up only: put a document in a state without going through the actions."""
    doc.state = state
    db.session.commit()


def actor_for(action, people_):
    return people_["approver"] if action in {"approve", "request_changes"} else people_["editor"]


def params_for(action):
    if action in {"schedule", "reschedule"}:
        return {"at": utcnow() + timedelta(days=1)}
    if action == "request_changes":
        return {"message": "Kortare, tack."}
    return {}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", list(workflow.TRANSITIONS))
def test_every_action_from_every_state(people_, action, state):
    doc = approved_doc(people_)
    if action == "approve":
        # a fresh revision so that the approver has not approved it yet
        documents.save_revision(people_["editor"], doc, {"title": "Rubrik", "body": "Ny"},
                                doc.current_revision_id)
    force_state(doc, state)
    transition = workflow.TRANSITIONS[action]
    user = actor_for(action, people_)
    if state in transition.sources:
        workflow.perform(user, doc, action, **params_for(action))
        # Publishing now queues the text on its channels: it waits for the worker.
        expected = {"publish": workflow.SCHEDULED}.get(action, transition.target
                                                        or workflow.APPROVED)
        assert doc.state == expected
        entry = db.session.execute(select(AuditEntry).where(
            AuditEntry.action == f"workflow.{action}").order_by(AuditEntry.id.desc())
        ).scalars().first()
        assert entry.data["before"] == state and entry.data["after"] == expected
    else:
        with pytest.raises(Conflict) as caught:
            workflow.perform(user, doc, action, **params_for(action))
        assert caught.value.status == 409
        db.session.rollback()
        db.session.refresh(doc)
        assert doc.state == state


def test_unknown_action_is_a_clear_error(people_):
    doc = make_document(people_["editor"])
    with pytest.raises(ValidationError):
        workflow.perform(people_["editor"], doc, "teleport")


@pytest.mark.parametrize("role,action", [
    ("contributor", "approve"), ("editor", "approve"), ("contributor", "publish"),
    ("contributor", "schedule"), ("contributor", "request_changes"),
])
def test_roles_that_may_not_act_get_forbidden(people_, role, action):
    doc = make_document(people_["editor"], kind="op_ed")
    workflow.submit(people_["editor"], doc)
    if action in {"publish", "schedule"}:
        workflow.approve(people_["approver"], doc)
    state = doc.state
    with pytest.raises(Forbidden):
        workflow.perform(people_[role], doc, action, **params_for(action))
    db.session.rollback()
    db.session.refresh(doc)
    assert doc.state == state
    assert db.session.execute(select(Approval).where(Approval.user_id == people_[role].id)
                              ).first() is None


def test_contributor_submits_own_text_but_not_others(people_):
    own = make_document(people_["contributor"])
    workflow.submit(people_["contributor"], own)
    assert own.state == workflow.IN_REVIEW
    theirs = make_document(people_["editor"])
    with pytest.raises(Forbidden):
        workflow.submit(people_["contributor"], theirs)


def test_approval_records_revision_and_hash(people_):
    doc = approved_doc(people_)
    approval = db.session.execute(select(Approval)).scalar_one()
    assert approval.revision_id == doc.current_revision_id
    assert approval.content_hash == doc.current_revision.content_hash
    assert approval.organisation_id == doc.organisation_id and approval.role == "approver"


def test_edit_after_approval_goes_back_to_review_and_marks_approvals_stale(people_):
    doc = approved_doc(people_)
    first = doc.current_revision_id
    documents.save_revision(people_["editor"], doc, {"title": "Rubrik", "body": "Ändrad"}, first)
    assert doc.state == workflow.IN_REVIEW
    assert not workflow.approval_status(doc).agreed
    approval = db.session.execute(select(Approval)).scalar_one()
    assert approval.stale_at is not None and approval.revision_id == first
    own = workflow.approval_status(doc).of(people_["approver"].organisation_id)
    assert not own.approved and own.last_approved_revision_id == first
    with pytest.raises(workflow.ApprovalExpired):
        workflow.publish_gate(doc)
    workflow.approve(people_["approver"], doc)
    assert doc.state == workflow.APPROVED
    assert workflow.publish_gate(doc).id == doc.current_revision_id


def test_approving_a_revision_that_is_no_longer_current_is_refused(people_):
    doc = make_document(people_["editor"], kind="op_ed")
    workflow.submit(people_["editor"], doc)
    seen = doc.current_revision_id
    documents.save_revision(people_["editor"], doc, {"title": "Rubrik", "body": "Ny"}, seen)
    with pytest.raises(Conflict):
        workflow.approve(people_["approver"], doc, revision_id=seen)
    assert db.session.execute(select(Approval)).first() is None


def test_four_eyes_and_policy_relaxing_it(org, people_):
    doc = make_document(people_["approver"], kind="op_ed")
    workflow.submit(people_["approver"], doc)
    with pytest.raises(Forbidden):
        workflow.approve(people_["approver"], doc)
    workflow.set_policy(people_["admin"], "op_ed", "approver", allow_self_approval=True)
    workflow.approve(people_["approver"], doc)
    assert doc.state == workflow.APPROVED


def test_social_posts_may_be_approved_by_an_editor_by_default(org, people_):
    other_editor = make_user(org, "editor", email="andra@example.org")
    post = make_document(people_["editor"], kind="social_post")
    workflow.submit(people_["editor"], post)
    workflow.approve(other_editor, post)
    assert post.state == workflow.APPROVED
    oped = make_document(people_["editor"], kind="op_ed")
    workflow.submit(people_["editor"], oped)
    with pytest.raises(Forbidden):
        workflow.approve(other_editor, oped)


def test_only_admins_set_policy(people_):
    with pytest.raises(Forbidden):
        workflow.set_policy(people_["editor"], "op_ed", "editor")


def test_agreed_needs_every_sharing_organisation(people_):
    partner_a, partner_b = make_org("grona"), make_org("vanster")
    approver_a, approver_b = make_user(partner_a, "approver"), make_user(partner_b, "approver")
    doc = make_document(people_["editor"], kind="op_ed")
    share(doc, partner_a, partner_b)
    workflow.submit(people_["editor"], doc)
    workflow.approve(people_["approver"], doc)
    workflow.approve(approver_a, doc)
    assert doc.state == workflow.IN_REVIEW and not workflow.approval_status(doc).agreed
    workflow.approve(approver_b, doc)
    assert doc.state == workflow.APPROVED and workflow.approval_status(doc).agreed
    # a partner never approves for another organisation
    rows = db.session.execute(select(Approval.organisation_id, Approval.user_id)).all()
    assert set(rows) == {(doc.organisation_id, people_["approver"].id),
                         (partner_a.id, approver_a.id), (partner_b.id, approver_b.id)}


def test_partner_cannot_submit_publish_or_edit(people_):
    partner = make_org("grona")
    partner_editor = make_user(partner, "editor")
    doc = make_document(people_["editor"])
    share(doc, partner)
    for action in ("submit", "archive"):
        with pytest.raises(Forbidden):
            workflow.perform(partner_editor, doc, action)
    with pytest.raises(Forbidden):
        documents.save_revision(partner_editor, doc, {"title": "x"}, doc.current_revision_id)


def test_sharing_after_approval_sends_back_to_review(people_):
    doc = approved_doc(people_)
    partner = make_org("grona")
    db.session.add(Share(document_id=doc.id, organisation_id=partner.id,
                         created_by_id=people_["editor"].id))
    db.session.flush()
    workflow.requirements_changed(people_["editor"], doc)
    db.session.commit()
    assert doc.state == workflow.IN_REVIEW


def test_scheduled_item_whose_approval_expired_is_held(people_):
    doc = approved_doc(people_)
    workflow.schedule(people_["editor"], doc, utcnow() + timedelta(hours=2))
    assert doc.state == workflow.SCHEDULED and doc.scheduled_at
    # a partner is added (e.g. through the admin) without going through the share action
    partner = make_org("grona")
    db.session.add(Share(document_id=doc.id, organisation_id=partner.id,
                         created_by_id=people_["editor"].id))
    db.session.commit()
    with pytest.raises(workflow.ApprovalExpired):
        workflow.publish_gate(doc, doc.current_revision_id)
    workflow.hold(doc)
    assert doc.state == workflow.IN_REVIEW and doc.hold_reason == "approval_expired"
    assert doc.scheduled_at is None


def test_gate_refuses_a_revision_that_is_not_current(people_):
    doc = approved_doc(people_)
    old = doc.current_revision_id
    with pytest.raises(workflow.ApprovalExpired):
        workflow.publish_gate(doc, old + 1000)
    assert workflow.publish_gate(doc, old).id == old


def test_schedule_needs_a_future_time(people_):
    doc = approved_doc(people_)
    with pytest.raises(ValidationError):
        workflow.schedule(people_["editor"], doc, utcnow() - timedelta(minutes=1))
    assert doc.state == workflow.APPROVED


def test_published_text_is_not_edited_in_place(people_):
    doc = approved_doc(people_)
    publish_now(people_["editor"], doc)
    assert doc.state == workflow.PUBLISHED
    with pytest.raises(Conflict):
        documents.save_revision(people_["editor"], doc, {"title": "x"}, doc.current_revision_id)
    workflow.withdraw(people_["editor"], doc)
    workflow.reopen(people_["editor"], doc)
    documents.save_revision(people_["editor"], doc, {"title": "x"}, doc.current_revision_id)
    assert doc.state == workflow.DRAFT


def test_review_requests_and_overdue(people_):
    doc = make_document(people_["editor"], kind="op_ed")
    workflow.submit(people_["editor"], doc, reviewer_ids=[people_["approver"].id],
                    due_at=utcnow() + timedelta(minutes=5))
    for request in workflow.open_requests_for(doc):  # time passes
        request.due_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    assert [r.document_id for r in workflow.open_review_requests(people_["approver"])] == [doc.id]
    assert len(workflow.overdue_reviews(people_["editor"])) == 1
    workflow.approve(people_["approver"], doc)
    assert workflow.open_review_requests(people_["approver"]) == []
    assert workflow.overdue_reviews(people_["editor"]) == []


def test_reviewers_must_be_of_the_organisation(people_):
    stranger = make_user(make_org("grona"), "approver")
    doc = make_document(people_["editor"])
    with pytest.raises(ValidationError):
        workflow.submit(people_["editor"], doc, reviewer_ids=[stranger.id])
    db.session.rollback()
    db.session.refresh(doc)
    assert doc.state == workflow.DRAFT


def test_clock_holds_due_schedule_whose_approval_expired(people_):
    ok = approved_doc(people_)
    stale = approved_doc(people_)
    for doc in (ok, stale):
        workflow.schedule(people_["editor"], doc, utcnow() + timedelta(minutes=5))
    partner = make_org("grona")
    db.session.add(Share(document_id=stale.id, organisation_id=partner.id,
                         created_by_id=people_["editor"].id))
    db.session.commit()
    assert run_worker()["publications"] == 0  # nothing due yet
    assert run_worker(now=utcnow() + timedelta(minutes=10))["publications"] == 2
    db.session.refresh(stale)
    db.session.refresh(ok)
    assert stale.state == workflow.IN_REVIEW and stale.hold_reason == "approval_expired"
    assert ok.state == workflow.PUBLISHED
    states = {p.document_id: p.state for p in db.session.scalars(select(Publication))}
    assert states == {ok.id: "sent", stale.id: "held"}
