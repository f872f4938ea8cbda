"""Comments and suggestions through /api/v1, every answer checked against the OpenAPI."""
from conftest import api_as
from sqlalchemy import func, select

from commsdesk import discussion, documents
from commsdesk.extensions import db
from commsdesk.models import Comment, Revision, Suggestion


def revision_count(doc):
    return db.session.scalar(select(func.count()).where(Revision.document_id == doc.id))


def test_comment_reply_list_resolve_reopen(world):
    w = world
    partner, owner = api_as(w.partner), api_as(w.editor)
    base = f"/documents/{w.doc.id}/comments"
    response = partner.post(base, json={"body": "Källa? @olle", "quote": "2 miljarder"})
    assert response.status_code == 201
    created = response.get_json()
    assert created["author"] == {"id": w.partner.id, "name": w.partner.name}
    assert created["organisation"]["id"] == w.partner_org.id
    assert created["revision"] == {"id": w.doc.current_revision_id, "number": 1}
    assert created["quote"] == "2 miljarder" and created["quote_found"] is True
    assert created["mentioned"] == [{"id": w.colleague.id, "name": w.colleague.name}]
    assert created["body_html"] == "<p>Källa? @olle</p>"
    reply = owner.post(base, json={"body": "Ja", "parent_id": created["id"]}).get_json()
    assert reply["parent_id"] == created["id"]

    threads = owner.get(base).get_json()["items"]
    assert [t["id"] for t in threads] == [created["id"]]
    assert [r["id"] for r in threads[0]["replies"]] == [reply["id"]]

    resolved = owner.post(f"{base}/{created['id']}/resolve").get_json()
    assert resolved["resolved_by"]["id"] == w.editor.id and resolved["resolved_at"]
    assert owner.post(f"{base}/{created['id']}/resolve").status_code == 409
    assert owner.post(f"{base}/{reply['id']}/resolve").status_code == 422
    assert api_as(w.partner_b).post(f"{base}/{created['id']}/reopen").status_code == 403
    reopened = partner.post(f"{base}/{created['id']}/reopen")
    assert reopened.status_code == 200 and reopened.get_json()["resolved_at"] is None


def test_comment_input_is_checked_and_the_server_sets_author_and_state(world):
    w = world
    api = api_as(w.partner)
    base = f"/documents/{w.doc.id}/comments"
    for payload in ({}, {"body": ""}, {"body": 5}, {"body": "x", "quote": "inte där"},
                    {"body": "x", "parent_id": "1"}, {"body": "x", "parent_id": True},
                    {"body": "x", "quote": 3}):
        response = api.post(base, json=payload)
        assert response.status_code == 422, payload
    assert api.post(base, json={"body": "x", "parent_id": 999}).status_code == 404
    response = api.post(base, json={
        "body": "Hej", "author_id": w.editor.id, "organisation_id": w.owner_org.id,
        "resolved_at": "2030-01-01T00:00:00Z", "resolved_by_id": w.editor.id,
        "revision_id": 1, "document_id": 999, "guest_name": "Falsk"})
    assert response.status_code == 201
    comment = db.session.get(Comment, response.get_json()["id"])
    assert (comment.author_id, comment.organisation_id, comment.document_id) == (
        w.partner.id, w.partner_org.id, w.doc.id)
    assert comment.resolved_at is None and comment.guest_name is None


