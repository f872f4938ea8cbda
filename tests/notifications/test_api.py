"""Notifications and preview links in /api/v1, checked against the OpenAPI document."""
import pytest
from conftest import api_as, make_document, make_org, make_user, share
from sqlalchemy import select

from commsdesk import notifications, previews
from commsdesk.extensions import db
from commsdesk.models import PreviewLink


@pytest.fixture
def world(app):
    class World:
        mitten, gronska, annat = make_org("mitten"), make_org("gronska"), make_org("annat")
        editor = make_user(mitten, "editor")
        approver = make_user(mitten, "approver")
        partner = make_user(gronska, "editor")
        stranger = make_user(annat, "editor")
        doc = make_document(editor, title="API-utspel")
    share(World.doc, World.gronska)
    return World


def test_own_notifications_newest_first_and_mark_read(app, world):
    notifications.notify("review_requested", world.doc, world.editor, [world.approver])
    notifications.notify("changes_requested", world.doc, world.editor, [world.approver],
                         message="Kortare!")
    db.session.commit()
    client = api_as(world.approver)
    body = client.get("/notifications").get_json()
    assert body["total"] == 2 and body["unread"] == 2
    newest = body["items"][0]
    assert newest["event"] == "changes_requested" and newest["data"]["message"] == "Kortare!"
    assert newest["document"] == {"id": world.doc.id, "title": "API-utspel"}
    assert newest["actor"]["id"] == world.editor.id
    assert newest["message"] == f"{world.editor.name} requested changes to “API-utspel”."

    read = client.post(f"/notifications/{newest['id']}/read")
    assert read.status_code == 200 and read.get_json()["read_at"]
    body = client.get("/notifications?unread=true").get_json()
    assert body["unread"] == 1 and [n["event"] for n in body["items"]] == ["review_requested"]
    assert client.get("/notifications?unread=maybe").status_code == 422
    assert client.get("/notifications?page=0").status_code == 422

    # Nobody else's: 404, and nothing changes.
    other = body["items"][0]["id"]
    assert api_as(world.editor).post(f"/notifications/{other}/read").status_code == 404
    assert api_as(world.stranger).get("/notifications").get_json()["total"] == 0
    assert notifications.unread_count(world.approver) == 1


def test_preview_links_create_list_revoke(app, world):
    client = api_as(world.editor)
    response = client.post(f"/documents/{world.doc.id}/preview-links",
                           json={"label": "Anna", "days": 3, "allow_comments": False})
    assert response.status_code == 201
    created = response.get_json()
    assert created["status"] == "active" and created["allow_comments"] is False
    assert created["url"].startswith("http://localhost/p/")
    token = created["url"].rsplit("/", 1)[1]
    assert app.test_client().get(f"/p/{token}").status_code == 200

    listed = client.get(f"/documents/{world.doc.id}/preview-links").get_json()["items"]
    assert [link["id"] for link in listed] == [created["id"]]
    assert "url" not in listed[0] and token not in str(listed)

    path = f"/documents/{world.doc.id}/preview-links/{created['id']}"
    assert client.request("DELETE", path).status_code == 204
    assert client.request("DELETE", path).status_code == 204  # twice is fine
    assert client.get(f"/documents/{world.doc.id}/preview-links").get_json()["items"][0][
        "status"] == "revoked"
    assert app.test_client().get(f"/p/{token}").status_code == 404


@pytest.mark.parametrize("payload, field", [
    ({}, "label"), ({"label": ""}, "label"), ({"label": 5}, "label"),
    ({"label": "A", "days": 0}, "days"), ({"label": "A", "days": 31}, "days"),
    ({"label": "A", "days": "7"}, "days"), ({"label": "A", "allow_comments": "yes"},
                                            "allow_comments"),
])
def test_invalid_links_are_refused(app, world, payload, field):
    response = api_as(world.editor).post(f"/documents/{world.doc.id}/preview-links",
                                           json=payload)
    assert response.status_code == 422 and response.get_json()["error"]["field"] == field
    assert db.session.execute(select(PreviewLink)).first() is None


def test_other_organisations_cannot_manage_links(app, world):
    link, _raw = previews.create_link(world.editor, world.doc, "Anna")
    base = f"/documents/{world.doc.id}/preview-links"
    stranger = api_as(world.stranger)
    assert stranger.get(base).status_code == 404
    assert stranger.post(base, json={"label": "X"}).status_code == 404
    assert stranger.request("DELETE", f"{base}/{link.id}").status_code == 404
    partner = api_as(world.partner)
    assert partner.get(base).status_code == 403
    assert partner.post(base, json={"label": "X"}).status_code == 403
    assert partner.request("DELETE", f"{base}/{link.id}").status_code == 403
    assert api_as(world.editor).request(
        "DELETE", f"{base}/{link.id + 1000}").status_code == 404
    assert db.session.get(PreviewLink, link.id).revoked_at is None
    assert len(db.session.execute(select(PreviewLink)).all()) == 1
