"""A running review over the API: recall, changing reviewers and due time, a required note,
and a stale approval answered with the current revision."""
from conftest import api_as, make_document, make_user

from commsdesk import documents, workflow


def setup(org):
    editor, leader = make_user(org, "editor"), make_user(org, "approver")
    doc = make_document(editor, kind="op_ed")
    workflow.submit(editor, doc, reviewer_ids=[leader.id])
    return editor, leader, doc


def test_recall_is_a_transition(org):
    editor, _leader, doc = setup(org)
    api = api_as(editor)
    assert "recall" in api.get(f"/documents/{doc.id}/workflow").get_json()["allowed_actions"]
    response = api.post(f"/documents/{doc.id}/transitions", {"action": "recall"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["state"] == "draft" and body["review_requests"] == []
    assert api.post(f"/documents/{doc.id}/transitions",
                    {"action": "recall"}).status_code == 409


def test_patch_review_changes_reviewers_and_due_time(org):
    editor, _leader, doc = setup(org)
    deputy = make_user(org, "approver", email="deputy@example.org")
    api = api_as(editor)
    response = api.patch(f"/documents/{doc.id}/review",
                         {"reviewer_ids": [deputy.id], "due_at": "2040-03-01T09:00:00Z"})
    assert response.status_code == 200
    requests = response.get_json()["review_requests"]
    assert [(r["reviewer"]["id"], r["due_at"]) for r in requests] == [
        (deputy.id, "2040-03-01T09:00:00+00:00")]
    response = api.patch(f"/documents/{doc.id}/review", {"due_at": "2001-01-01T09:00:00Z"})
    assert response.status_code == 422
    assert api.patch(f"/documents/{doc.id}/review",
                     {"reviewer_ids": ["x"]}).status_code == 422
    response = api.patch(f"/documents/{doc.id}/review", {"due_at": None})
    assert response.get_json()["review_requests"][0]["due_at"] is None


def test_patch_review_of_a_draft_is_409(org):
    editor = make_user(org, "editor")
    doc = make_document(editor)
    assert api_as(editor).patch(f"/documents/{doc.id}/review",
                                {"due_at": None}).status_code == 409


def test_request_changes_needs_a_message(org):
    _editor, leader, doc = setup(org)
    api = api_as(leader)
    response = api.post(f"/documents/{doc.id}/transitions", {"action": "request_changes"})
    assert response.status_code == 422
    assert response.get_json()["error"]["field"] == "message"
    response = api.post(f"/documents/{doc.id}/transitions",
                        {"action": "request_changes", "message": "Kortare."})
    assert response.get_json()["state"] == "changes_requested"


def test_stale_approve_is_409_with_the_current_revision(org):
    editor, leader, doc = setup(org)
    read = doc.current_revision_id
    documents.save_revision(editor, doc, {"title": "Rubrik", "body": "Ny"}, read)
    response = api_as(leader).post(f"/documents/{doc.id}/transitions",
                                   {"action": "approve", "revision_id": read})
    assert response.status_code == 409
    assert response.get_json()["error"]["current_revision_id"] == doc.current_revision_id
