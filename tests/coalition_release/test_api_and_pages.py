"""The joint release through /api/v1 (every answer checked against the OpenAPI document) and
on the document page; unrelated organisations get 404."""
from conftest import api_as, login_as

from commsdesk import channels as channel_registry
from commsdesk.extensions import db

from .conftest import soon


def test_the_release_through_the_api(world):
    doc = world.doc
    owner, partner = api_as(world.editor), api_as(world.green_editor)
    at = soon().replace(microsecond=0)
    response = owner.request("PUT", f"/documents/{doc.id}/release", json={"at": at.isoformat()})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["embargo_at"] == at.isoformat()
    green = channel_registry.website_channel(world.green).id
    db.session.commit()
    mitten = channel_registry.website_channel(world.owner).id
    db.session.commit()
    assert partner.post(f"/documents/{doc.id}/release/plan",
                        json={"channels": [mitten]}).status_code == 422
    assert partner.post(f"/documents/{doc.id}/release/plan",
                        json={"channels": [green]}).status_code == 200
    body = owner.post(f"/documents/{doc.id}/release/plan", json={"channels": [mitten]}).get_json()
    assert [(p["organisation"]["slug"], [r["state"] for r in p["publications"]])
            for p in body["parties"]] == [("mitten", ["queued"]), ("gron", ["queued"])]
    assert "release" not in body["allowed_actions"]
    assert partner.request("PUT", f"/documents/{doc.id}/release",
                           json={"at": at.isoformat()}).status_code == 403
    held = api_as(world.green_approver).post(f"/documents/{doc.id}/release/hold",
                                             json={"reason": "Stopp"})
    assert held.status_code == 200 and held.get_json()["held"] is True
    assert held.get_json()["hold_reason"] == "Stopp"
    assert owner.post(f"/documents/{doc.id}/release/release", json={}).status_code == 403
    resumed = api_as(world.approver).post(f"/documents/{doc.id}/release/release", json={})
    assert resumed.status_code == 200 and resumed.get_json()["held"] is False
    withdrawn = api_as(world.green_approver).post(f"/documents/{doc.id}/approval/withdraw",
                                                  json={"reason": "Nej"})
    assert withdrawn.status_code == 200 and withdrawn.get_json()["held"] is True


def test_unrelated_organisations_get_404(world):
    outsider = api_as(world.outsider_editor)
    doc = world.doc
    assert outsider.get(f"/documents/{doc.id}/release").status_code == 404
    assert outsider.post(f"/documents/{doc.id}/release/hold",
                         json={"reason": "x"}).status_code == 404
    assert outsider.post(f"/documents/{doc.id}/approval/withdraw",
                         json={"reason": "x"}).status_code == 404


def test_the_panel_on_the_document_page(app, world):
    doc = world.doc
    owner = login_as(app, world.editor)
    at = soon()
    local = at.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Stockholm"))
    response = owner.form(f"/documents/{doc.id}/release/time",
                          {"at": local.strftime("%Y-%m-%dT%H:%M")})
    assert response.status_code == 302
    partner = login_as(app, world.green_editor)
    page = partner.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'id="joint-release"' in page and "Plan my channels" in page
    green = channel_registry.website_channel(world.green).id
    assert partner.form(f"/documents/{doc.id}/release/plan",
                        {"channel": str(green)}).status_code == 302
    page = owner.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'data-organisation="gron"' in page and "Queued" in page
    approver = login_as(app, world.green_approver)
    assert approver.form(f"/documents/{doc.id}/release/hold",
                         {"reason": "Vänta lite"}).status_code == 302
    page = owner.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "Vänta lite" in page
    outsider = login_as(app, world.outsider_editor)
    assert outsider.form(f"/documents/{doc.id}/release/hold",
                         {"reason": "x"}).status_code == 404


def _publishing(page):
    """The document page's publishing panel."""
    start = page.index('id="publishing"')
    return page[start:page.index("</section>", start)]


def test_a_held_release_shows_the_hold_not_an_expired_approval(app, world):
    from commsdesk import coalition_release

    doc = world.doc
    coalition_release.set_time(world.editor, doc, soon())
    coalition_release.plan(world.editor, doc,
                           [channel_registry.website_channel(world.owner).id])
    coalition_release.hold_all(world.green_approver, doc, "Siffrorna stämmer inte")
    approver = login_as(app, world.approver)
    panel = _publishing(approver.get(f"/documents/{doc.id}").get_data(as_text=True))
    assert "no longer valid" not in panel
    assert 'id="pub-release-held"' in panel and "Siffrorna stämmer inte" in panel
    assert world.green_approver.name in panel
    assert 'data-action="release-resume"' in panel
    editor_panel = _publishing(
        login_as(app, world.editor).get(f"/documents/{doc.id}").get_data(as_text=True))
    assert 'id="pub-release-held"' in editor_panel
    assert 'data-action="release-resume"' not in editor_panel  # only the owner's approver
    assert "no longer valid" not in editor_panel
    response = approver.form(f"/documents/{doc.id}/release/release", {})
    assert response.status_code == 302
    panel = _publishing(approver.get(f"/documents/{doc.id}").get_data(as_text=True))
    assert 'id="pub-release-held"' not in panel and "pub-queued" in panel
