"""Four eyes: nobody approves a text of which they wrote a part. An author is the owner, anyone
who wrote any revision of the document, and anyone whose suggestion was accepted into it;
the kind's policy may allow self-approval."""
import pytest
from conftest import api_as, make_document, make_org, make_user, share

from commsdesk import discussion, documents, workflow
from commsdesk.errors import Forbidden


@pytest.fixture
def team(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "second": make_user(org, "approver", email="andra@example.org"),
            "admin": make_user(org, "admin")}


def _approver_wrote_revision_2_then_editor_fixed_a_typo(team):
    doc = make_document(team["editor"], kind="op_ed", body="Utkast.")
    documents.save_revision(team["approver"], doc, {"title": "Rubrik",
                                                    "body": "Hela texten, skriven av ledaren."},
                            doc.current_revision_id)
    documents.save_revision(team["editor"], doc, {"title": "Rubrik",
                                                  "body": "Hela texten, skriven av ledaren!"},
                            doc.current_revision_id)
    assert doc.current_revision.number == 3 and doc.current_revision.author == team["editor"]
    workflow.submit(team["editor"], doc)
    return doc


def test_an_approver_who_wrote_an_earlier_revision_may_not_approve(team):
    doc = _approver_wrote_revision_2_then_editor_fixed_a_typo(team)
    with pytest.raises(Forbidden) as refused:
        workflow.approve(team["approver"], doc)
    assert "revision 2" in refused.value.message and "somebody else" in refused.value.message
    assert "approve" not in workflow.allowed_actions(team["approver"], doc)
    assert workflow.is_own_text(team["approver"], doc)
    workflow.approve(team["second"], doc)
    assert doc.state == "approved"


def test_the_api_refuses_it_with_the_reason(team):
    doc = _approver_wrote_revision_2_then_editor_fixed_a_typo(team)
    response = api_as(team["approver"]).post(
        f"/documents/{doc.id}/transitions",
        {"action": "approve", "revision_id": doc.current_revision_id})
    assert response.status_code == 403
    assert "you wrote revision 2" in response.get_json()["error"]["message"]
    assert doc.state == "in_review"


def test_a_policy_that_allows_self_approval_lets_an_author_approve(team):
    workflow.set_policy(team["admin"], "op_ed", "approver", allow_self_approval=True)
    doc = _approver_wrote_revision_2_then_editor_fixed_a_typo(team)
    workflow.approve(team["approver"], doc)
    assert doc.state == "approved"


def test_the_author_of_an_accepted_suggestion_may_not_approve(team):
    partner = make_org("gron", "Gröna")
    partner_approver = make_user(partner, "approver")
    other_partner_approver = make_user(partner, "approver", email="gron2@example.org")
    doc = make_document(team["editor"], kind="op_ed", body="Vi kräver mer.")
    share(doc, partner)
    suggestion = discussion.create_suggestion(
        partner_approver, doc, {"title": "Rubrik", "body": "En helt ny text av partnern."},
        doc.current_revision_id)
    discussion.accept_suggestion(team["editor"], doc, suggestion.id)
    assert doc.current_revision.author == team["editor"]
    workflow.submit(team["editor"], doc)
    with pytest.raises(Forbidden) as refused:
        workflow.approve(partner_approver, doc)
    assert "suggestion was accepted" in refused.value.message
    workflow.approve(other_partner_approver, doc)
    workflow.approve(team["approver"], doc)
    assert doc.state == "approved"


def test_a_rejected_suggestion_does_not_make_an_author(team):
    doc = make_document(team["editor"], kind="op_ed")
    suggestion = discussion.create_suggestion(
        team["approver"], doc, {"title": "Rubrik", "body": "Annat."}, doc.current_revision_id)
    discussion.reject_suggestion(team["editor"], doc, suggestion.id)
    workflow.submit(team["editor"], doc)
    workflow.approve(team["approver"], doc)
    assert doc.state == "approved"


def test_the_owner_still_may_not_approve(team):
    doc = make_document(team["approver"], kind="op_ed")
    workflow.submit(team["approver"], doc)
    with pytest.raises(Forbidden, match="your own text"):
        workflow.approve(team["approver"], doc)
