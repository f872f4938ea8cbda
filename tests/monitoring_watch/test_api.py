"""Watch lists in /api/v1: CRUD for editors, read for everyone, 404 across organisations."""
from conftest import api_as, make_org, make_user

from commsdesk.extensions import db
from commsdesk.models import WatchList

PATH = "/monitoring/watch-lists"


def test_crud(app):
    org = make_org("mitten")
    editor, approver = make_user(org), make_user(org, "approver")
    api = api_as(editor)
    response = api.post(PATH, json={"name": "Skola", "terms": ["förskola", '"nya skolan"'],
                                    "delivery": "digest", "recipient_ids": [approver.id]})
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["terms"] == ["förskola", '"nya skolan"'] and body["delivery"] == "digest"
    assert [r["id"] for r in body["recipients"]] == [approver.id]
    path = f"{PATH}/{body['id']}"
    assert api.get(PATH).get_json()["items"][0]["name"] == "Skola"
    changed = api.patch(path, json={"active": False, "terms": ["fritids"]}).get_json()
    assert changed["active"] is False and changed["terms"] == ["fritids"]
    assert changed["delivery"] == "digest"
    assert api.patch(path, json={"terms": []}).status_code == 422
    assert api.patch(path, json={"colour": "red"}).status_code == 422
    assert api_as(approver).get(path).status_code == 200
    assert api_as(approver).request("DELETE", path).status_code == 403
    assert api.request("DELETE", path).status_code == 204
    assert api.get(path).status_code == 404


def test_another_organisations_list_is_not_found(app):
    org, other = make_org("mitten"), make_org("grona")
    api = api_as(make_user(org))
    body = api.post(PATH, json={"name": "Skola", "terms": ["förskola"]}).get_json()
    stranger = api_as(make_user(other))
    path = f"{PATH}/{body['id']}"
    assert stranger.get(path).status_code == 404
    assert stranger.patch(path, json={"name": "Vår"}).status_code == 404
    assert stranger.request("DELETE", path).status_code == 404
    assert stranger.get(PATH).get_json()["items"] == []
    assert db.session.get(WatchList, body["id"]).name == "Skola"
