"""approval_status: the one answer to who approved, whether it is shared and agreed."""
import pytest
from conftest import make_document, make_user

from commsdesk import documents, workflow


@pytest.fixture
def team(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "second": make_user(org, "approver", email="andra@example.org")}


def test_a_text_of_one_organisation(team, org):
    doc = make_document(team["editor"], kind="op_ed")
    status = workflow.approval_status(doc)
    assert not status.shared and not status.agreed and status.waiting_for == (org,)
    [own] = status.organisations
    assert own.organisation == org and own.owner and not own.approved
    assert own.approvals == () and own.stale == () and status.history == ()
    workflow.submit(team["editor"], doc)
    workflow.approve(team["approver"], doc)
    status = workflow.approval_status(doc)
    assert status.agreed and status.waiting_for == ()
    [approval] = status.of(org.id).approvals
    assert approval.user == team["approver"] and approval.created_at is not None
    assert status.is_current(approval) and status.history == (approval,)


def test_a_new_revision_makes_the_approval_stale_and_shows_since_when(team, org):
    doc = make_document(team["editor"], kind="op_ed")
    workflow.submit(team["editor"], doc)
    workflow.approve(team["approver"], doc)
    first = doc.current_revision_id
    documents.save_revision(team["editor"], doc, {"title": "Rubrik", "body": "Ny"}, first)
    status = workflow.approval_status(doc)
    own = status.of(org.id)
    assert not status.agreed and status.waiting_for == (org,)
    assert own.approvals == () and [a.revision_id for a in own.stale] == [first]
    assert own.last_approved_revision_id == first
    assert not status.is_current(own.stale[0]) and own.stale[0].stale_at is not None
    with pytest.raises(workflow.ApprovalExpired) as refused:
        workflow.publish_gate(doc)
    assert refused.value.details["missing_organisations"] == [org.id]
    workflow.approve(team["approver"], doc)
    assert workflow.has_approved(team["approver"], doc)
    assert not workflow.has_approved(team["second"], doc)
    status = workflow.approval_status(doc)
    assert status.agreed and status.of(org.id).last_approved_revision_id is None
    assert workflow.publish_gate(doc).id == doc.current_revision_id


def test_agreed_with_counts_the_organisation_about_to_approve(team, org):
    doc = make_document(team["editor"], kind="op_ed")
    status = workflow.approval_status(doc)
    assert not status.agreed and status.agreed_with(org.id)
    assert status.of(org.id + 1000) is None
