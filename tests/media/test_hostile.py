"""Hostile and broken uploads are refused with a clear message and nothing is stored: a
decompression bomb, a truncated JPEG, text named .jpg, SVG, zero bytes, too large, a
polyglot."""
import io
import struct
import zlib

import pytest
from conftest import login_as
from sqlalchemy import func, select

from commsdesk import media
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Media, Rendition

from .conftest import encode, jpeg, picture


def _chunk(kind, data):
    return struct.pack(">I", len(data)) + kind + data + struct.pack(
        ">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png_claiming(width, height):
    """A tiny PNG whose header claims width x height pixels."""
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header)
            + _chunk(b"IDAT", zlib.compress(b"\x00" * 64)) + _chunk(b"IEND", b""))


HOSTILE = {
    "bomb": (png_claiming(100_000, 100_000), "too many pixels"),
    "over-40-mp": (png_claiming(8000, 6000), "too many pixels"),
    "truncated": (jpeg(800, 600)[:6000], "damaged or incomplete"),
    "text": (b"Hej! Det h\xc3\xa4r \xc3\xa4r ingen bild.\n" * 20, "not an image"),
    "svg": (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" '
            b'height="10"><rect width="10" height="10"/></svg>', "markup or script"),
    "svg-plain": (b'<svg xmlns="http://www.w3.org/2000/svg"/>', "markup or script"),
    "empty": (b"", "empty"),
    "polyglot": (jpeg() + b"<script>alert(1)</script>", "markup or script"),
    "bmp": (encode(picture(20, 20), "BMP"), "not an image"),
}


def _nothing_stored():
    counts = [db.session.execute(select(func.count()).select_from(model)).scalar_one()
              for model in (Media, Rendition)]
    uploads = db.session.execute(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "media.uploaded")).scalar_one()
    return counts == [0, 0] and uploads == 0


@pytest.mark.parametrize("case", list(HOSTILE))
def test_refused_with_a_clear_message_and_nothing_stored(desk, case):
    data, message = HOSTILE[case]
    with pytest.raises(ValidationError) as refused:
        media.upload(desk.editor, "bild.jpg", data)
    assert message in refused.value.message
    db.session.rollback()
    assert _nothing_stored()


def test_too_large_is_refused(app, desk):
    app.config["MAX_IMAGE_BYTES"] = 50_000
    try:
        with pytest.raises(ValidationError, match="too large"):
            media.upload(desk.editor, "stor.png", encode(picture(600, 600), "PNG"))
    finally:
        app.config["MAX_IMAGE_BYTES"] = 15_000_000
    assert _nothing_stored()


@pytest.mark.parametrize("case", ["bomb", "truncated", "text", "svg", "empty"])
def test_the_upload_page_says_why(app, desk, case):
    client = login_as(app, desk.editor)
    data, message = HOSTILE[case]
    page = client.form("/media", {"file": (io.BytesIO(data), "bild.jpg")},
                       content_type="multipart/form-data", follow_redirects=True,
                       headers={"Referer": "/media"})
    assert message in page.get_data(as_text=True)
    assert _nothing_stored()


def test_the_upload_route_accepts_more_than_the_global_request_limit(app, desk):
    client = login_as(app, desk.editor)
    data = encode(picture(1200, 1000), "PNG")
    assert len(data) > app.config["MAX_CONTENT_LENGTH"]
    response = client.form("/media", {"file": (io.BytesIO(data), "stor.png"),
                                      "alt_text": "Stor bild"},
                           content_type="multipart/form-data")
    assert response.status_code == 302
    assert [m.filename for m in media.library(desk.editor)] == ["stor.png"]
    # Elsewhere the global limit still holds.
    other = client.form("/documents/new", {"title": "x" * len(data)})
    assert other.status_code == 413


def test_a_photo_whose_bytes_happen_to_spell_a_tag_name_is_not_refused(desk):
    # Compressed image data is random-looking: "<svg" or "<BODY" turn up in real photos by
    # chance, without the character that would end a tag's name.
    chance = jpeg(seed=3) + b"\xff\xfe<svgk\x01<BoDy\xc3"
    assert desk.upload(data=chance).id
    with pytest.raises(ValidationError):
        desk.upload(data=jpeg(seed=3) + b"<svg onload=alert(1)>")
