"""The signed links Instagram and Threads fetch images through: anyone holding one may fetch
that one rendition for a few hours; a changed, expired or borrowed link is 404."""
from urllib.parse import urlsplit

from commsdesk import media
from commsdesk.media import serving

from .conftest import jpeg


def test_a_signed_link_serves_its_rendition_and_nothing_else(app, staff):
    item = media.upload(staff["editor"], "bild.jpg", jpeg(), alt_text="En bild")
    media.render_due()
    url = media.signed_url(item.id, "portrait")
    assert url.startswith(app.config["BASE_URL"] + f"/media/{item.id}/portrait.jpg?sig=")
    path = url[len(app.config["BASE_URL"]):]
    client = app.test_client()  # nobody signed in
    served = client.get(path)
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    assert "private" in served.headers["Cache-Control"]
    assert client.get(f"/media/{item.id}/portrait.jpg").status_code == 404
    assert client.get(path.replace("portrait.jpg", "large.jpg")).status_code == 404
    assert client.get(path[:-3] + "abc").status_code == 404
    signature = urlsplit(url).query.split("=", 1)[1]
    assert serving.signature_valid(item.id, "portrait", signature)
    assert not serving.signature_valid(item.id, "portrait", signature, max_age=-1)
