"""The audit log through the API: per organisation and per document, paged and filtered,
with the pages' access rules; every answer is checked against the OpenAPI document."""
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import api_as, make_document, make_org, make_user, share

from commsdesk import audit, previews
from commsdesk.extensions import db
from commsdesk.models import utcnow


@pytest.fixture
def world(app):
    class World:
        mitten, gronska = make_org("mitten"), make_org("gronska")
        admin = make_user(mitten, "admin")
        editor = make_user(mitten, "editor")
        contributor = make_user(mitten, "contributor")
        partner_admin = make_user(gronska, "admin")
        partner_editor = make_user(gronska, "editor")
        root = make_user(gronska, "admin", email="root@example.org", superuser=True)
        doc = make_document(editor, title="Loggat")
        other = make_document(editor, title="Annat")
        theirs = make_document(partner_editor, title="Deras")
    share(World.doc, World.gronska)
    previews.create_link(World.editor, World.doc, "Anna")
    return World


def _actions(response):
    assert response.status_code == 200, response.get_json()
    return [item["action"] for item in response.get_json()["items"]]


def test_an_admin_reads_the_organisations_log_in_words(world):
    response = api_as(world.admin).get("/audit")
    actions = _actions(response)
    assert "preview_link.created" in actions and "document.shared" in actions
    items = response.get_json()["items"]
    assert {i["organisation"]["name"] for i in items} == {"Mitten"}
    created = next(i for i in items if i["action"] == "document.created")
    assert created["action_label"] == "Document created"
    assert created["actor"] == {"id": world.editor.id, "name": world.editor.name}
    assert created["object_type"] == "document" and created["data"] == {"kind": "press_release"}


def test_only_admins_and_superusers_read_the_organisations_log(world):
    for user in (world.editor, world.contributor):
        assert api_as(user).get("/audit").status_code == 403
    partner = _actions(api_as(world.partner_admin).get("/audit"))
    assert "preview_link.created" not in partner  # the other organisation's entries
    everything = api_as(world.root).get("/audit").get_json()["items"]
    assert {i["organisation"]["name"] for i in everything} == {"Mitten", "Gronska"}


def test_the_document_log_follows_the_pages_rules(world):
    path = f"/documents/{world.doc.id}/audit"
    actions = _actions(api_as(world.editor).get(path))
    assert set(actions) == {"document.created", "document.shared", "preview_link.created"}
    assert _actions(api_as(world.admin).get(path))
    assert api_as(world.contributor).get(path).status_code == 403
    assert api_as(world.partner_editor).get(path).status_code == 404  # shared, not theirs
    assert api_as(world.partner_admin).get(path).status_code == 404
    assert api_as(world.editor).get(f"/documents/{world.theirs.id}/audit").status_code == 404
    assert api_as(world.editor).get("/documents/999999/audit").status_code == 404
    # A superuser reads the log of their own organisation's documents, as on the pages.
    assert _actions(api_as(world.root).get(f"/documents/{world.theirs.id}/audit"))


def test_paging(world):
    api = api_as(world.admin)
    for n in range(5):
        audit.record(world.admin, "policy.changed", None, step=n)
    db.session.commit()
    first = api.get("/audit?per_page=2").get_json()
    second = api.get("/audit?per_page=2&page=2").get_json()
    assert first["total"] == second["total"] >= 7
    assert (first["page"], first["per_page"], len(first["items"])) == (1, 2, 2)
    assert [i["data"]["step"] for i in first["items"]] == [4, 3]
    assert [i["data"]["step"] for i in second["items"]] == [2, 1]
    assert api.get("/audit?per_page=5000").get_json()["per_page"] == 100
    far = api.get("/audit?page=9999").get_json()
    assert far["items"] == [] and far["total"] == first["total"]
    for bad in ("page=0", "page=x", "per_page=-1", "page=" + "9" * 20):
        assert api.get(f"/audit?{bad}").status_code == 422, bad


def test_filters_by_action_and_day(world):
    api = api_as(world.editor)
    path = f"/documents/{world.doc.id}/audit"
    assert _actions(api.get(f"{path}?action=preview_link.created")) == ["preview_link.created"]
    assert set(_actions(api.get(f"{path}?action=document."))) == {"document.created",
                                                                  "document.shared"}
    today = utcnow().astimezone(ZoneInfo("Europe/Stockholm")).date()  # days are Swedish
    assert len(_actions(api.get(f"{path}?from={today - timedelta(days=1)}&to={today}"))) == 3
    assert _actions(api.get(f"{path}?from={today + timedelta(days=2)}")) == []
    for bad in ("from=yesterday", "to=2025-13-01", "from=0001-01-01", "to=9999-12-31"):
        response = api.get(f"{path}?{bad}")
        assert response.status_code == 422, bad
        assert response.get_json()["error"]["field"] == bad.split("=")[0]


def test_the_paths_are_in_the_openapi_document(app, world):
    spec = app.test_client().get("/api/v1/openapi.json").get_json()
    assert "/audit" in spec["paths"] and "/documents/{document_id}/audit" in spec["paths"]
    assert "AuditEntry" in spec["components"]["schemas"]