def test_partner_suggests_owner_reads_the_diff_and_accepts(world):
    w = world
    partner, owner = api_as(w.partner), api_as(w.editor)
    base = f"/documents/{w.doc.id}/suggestions"
    response = partner.post(base, json={
        "base_revision_id": w.doc.current_revision_id, "body": "Kortare text.",
        "fields": {"contact": "Per"}, "note": "Förslag",
        # Mass assignment is ignored: the server sets these.
        "status": "accepted", "author_id": w.editor.id, "organisation_id": w.owner_org.id,
        "result_revision_id": 1, "decided_by_id": w.editor.id})
    assert response.status_code == 201
    item = response.get_json()
    assert response.headers["Location"] == item["url"] == f"/api/v1{base}/{item['id']}"
    assert (item["status"], item["author"]["id"], item["organisation"]["id"]) == (
        "open", w.partner.id, w.partner_org.id)
    assert item["decided_by"] is None and item["result_revision"] is None
    # Keys not sent are the base revision's.
    assert item["content"]["title"] == "Skolan först"
    assert item["content"]["lead"] == "Vi kräver **fler** lärare."
    assert {c["field"] for c in item["changes"]} == {"body", "fields.contact"}
    assert "+Kortare text." in item["unified"] and item["current_changes"] is None

    listed = owner.get(base).get_json()["items"]
    assert [s["id"] for s in listed] == [item["id"]] and listed[0]["stale"] is False
    assert owner.get(base + "?status=open").get_json()["items"]
    assert owner.get(base + "?status=accepted").get_json()["items"] == []
    assert owner.get(base + "?status=nej").status_code == 422

    assert partner.post(f"{base}/{item['id']}/accept").status_code == 403
    accepted = owner.post(f"{base}/{item['id']}/accept")
    assert accepted.status_code == 200
    data = accepted.get_json()
    assert data["status"] == "accepted" and data["result_revision"]["number"] == 2
    db.session.expire_all()
    assert w.doc.current_revision.content == db.session.get(Suggestion, item["id"]).content
    assert owner.post(f"{base}/{item['id']}/accept").status_code == 409
    assert owner.post(f"{base}/{item['id']}/reject").status_code == 409


def test_stale_suggestion_is_a_conflict_with_the_diff_against_the_current_text(world):
    w = world
    partner, owner = api_as(w.partner), api_as(w.editor)
    base = f"/documents/{w.doc.id}/suggestions"
    old_base = w.doc.current_revision_id
    item = partner.post(base, json={"base_revision_id": old_base, "lead": "Partnerns"}
                        ).get_json()
    documents.save_revision(w.editor, w.doc, {**w.doc.current_revision.content,
                                              "body": "Ägarens text."}, old_base)
    assert owner.get(f"{base}/{item['id']}").get_json()["stale"] is True
    response = owner.post(f"{base}/{item['id']}/accept")
    assert response.status_code == 409
    error = response.get_json()["error"]
    assert error["current_revision_id"] == w.doc.current_revision_id
    assert error["base_revision_id"] == old_base
    assert {c["field"] for c in error["changes"]} == {"lead", "body"}
    assert revision_count(w.doc) == 2
    # Suggesting on the old base is refused too.
    response = partner.post(base, json={"base_revision_id": old_base, "title": "Ny"})
    assert response.status_code == 409
    assert response.get_json()["error"]["current_revision_id"] == w.doc.current_revision_id
    rejected = owner.post(f"{base}/{item['id']}/reject", json={"reason": "Föråldrad"})
    assert rejected.status_code == 200 and rejected.get_json()["reason"] == "Föråldrad"


def test_suggestion_input_is_checked(world):
    w = world
    api = api_as(w.partner)
    base = f"/documents/{w.doc.id}/suggestions"
    current = w.doc.current_revision_id
    for payload in ({"title": "Utan bas"}, {"base_revision_id": "1", "title": "X"},
                    {"base_revision_id": current},  # changes nothing
                    {"base_revision_id": current, "title": ""},
                    {"base_revision_id": current, "fields": "x"},
                    {"base_revision_id": current, "title": "X", "note": 5},
                    {"base_revision_id": current, "body": ["lista"]}):
        assert api.post(base, json=payload).status_code == 422, payload
    assert api.post(base, data="x", headers={"Content-Type": "text/plain"}).status_code == 415
    assert api.post(base, data="{", headers={"Content-Type": "application/json"}
                    ).status_code == 400
    assert db.session.execute(select(Suggestion)).first() is None
    item = discussion.create_suggestion(w.partner, w.doc, {"title": "X"}, current)
    owner = api_as(w.editor)
    assert owner.post(f"{base}/{item.id}/reject", json={"reason": 5}).status_code == 422
    assert owner.post(f"{base}/{item.id}/reject", json=[1]).status_code == 422
    assert owner.post(f"{base}/{item.id}/reject", data="r",
                      headers={"Content-Type": "text/plain"}).status_code == 415
    assert owner.post(f"{base}/999/reject").status_code == 404
    assert owner.get(f"{base}/999").status_code == 404
