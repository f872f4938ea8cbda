"""Monitored items in the API (every answer is checked against the OpenAPI document)."""
import pytest
from conftest import api_as, make_org, make_user

from commsdesk.extensions import db
from commsdesk.models import Document, Notification

from .helpers import item, match, source, watch_list


@pytest.fixture
def office(app):
    org = make_org("mitten", "Mittenpartiet")
    return org, make_user(org, "editor"), make_user(org, "contributor")


def test_list_filter_and_read_an_item(office):
    org, editor, _member = office
    school = watch_list(org)
    row = item(source(org), "Förskolan stänger")
    other = item(source(org, "Kommunen", "https://kommun.example/rss"), "Budget",
                 "Kommunen beslutar om annat.", n=2)
    match(row, school)
    api = api_as(editor)
    body = api.get("/monitoring/items").get_json()
    assert [i["id"] for i in body["items"]] == [other.id, row.id]
    assert body["counts"] == {"new": 2, "read": 0, "flagged": 0, "archived": 0}
    matched = api.get(f"/monitoring/items?watch_list_id={school.id}").get_json()
    assert [(i["id"], i["terms"]) for i in matched["items"]] == [(row.id, ["förskola"])]
    assert api.get("/monitoring/items?matched=true").get_json()["total"] == 1
    assert api.get("/monitoring/items?state=archived").get_json()["items"] == []
    assert api.get("/monitoring/items?state=gone").status_code == 422
    full = api.get(f"/monitoring/items/{row.id}").get_json()
    assert full["matches"][0]["term"] == "förskola" and full["notes"] == []
    assert full["state"] == "new"  # reading through the API does not open it


def test_patch_notes_and_respond(office):
    org, editor, member = office
    row = item(source(org), "Förskolan stänger")
    api = api_as(editor)
    answer = api.patch(f"/monitoring/items/{row.id}",
                       json={"state": "flagged", "assigned_to_id": member.id})
    assert answer.status_code == 200
    assert answer.get_json()["state"] == "flagged"
    assert answer.get_json()["assigned_to"]["id"] == member.id
    assert db.session.query(Notification).filter_by(user_id=member.id).count() == 1
    (told,) = api_as(member).get("/notifications").get_json()["items"]
    assert told["document"] is None and told["data"]["item_id"] == row.id
    assert "Förskolan stänger" in told["message"]
    assert api.patch(f"/monitoring/items/{row.id}", json={"state": "new"}).status_code == 409
    assert api.patch(f"/monitoring/items/{row.id}",
                     json={"assigned_to_id": 10**6}).status_code == 422
    note = api.post(f"/monitoring/items/{row.id}/notes", json={"body": "Ring"})
    assert note.status_code == 201 and note.get_json()["body"] == "Ring"
    assert api.post(f"/monitoring/items/{row.id}/notes", json={"body": ""}).status_code == 422
    assert api_as(member).request(
        "DELETE", f"/monitoring/items/{row.id}/notes/{note.get_json()['id']}").status_code == 403
    created = api.post(f"/monitoring/items/{row.id}/respond", json={"kind": "op_ed"})
    assert created.status_code == 201
    doc = db.session.get(Document, created.get_json()["id"])
    assert doc.source_item_id == row.id and doc.kind == "op_ed"
    assert api.post(f"/monitoring/items/{row.id}/respond",
                    json={"kind": "newsletter"}).status_code == 422
    full = api.get(f"/monitoring/items/{row.id}").get_json()
    assert [d["id"] for d in full["drafts"]] == [doc.id] and len(full["notes"]) == 1
    assert api.request(
        "DELETE", f"/monitoring/items/{row.id}/notes/{note.get_json()['id']}").status_code == 204


def test_another_organisations_item_is_404_everywhere(office):
    org, _editor, _member = office
    row = item(source(org))
    stranger = api_as(make_user(make_org("vanster"), "admin"))
    base = f"/monitoring/items/{row.id}"
    assert stranger.get(base).status_code == 404
    assert stranger.patch(base, json={"state": "archived"}).status_code == 404
    assert stranger.post(f"{base}/notes", json={"body": "x"}).status_code == 404
    assert stranger.request("DELETE", f"{base}/notes/1").status_code == 404
    assert stranger.post(f"{base}/respond", json={"kind": "letter"}).status_code == 404
    assert stranger.get("/monitoring/items").get_json()["total"] == 0
    assert row.state == "new"
