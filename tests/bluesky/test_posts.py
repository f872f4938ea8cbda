"""Bluesky posts against a local PDS: connecting with the generic form, facets on the right
UTF-8 bytes in Swedish text with emoji, link cards, images with alt text, threads with reply
references, and record keys chosen before sending."""
import io
import random
import re

from conftest import login_as, make_document, run_worker
from PIL import Image
from sqlalchemy import select

from commsdesk import media, workflow
from commsdesk.channels import credentials
from commsdesk.channels.bluesky import records
from commsdesk.extensions import db
from commsdesk.models import Channel, Publication

from .bluesky_server import APP_PASSWORD, DID, HANDLE, KNOWN
from .conftest import approved

TID_RE = re.compile(r"^[234567abcdefghij][234567abcdefghijklmnopqrstuvwxyz]{12}$")


def bsky_row(doc):
    return db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.channel.has(type="bluesky"))).scalar_one()


def marked(record, facet):
    index = facet["index"]
    return record["text"].encode()[index["byteStart"]:index["byteEnd"]].decode()


def test_connect_with_the_form_and_test_the_connection(app, staff, pds, private_hosts):
    client = login_as(app, staff["admin"])
    form = client.get("/settings/channels/new/bluesky").get_data(as_text=True)
    assert 'value="https://bsky.social"' in form and 'name="app_password"' in form
    assert "App passwords" in form
    response = client.form("/settings/channels/new/bluesky", {
        "name": "Bluesky", "pds_url": pds.url, "handle": "@Partiet.bsky.social",
        "app_password": APP_PASSWORD})
    assert response.status_code == 302
    channel = db.session.execute(select(Channel).where(Channel.type == "bluesky")).scalar_one()
    assert channel.settings["handle"] == HANDLE
    assert APP_PASSWORD not in channel.credentials
    response = client.form(f"/settings/channels/{channel.id}/test", {}, follow_redirects=True)
    assert f"as @{HANDLE}" in response.get_data(as_text=True)
    stored = credentials.decrypt(db.session.get(Channel, channel.id).credentials)
    assert stored["app_password"] == APP_PASSWORD and stored["session"]["did"] == DID
    edit = client.get(f"/settings/channels/{channel.id}").get_data(as_text=True)
    assert APP_PASSWORD not in edit and stored["session"]["accessJwt"] not in edit


def test_a_wrong_app_password_fails_the_test_in_the_platforms_words(app, staff, pds,
                                                                    private_hosts):
    from .conftest import connect

    channel = connect(staff["admin"], pds, password="fel-fel-fel-fel")
    from commsdesk.publishing import channels

    ok, message = channels.test_connection(staff["admin"], channel)
    assert not ok and "Invalid identifier or password" in message


def test_a_handle_that_is_not_one_is_refused(app, staff, pds, private_hosts):
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new/bluesky", {
        "name": "Bluesky", "pds_url": pds.url, "handle": "partiet",
        "app_password": APP_PASSWORD})
    assert response.status_code == 422
    assert "handle" in response.get_data(as_text=True)


def test_swedish_text_with_emoji_gets_facets_on_the_right_bytes(staff, pds, bsky_channel):
    text = ("Åby får en ny förskola 🎉🇸🇪 Läs mer: https://mitten.example/förskola?år=2026. "
            "Tack @anna.bsky.social och @okand.example.org! #Förskola #2026 (#Åby)")
    doc = approved(staff, text)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "sent", row.last_error
    (record,) = pds.posts()
    assert record["text"] == text
    found = {facet["features"][0]["$type"].rsplit("#", 1)[1]: [] for facet in record["facets"]}
    for facet in record["facets"]:
        found[facet["features"][0]["$type"].rsplit("#", 1)[1]].append(
            (marked(record, facet), facet["features"][0]))
    link = "https://mitten.example/förskola?år=2026"
    assert found["link"] == [(link, {"$type": "app.bsky.richtext.facet#link", "uri": link})]
    assert found["mention"] == [("@anna.bsky.social", {
        "$type": "app.bsky.richtext.facet#mention", "did": KNOWN["anna.bsky.social"]})]
    assert [m for m, _f in found["tag"]] == ["#Förskola"]  # #2026 is a number, (#Åby) not
    start = record["facets"][0]["index"]["byteStart"]
    assert start == len(text[:text.index("https")].encode()) != text.index("https")
    # The link is not the newsroom's: the card is the address itself, without a picture.
    assert record["embed"] == {"$type": "app.bsky.embed.external", "external": {
        "uri": link, "title": link, "description": ""}}
    rkey = row.progress["rkeys"][0]
    assert row.url == f"https://bsky.app/profile/{HANDLE}/post/{rkey}"
    assert row.external_id == f"at://{DID}/app.bsky.feed.post/{rkey}"


def test_a_press_release_is_announced_with_a_link_card_and_its_thumbnail(staff, pds,
                                                                          bsky_channel):
    doc = approved(staff, kind="press_release", title="Nytt badhus i Åby")
    workflow.publish(staff["editor"], doc)
    run_worker()
    assert bsky_row(doc).state == "sent", bsky_row(doc).last_error
    (record,) = pds.posts()
    external = record["embed"]["external"]
    assert external["title"] == "Nytt badhus i Åby"
    assert external["description"] == "Kort ingress om förskolorna."
    assert external["uri"].endswith(f"/{doc.id}-nytt-badhus-i-aby")
    thumb = pds.blobs[external["thumb"]["ref"]["$link"]]
    assert Image.open(io.BytesIO(thumb)).size == (1200, 630)
    (link,) = record["facets"]
    assert marked(record, link) == external["uri"]


