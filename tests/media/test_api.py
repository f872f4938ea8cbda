"""The media API: list, upload (multipart), get, describe, delete; a document's images;
another organisation's image is 404. Every answer is checked against the OpenAPI."""
import io

from conftest import api_as, make_document, make_org, make_user, run_worker

from commsdesk import workflow
from commsdesk.extensions import db

from .conftest import jpeg


def _upload(api, data, name="foto.jpg", **fields):
    return api.post("/media", data={"file": (io.BytesIO(data), name), **fields},
                    content_type="multipart/form-data")


def test_upload_list_get_describe_and_delete(desk):
    api = api_as(desk.editor)
    created = _upload(api, jpeg(1600, 900), alt_text="Torget")
    assert created.status_code == 201
    item = created.get_json()
    assert item["alt_text"] == "Torget" and not item["renditions"]["card"]["ready"]
    run_worker()
    fetched = api.get(f"/media/{item['id']}").get_json()
    assert fetched["renditions"]["card"] == {"url": f"/media/{item['id']}/card.jpg",
                                             "ready": True}
    assert [m["id"] for m in api.get("/media").get_json()["items"]] == [item["id"]]
    patched = api.patch(f"/media/{item['id']}", json={"caption": "Foto: Anna"})
    assert patched.get_json()["caption"] == "Foto: Anna"
    assert api.request("DELETE", f"/media/{item['id']}").status_code == 204
    assert api.get(f"/media/{item['id']}").status_code == 404


def test_refusals_are_clear(desk):
    api = api_as(desk.editor)
    refused = _upload(api, b"not an image", name="x.jpg")
    assert refused.status_code == 422 and "not an image" in refused.get_json()["error"][
        "message"]
    assert api.post("/media", json={"file": "x"}).status_code == 415
    assert api.get("/media").get_json()["items"] == []


def test_attach_and_detach_on_a_document_and_the_alt_text_gate(desk):
    api = api_as(desk.editor)
    doc = desk.draft()
    item = _upload(api, jpeg()).get_json()
    attached = api.post(f"/documents/{doc.id}/media", json={"media_id": item["id"]})
    assert [m["id"] for m in attached.get_json()["items"]] == [item["id"]]
    desk.approve(doc)
    refused = api.post(f"/documents/{doc.id}/transitions", json={"action": "publish"})
    assert refused.status_code == 422 and "foto.jpg" in refused.get_json()["error"]["message"]
    in_use = api.request("DELETE", f"/media/{item['id']}")
    assert in_use.status_code == 422
    assert api.request("DELETE", f"/documents/{doc.id}/media/{item['id']}").status_code == 204
    assert api.get(f"/documents/{doc.id}/media").get_json()["items"] == []
    db.session.refresh(doc)
    assert doc.state == workflow.IN_REVIEW  # taking the image off needs approving again


def test_another_organisations_image_is_404(desk):
    item = desk.upload()
    stranger = api_as(make_user(make_org("hoger"), "editor"))
    assert stranger.get(f"/media/{item.id}").status_code == 404
    assert stranger.patch(f"/media/{item.id}", json={"alt_text": "x"}).status_code == 404
    assert stranger.request("DELETE", f"/media/{item.id}").status_code == 404
    other = make_user(make_org("grona"), "editor")
    own = make_document(other)
    assert api_as(other).post(f"/documents/{own.id}/media",
                            json={"media_id": item.id}).status_code == 404
