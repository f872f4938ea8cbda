"""GET /api/v1/todo: the same to-do as the overview, for the caller."""
from conftest import api_as, make_document, make_org, make_user, share

from commsdesk import documents, workflow


def test_todo_over_the_api_for_the_partner_leader_and_an_empty_one():
    mitten, grona = make_org("mitten"), make_org("grona")
    editor = make_user(mitten, "editor")
    make_user(mitten, "approver")
    partner_leader = make_user(grona, "approver")
    doc = make_document(editor, kind="op_ed", title="Skolan först")
    share(doc, grona)
    workflow.submit(editor, doc)

    [item] = api_as(partner_leader).get("/todo").get_json()["items"]
    assert item["kind"] == "review" and item["document"]["id"] == doc.id
    assert item["link"] == f"/documents/{doc.id}" and item["due_at"] is None

    workflow.approve(partner_leader, doc)
    approved = doc.current_revision_id
    documents.save_revision(editor, doc, {"title": "Skolan först", "body": "Ny"}, approved)
    body = api_as(partner_leader).get("/todo").get_json()
    [item] = body["items"]
    assert body["total"] == 1 and item["kind"] == "renew" and item["label"]
    assert item["since_revision_id"] == approved
    assert item["link"] == f"/documents/{doc.id}"  # its review bar shows what changed

    assert api_as(editor).get("/todo").get_json() == {"items": [], "total": 0}


def test_todo_needs_a_token(client):
    response = client.get("/api/v1/todo")
    assert response.status_code == 401
