"""Workflow over the API: transitions, approvals bound to revisions, crafted requests."""
import pytest
from conftest import api_as, make_document, make_org, make_user, run_worker, share
from sqlalchemy import func, select

from commsdesk.extensions import db
from commsdesk.models import Approval


@pytest.fixture
def team(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "contributor": make_user(org, "contributor")}


def approvals():
    return db.session.execute(select(func.count(Approval.id))).scalar_one()


def test_submit_approve_publish_round_trip(team):
    doc = make_document(team["editor"], kind="op_ed")
    editor, approver = api_as(team["editor"]), api_as(team["approver"])
    state = editor.get(f"/documents/{doc.id}/workflow").get_json()
    assert state["state"] == "draft" and "submit" in state["allowed_actions"]
    response = editor.post(f"/documents/{doc.id}/transitions",
                           {"action": "submit", "reviewer_ids": [team["approver"].id],
                            "due_at": "2030-01-01T09:00"})
    assert response.status_code == 200 and response.get_json()["state"] == "in_review"
    assert response.get_json()["review_requests"][0]["due_at"] == "2030-01-01T08:00:00+00:00"
    response = approver.post(f"/documents/{doc.id}/transitions",
                             {"action": "approve", "revision_id": doc.current_revision_id})
    body = response.get_json()
    assert body["state"] == "approved" and body["agreed"] is True
    assert body["history"][0]["content_hash"] == doc.current_revision.content_hash
    response = editor.post(f"/documents/{doc.id}/transitions", {"action": "publish"})
    assert response.get_json()["state"] == "scheduled"  # queued on the newsroom
    run_worker()
    assert editor.get(f"/documents/{doc.id}/workflow").get_json()["state"] == "published"


def test_invalid_transition_is_409_and_changes_nothing(team):
    doc = make_document(team["editor"])
    response = api_as(team["editor"]).post(f"/documents/{doc.id}/transitions",
                                           {"action": "publish"})
    assert response.status_code == 409
    assert "not possible" in response.get_json()["error"]["message"]
    db.session.refresh(doc)
    assert doc.state == "draft"


def test_unknown_action_is_422(team):
    doc = make_document(team["editor"])
    for body in ({"action": "teleport"}, {}, {"action": 5}):
        response = api_as(team["editor"]).post(f"/documents/{doc.id}/transitions", body)
        assert response.status_code == 422


def test_editor_approving_directly_is_403(team):
    doc = make_document(team["contributor"], kind="op_ed")
    api_as(team["contributor"]).post(f"/documents/{doc.id}/transitions", {"action": "submit"})
    response = api_as(team["editor"]).post(f"/documents/{doc.id}/transitions",
                                           {"action": "approve"})
    assert response.status_code == 403
    assert approvals() == 0


def test_crafted_requests_are_403_and_change_nothing(team):
    partner = make_org("grona")
    doc = make_document(team["editor"], kind="op_ed")
    api = api_as(team["editor"])
    for crafted in ({"state": "published"}, {"organisation_id": partner.id},
                    {"approvals": [{"organisation_id": partner.id,
                                    "user_id": team["approver"].id}]},
                    {"user_id": team["approver"].id}):
        response = api.post(f"/documents/{doc.id}/transitions", {"action": "submit", **crafted})
        assert response.status_code == 403, crafted
    db.session.refresh(doc)
    assert doc.state == "draft" and approvals() == 0
    response = api.patch(f"/documents/{doc.id}", {"state": "approved", "approvals": [
        {"revision_id": doc.current_revision_id}], "owner": {"id": 1}},
        etag=f'"{doc.current_revision_id}"')
    assert response.status_code == 403
    db.session.refresh(doc)
    assert doc.state == "draft" and approvals() == 0


def test_partner_approves_only_for_its_own_organisation(team):
    partner, bystander = make_org("grona"), make_org("vanster")
    partner_approver = make_user(partner, "approver")
    outsider = make_user(bystander, "approver")
    doc = make_document(team["editor"], kind="op_ed")
    share(doc, partner)
    api_as(team["editor"]).post(f"/documents/{doc.id}/transitions", {"action": "submit"})
    assert api_as(outsider).post(f"/documents/{doc.id}/transitions",
                                 {"action": "approve"}).status_code == 404
    response = api_as(partner_approver).post(f"/documents/{doc.id}/transitions", {
        "action": "approve", "organisation_id": doc.organisation_id})
    assert response.status_code == 403  # approving for the owner organisation
    assert approvals() == 0
    response = api_as(partner_approver).post(f"/documents/{doc.id}/transitions",
                                             {"action": "approve"})
    assert response.status_code == 200
    row = db.session.execute(select(Approval)).scalar_one()
    assert row.organisation_id == partner.id
    body = response.get_json()
    assert body["state"] == "in_review" and body["agreed"] is False
    # a partner cannot publish or withdraw for the owner
    assert api_as(partner_approver).post(f"/documents/{doc.id}/transitions",
                                         {"action": "archive"}).status_code == 403


def test_approving_a_stale_revision_is_409(team):
    doc = make_document(team["editor"], kind="op_ed")
    api_as(team["editor"]).post(f"/documents/{doc.id}/transitions", {"action": "submit"})
    seen = doc.current_revision_id
    api_as(team["editor"]).patch(f"/documents/{doc.id}", {"body": "Ändrad"}, etag=f'"{seen}"')
    response = api_as(team["approver"]).post(f"/documents/{doc.id}/transitions",
                                             {"action": "approve", "revision_id": seen})
    assert response.status_code == 409
    assert approvals() == 0
