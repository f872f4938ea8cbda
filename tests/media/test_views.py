"""The library page and the document page's Images panel: upload, describe, attach, order,
detach, delete when unused; another organisation's image is 404."""
import io

from conftest import login_as, make_document, make_org, make_user, run_worker

from commsdesk import media

from .conftest import jpeg


def test_library_upload_describe_and_delete(app, desk):
    client = login_as(app, desk.editor)
    sent = client.form("/media", {"file": (io.BytesIO(jpeg()), "torget.jpg"),
                                  "alt_text": "Torget"}, content_type="multipart/form-data",
                       follow_redirects=True)
    page = sent.get_data(as_text=True)
    assert "torget.jpg is in the library" in page
    item = media.library(desk.editor)[0]
    run_worker()
    assert f'src="/media/{item.id}/thumb.jpg" alt="Torget"' in page
    assert client.get(f"/media/{item.id}/thumb.jpg").status_code == 200
    client.form(f"/media/{item.id}/describe", {"alt_text": "Torget i vår", "caption": "C"})
    assert media.get_media(desk.editor, item.id).alt_text == "Torget i vår"
    client.form(f"/media/{item.id}/delete")
    assert media.library(desk.editor) == []
    assert client.get(f"/media/{item.id}/thumb.jpg").status_code == 404


def test_document_images_panel(app, desk):
    doc = make_document(desk.editor)
    first, second = desk.upload(name="a.jpg"), desk.upload(name="b.jpg", alt="")
    client = login_as(app, desk.editor)
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert 'id="images-h"' in page and f'<option value="{first.id}">a.jpg</option>' in page
    for item in (first, second):
        client.form(f"/documents/{doc.id}/images", {"media_id": str(item.id)})
    client.form(f"/documents/{doc.id}/images/{second.id}/up")
    assert [r.media_id for r in media.attached(doc)] == [second.id, first.id]
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "No alt text yet." in page
    assert client.form(f"/media/{first.id}/delete", follow_redirects=True,
                       headers={"Referer": "/media"}).status_code == 200
    assert media.get_media(desk.editor, first.id)  # in use: not deleted
    client.form(f"/documents/{doc.id}/images/{first.id}/detach")
    assert [r.media_id for r in media.attached(doc)] == [second.id]


def test_other_organisations_cannot_touch_the_images(app, desk):
    item = desk.upload()
    stranger = make_user(make_org("hoger"), "editor")
    client = login_as(app, stranger)
    assert client.form(f"/media/{item.id}/describe", {"alt_text": "x"}).status_code == 404
    assert client.form(f"/media/{item.id}/delete").status_code == 404
    own = make_document(stranger)
    assert client.form(f"/documents/{own.id}/images",
                       {"media_id": str(item.id)}).status_code == 404
    assert "Images" not in client.get(f"/documents/{own.id}").get_data(as_text=True) or \
        item.filename not in client.get(f"/documents/{own.id}").get_data(as_text=True)
