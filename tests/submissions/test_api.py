"""The API: outlets (list, create, update) and a document's submissions (list, offer, change
state), every answer checked against the OpenAPI document; partners read, strangers get 404."""
from conftest import api_as, make_org, make_user, share

from .support import approved_op_ed


def _outlet(api, **values):
    body = {"name": "Länsposten", "email": "debatt@lansposten.example", "reply_days": 5,
            **values}
    return api.post("/outlets", json=body)


def test_outlets_are_listed_created_and_updated(editor):
    api = api_as(editor)
    created = _outlet(api, length_limit=3000, wants_exclusive=True)
    assert created.status_code == 201, created.get_json()
    outlet = created.get_json()
    assert outlet["wants_exclusive"] is True and outlet["length_limit"] == 3000
    changed = api.patch(f"/outlets/{outlet['id']}", json={"active": False, "reply_days": 9})
    assert changed.status_code == 200
    assert changed.get_json()["active"] is False and changed.get_json()["reply_days"] == 9
    assert [o["name"] for o in api.get("/outlets").get_json()["items"]] == ["Länsposten"]


def test_outlet_errors_name_the_field(editor):
    api = api_as(editor)
    bad = _outlet(api, email="inte en adress")
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "email"
    assert _outlet(api, reply_days=0).get_json()["error"]["field"] == "reply_days"
    _outlet(api)
    assert _outlet(api).get_json()["error"]["field"] == "name"  # twice the same name


def test_contributors_do_not_manage_outlets_and_others_get_404(editor, org):
    outlet = _outlet(api_as(editor)).get_json()
    assert api_as(make_user(org, "contributor")).get("/outlets").status_code == 403
    stranger = make_user(make_org("vanster"), "editor")
    assert api_as(stranger).patch(f"/outlets/{outlet['id']}", json={}).status_code == 404


def test_offer_and_track_a_submission(editor):
    api = api_as(editor)
    doc = approved_op_ed(editor)
    outlet = _outlet(api).get_json()
    made = api.post(f"/documents/{doc.id}/submissions", json={"outlet_id": outlet["id"]})
    assert made.status_code == 201, made.get_json()
    row = made.get_json()
    assert row["state"] == "offered" and row["allowed_actions"] == [
        "accept", "refuse", "publish", "withdraw"]
    assert "Eva Sjöberg" in row["presentation"]
    path = f"/documents/{doc.id}/submissions/{row['id']}/transitions"
    assert api.post(path, json={"action": "accept"}).get_json()["state"] == "accepted"
    bad = api.post(path, json={"action": "publish", "published_on": "2026-12-01",
                               "published_url": "javascript:x"})
    assert bad.status_code == 422 and bad.get_json()["error"]["field"] == "published_url"
    done = api.post(path, json={"action": "publish", "published_on": "2026-12-01",
                                "published_url": "https://lansposten.example/debatt/7"})
    assert done.get_json()["published_on"] == "2026-12-01"
    assert api.post(path, json={"action": "withdraw"}).status_code == 409
    assert api.post(path, json={"action": "explode"}).status_code == 422
    [listed] = api.get(f"/documents/{doc.id}/submissions").get_json()["items"]
    assert listed["state"] == "published"


def test_exclusivity_and_length_in_the_api(editor):
    api = api_as(editor)
    doc = approved_op_ed(editor)
    exclusive = _outlet(api, wants_exclusive=True).get_json()
    short = _outlet(api, name="Kortposten", length_limit=10).get_json()
    too_long = api.post(f"/documents/{doc.id}/submissions", json={"outlet_id": short["id"]})
    assert too_long.status_code == 422 and "at most 10" in too_long.get_json()["error"][
        "message"]
    api.post(f"/documents/{doc.id}/submissions", json={"outlet_id": exclusive["id"]})
    other = _outlet(api, name="Tredje").get_json()
    refused = api.post(f"/documents/{doc.id}/submissions", json={"outlet_id": other["id"]})
    assert refused.status_code == 409 and "Länsposten" in refused.get_json()["error"]["message"]


def test_partners_read_and_strangers_get_404(editor):
    api = api_as(editor)
    partner_org = make_org("grona")
    doc = approved_op_ed(editor)
    share(doc, partner_org)
    partner_approver = make_user(partner_org, "approver")
    from commsdesk import workflow

    workflow.approve(partner_approver, doc)
    outlet = _outlet(api).get_json()
    row = api.post(f"/documents/{doc.id}/submissions",
                   json={"outlet_id": outlet["id"]}).get_json()
    partner = api_as(make_user(partner_org, "editor"))
    [seen] = partner.get(f"/documents/{doc.id}/submissions").get_json()["items"]
    assert seen["id"] == row["id"] and seen["allowed_actions"] == []
    path = f"/documents/{doc.id}/submissions/{row['id']}/transitions"
    assert partner.post(path, json={"action": "refuse"}).status_code == 403
    stranger = api_as(make_user(make_org("vanster"), "editor"))
    assert stranger.get(f"/documents/{doc.id}/submissions").status_code == 404
    assert stranger.post(path, json={"action": "refuse"}).status_code == 404
