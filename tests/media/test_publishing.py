"""Images on the way out: the alt-text gate, the website payload, the social card (Swedish
letters drawn, not boxes), and who may fetch a rendition (public only once the text is
public in the newsroom, embargo included)."""
import io
from datetime import timedelta

import pytest
from conftest import login_as, make_org, make_user, run_worker, share
from PIL import Image, ImageChops, ImageDraw
from sqlalchemy import select

from commsdesk import media, workflow
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.media import cards
from commsdesk.models import OrganisationSetting, Publication, utcnow


def test_publishing_refuses_images_without_alt_text_and_names_them(desk):
    doc = desk.draft()
    described = desk.upload(name="torget.jpg", alt="Torget en vårdag")
    bare = desk.upload(name="skolan.jpg", alt="")
    for item in (described, bare):
        media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    for act in (lambda: workflow.publish(desk.editor, doc),
                lambda: workflow.schedule(desk.editor, doc, utcnow() + timedelta(days=1))):
        with pytest.raises(ValidationError) as refused:
            act()
        assert "skolan.jpg" in refused.value.message and "torget" not in refused.value.message
        db.session.rollback()
        assert doc.state == workflow.APPROVED
    media.describe(desk.editor, bare, alt_text="Skolans entré")
    workflow.publish(desk.editor, doc)
    assert doc.state == workflow.SCHEDULED


def test_the_website_payload_carries_images_and_the_card(desk):
    doc = desk.draft()
    first, second = desk.upload(alt="Första"), desk.upload(alt="Andra", caption="Foto: A")
    media.attach(desk.editor, doc, first.id)
    media.attach(desk.editor, doc, second.id)
    media.move(desk.editor, doc, second.id, -1)
    desk.approve(doc)
    workflow.publish(desk.editor, doc)
    payload = db.session.execute(select(Publication.payload)).scalar_one()
    assert [i["media_id"] for i in payload["images"]] == [second.id, first.id]
    assert payload["images"][0] == {
        "media_id": second.id, "alt": "Andra", "caption": "Foto: A", "width": 640,
        "height": 480, "renditions": {name: f"/media/{second.id}/{name}.jpg"
                                      for name in ("card", "square", "portrait", "thumb",
                                                   "large")}}
    assert payload["card_image"].startswith("/media/") and payload["card_image"].endswith(
        "/card.jpg")


def _glyph(face, letter):
    image = Image.new("L", (120, 120))
    ImageDraw.Draw(image).text((10, 10), letter, font=face, fill=255)
    return image


def test_swedish_letters_are_drawn_as_glyphs_not_boxes():
    face = cards.font(64)
    missing = _glyph(face, "\U000f0000").tobytes()  # a private-use character: no glyph
    for letter, plain in (("å", "a"), ("ä", "a"), ("ö", "o"), ("Å", "A"), ("Ä", "A"),
                          ("Ö", "O"), ("ø", "o"), ("æ", "a")):
        glyph = _glyph(face, letter)
        assert glyph.getbbox(), letter
        assert glyph.tobytes() not in (missing, _glyph(face, plain).tobytes()), letter
        if letter in "åäöÅÄÖ":  # a ring or dots above the base letter
            assert glyph.getbbox()[1] < _glyph(face, plain).getbbox()[1], letter


def test_the_card_draws_the_title_with_long_titles_wrapped_and_cut():
    face = cards.font(54)
    title = "Kommunfullmäktige beslutade i kväll " * 8
    lines = cards.wrap(title, face, 1056)
    assert len(lines) == 4 and lines[-1].endswith("…")
    assert all(face.getlength(line) <= 1056 for line in lines)
    with_letters = Image.open(io.BytesIO(cards.draw("Åby får en ny förskola", "Mitten")))
    plain = Image.open(io.BytesIO(cards.draw("Aby far en ny forskola", "Mitten")))
    assert with_letters.size == (1200, 630) and with_letters.format == "JPEG"
    assert ImageChops.difference(with_letters, plain).getbbox() is not None


def test_the_card_uses_the_brand_colours_and_logo(desk):
    logo = desk.upload(name="logo.png", alt="Logga")
    db.session.add_all([
        OrganisationSetting(organisation_id=desk.org.id, name="brand.primary", value="#006400"),
        OrganisationSetting(organisation_id=desk.org.id, name="brand.logo_media_id",
                            value=str(logo.id))])
    db.session.commit()
    doc = desk.approved()
    card = cards.card_for(doc, "Rubrik")
    image = Image.open(io.BytesIO(card.data)).convert("RGB")
    red, green, blue = image.getpixel((1150, 40))
    assert green > 80 and red < 30 and blue < 30
    assert cards.card_for(doc, "Rubrik").id == card.id  # the same card is not drawn twice
    assert media.uses(logo) == 1  # the logo cannot be deleted


def _client_get(app, path, user=None):
    client = login_as(app, user) if user else app.test_client()
    return client.get(path)


def test_renditions_are_private_until_the_text_is_public(app, desk):
    doc = desk.draft()
    item = desk.upload()
    media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    run_worker()
    path = f"/media/{item.id}/card.jpg"
    assert _client_get(app, path).status_code == 404
    own = _client_get(app, path, desk.editor)
    assert own.status_code == 200 and own.mimetype == "image/jpeg"
    assert "private" in own.headers["Cache-Control"]
    stranger = make_user(make_org("hoger"), "editor")
    assert _client_get(app, path, stranger).status_code == 404
    workflow.publish(desk.editor, doc)
    assert _client_get(app, path).status_code == 404  # queued, not yet sent
    run_worker()
    public = _client_get(app, path)
    assert public.status_code == 200
    assert "public" in public.headers["Cache-Control"] and "max-age=2592000" in \
        public.headers["Cache-Control"]
    assert _client_get(app, f"/media/{item.id}/nope.jpg").status_code == 404
    workflow.withdraw(desk.editor, doc)
    assert _client_get(app, path).status_code == 404


def test_an_image_of_an_embargoed_text_is_not_public_before_the_lift(app, desk):
    lift = utcnow() + timedelta(hours=2)
    doc = desk.draft(fields={"embargo": lift.isoformat()})
    item = desk.upload()
    media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    workflow.publish(desk.editor, doc)
    run_worker()
    assert db.session.execute(select(Publication.state)).scalar_one() == "sent"
    path = f"/media/{item.id}/large.jpg"
    refused = _client_get(app, path)
    assert refused.status_code == 404 and refused.headers["Cache-Control"] == "no-store"
    card = db.session.execute(select(Publication.payload)).scalar_one()["card_image"]
    assert _client_get(app, card).status_code == 404
    row = db.session.execute(select(Publication)).scalar_one()
    row.embargo_until = utcnow() - timedelta(seconds=1)  # the embargo lifts
    db.session.commit()
    assert _client_get(app, path).status_code == 200
    assert _client_get(app, card).status_code == 200


def test_partners_of_a_shared_text_see_its_images(app, desk):
    doc = desk.draft()
    item = desk.upload()
    media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    run_worker()
    partner = make_org("grona")
    share(doc, partner)
    assert _client_get(app, f"/media/{item.id}/thumb.jpg",
                       make_user(partner, "editor")).status_code == 200
