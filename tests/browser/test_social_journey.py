"""A social post with an image and its alt text, scheduled in a real browser on Mastodon and
Bluesky (local servers speaking their APIs): at its time each network gets exactly one post
with the image and its description, and the publishing panel shows both links. A second
worker pass posts nothing more.

Assertions match markup and data attributes, not wording, so they hold in Swedish."""
import io
import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from bluesky.bluesky_server import APP_PASSWORD, HANDLE, Pds
from conftest import make_document, make_org, make_user, run_worker
from mastodon.conftest import connect
from mastodon.mastodon_server import Mastodon
from PIL import Image
from playwright.sync_api import expect

from commsdesk import media, workflow
from commsdesk.extensions import db
from commsdesk.publishing import channels

ALT = "Barn leker på förskolans gård i Åby"


@pytest.fixture
def networks(app):
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    toots, sky = Mastodon("social.example").start(), Pds().start()
    yield toots, sky
    toots.stop()
    sky.stop()
    app.config["CHANNEL_PRIVATE_HOSTS"] = False


def _jpeg():
    out = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 60)).save(out, "JPEG")
    return out.getvalue()


def test_a_post_with_an_image_goes_out_once_on_each_network(page, log_in, networks):
    toots, sky = networks
    org = make_org("mitten", "Mittenpartiet")
    editor, leader = make_user(org, "editor"), make_user(org, "approver")
    admin = make_user(org, "admin")
    mastodon = connect(admin, toots, name="Mastodon Mitten")
    bluesky = channels.save(admin, "bluesky", values={
        "name": "Bluesky Mitten", "pds_url": sky.url, "handle": HANDLE,
        "app_password": APP_PASSWORD})
    doc = make_document(editor, kind="social_post", title="Förskolor i Åby",
                        body="300 nya förskoleplatser i Älvstad. #förskola",
                        variants={"mastodon": "Vi föreslår 300 nya förskoleplatser i Älvstad.",
                                  "bluesky": "300 nya förskoleplatser i Älvstad 🧸 #förskola"})
    image = media.upload(editor, "forskola.jpg", _jpeg(), alt_text=ALT)
    media.attach(editor, doc, image.id)
    workflow.submit(editor, doc)
    workflow.approve(leader, doc)
    db.session.commit()

    log_in(editor.email)
    page.goto(f"/documents/{doc.id}")
    form = page.locator("form.wf-publish")
    for channel in (mastodon, bluesky):
        expect(form.locator(f"input[name=channel][value='{channel.id}']")).to_be_checked()
    at = datetime.now(ZoneInfo("Europe/Stockholm")).replace(second=0, microsecond=0) \
        + timedelta(hours=2)
    form.locator("input[name=at]").fill(at.strftime("%Y-%m-%dT%H:%M"))
    form.locator("button[data-action=schedule]").click()
    page.wait_for_url(f"**/documents/{doc.id}")
    expect(page.locator(".docmeta .state-scheduled")).to_be_visible()
    expect(page.locator("#publishing .pub-queued")).to_have_count(2)

    run_worker(now=at - timedelta(minutes=1))  # before its time nothing goes out
    assert toots.posted() == [] and sky.posts() == []
    run_worker(now=at + timedelta(seconds=1))
    run_worker(now=at + timedelta(minutes=5))  # a second pass posts nothing more

    (toot,) = toots.posted()
    assert [m["description"] for m in toot["media_attachments"]] == [ALT]
    (post,) = sky.posts()
    assert [i["alt"] for i in post["embed"]["images"]] == [ALT]
    page.reload()
    expect(page.locator(".docmeta .state-published")).to_be_visible()
    links = page.locator("#publishing .pub-sent .pub-url a")
    expect(links).to_have_count(2)
    hrefs = {links.nth(i).get_attribute("href") for i in range(2)}
    assert any(h.startswith(toots.url) for h in hrefs)
    assert any(re.match(r"^https://bsky\.app/profile/.+/post/\w+$", h) for h in hrefs)