def test_an_image_goes_with_its_alt_text_and_aspect_ratio(staff, pds, bsky_channel):
    picture = media.upload(staff["editor"], "torget.jpg", jpeg(800, 600),
                           alt_text="Torget i Åby en vårdag, med nya bänkar")
    doc = approved(staff, "Så ser torget ut nu.", images=[picture])
    workflow.publish(staff["editor"], doc)
    run_worker()
    assert bsky_row(doc).state == "sent", bsky_row(doc).last_error
    (record,) = pds.posts()
    (image,) = record["embed"]["images"]
    assert record["embed"]["$type"] == "app.bsky.embed.images"
    assert image["alt"] == "Torget i Åby en vårdag, med nya bänkar"
    assert image["aspectRatio"] == {"width": 800, "height": 600}
    assert image["image"]["mimeType"] == "image/jpeg"
    assert image["image"]["size"] <= 1_000_000


def jpeg(width, height, quality=90, seed=5):
    """A JPEG of noise (which compresses badly: large files from small images)."""
    rnd = random.Random(seed)
    out = io.BytesIO()
    Image.frombytes("RGB", (width, height), rnd.randbytes(width * height * 3)).save(
        out, "JPEG", quality=quality)
    return out.getvalue()


def test_an_image_over_the_blob_limit_is_made_smaller():
    big = jpeg(1800, 1400, quality=98)
    assert len(big) > 1_000_000
    data, (width, height) = records.fit_bytes(big)
    assert len(data) <= 1_000_000
    assert Image.open(io.BytesIO(data)).size == (width, height)
    assert abs(width / height - 1800 / 1400) < 0.01


def test_the_pds_refuses_a_blob_over_a_million_bytes(pds):
    import requests

    session = requests.post(f"{pds.url}/xrpc/com.atproto.server.createSession",
                            json={"identifier": HANDLE, "password": APP_PASSWORD}).json()
    response = requests.post(f"{pds.url}/xrpc/com.atproto.repo.uploadBlob",
                             data=b"x" * 1_000_001, headers={
                                 "Content-Type": "image/jpeg",
                                 "Authorization": f"Bearer {session['accessJwt']}"})
    assert response.status_code == 413


SENTENCE = "Vi vill bygga fler förskolor i Älvstad och korta köerna för familjerna. "


def test_a_long_text_becomes_a_thread_with_reply_references(staff, pds, bsky_channel):
    doc = approved(staff, SENTENCE * 10 + "#Förskola")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "sent", row.last_error
    posts = pds.posts()
    assert len(posts) == len(row.payload["parts"]) >= 3
    stored = [pds.records[rkey] for rkey in pds.creates]
    assert "reply" not in posts[0]
    for number, post in enumerate(posts[1:], 1):
        assert post["reply"]["root"] == {"uri": stored[0]["uri"], "cid": stored[0]["cid"]}
        assert post["reply"]["parent"] == {"uri": stored[number - 1]["uri"],
                                           "cid": stored[number - 1]["cid"]}
        assert post["text"].endswith(f" {number + 1}/{len(posts)}")
    assert pds.creates == row.progress["rkeys"]
    assert row.url.endswith(f"/post/{pds.creates[0]}")
    assert posts[-1]["facets"][0]["features"][0]["tag"] == "Förskola"


def test_record_keys_are_tids_chosen_and_stored_before_sending(staff, pds, bsky_channel):
    assert records.tid(0, 0) == "2222222222222"
    assert records.tid((1 << 53) - 1, 1023) == "bzzzzzzzzzzzz"  # the top bit stays 0
    keys = records.record_keys(3, "00ff" * 8)
    assert all(TID_RE.match(k) for k in keys) and keys == sorted(keys) and len(set(keys)) == 3
    doc = approved(staff, "Ett inlägg.")
    workflow.publish(staff["editor"], doc)
    pds.fail_next("com.atproto.repo.createRecord", 503)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "queued"
    (key,) = row.progress["rkeys"]  # remembered although nothing was created
    assert TID_RE.match(key) and pds.creates == []


def test_the_mention_of_an_unknown_handle_stays_plain_text(editor):
    doc = make_document(editor, kind="social_post", title="T", body="x",
                        variants={"bluesky": "Hej då @ingen.example.org och @anna.bsky.social"})
    from commsdesk.channels.bluesky import BlueskyAdapter, richtext

    payload = BlueskyAdapter().format(doc, doc.current_revision, None)
    (post,) = payload["posts"]
    assert [f["mention"] for f in post["facets"]] == ["ingen.example.org", "anna.bsky.social"]
    out = richtext.resolved(post["facets"], KNOWN.get)
    assert out == [{"index": {"byteStart": 31, "byteEnd": 48}, "features": [
        {"$type": "app.bsky.richtext.facet#mention", "did": KNOWN["anna.bsky.social"]}]}]
