"""LinkedIn pages against the local LinkedIn server: a post with its image, the little
format's escapes, token refresh that keeps the refresh token, a lost answer found by the
lookup (never a second post), faults retried, and a revoked token that marks the channel."""
import json
from datetime import timedelta

import pytest
from conftest import make_document, run_worker

from commsdesk import workflow
from commsdesk.channels import credentials, http
from commsdesk.channels.linkedin import escape_little
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow

from . import linkedin_server as li
from .conftest import linkedin_channel, social_post

LATER = timedelta(hours=2)


def _row(channel):
    return db.session.execute(
        db.select(Publication).where(Publication.channel_id == channel.id)).scalar_one()


def _publish(staff, channel, doc):
    workflow.publish(staff["editor"], doc, channels=[channel.id])
    run_worker()
    return _row(channel)


def test_a_post_with_its_image_goes_out_once(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    doc = social_post(staff)
    row = _publish(staff, channel, doc)
    assert row.state == "sent", row.last_error
    [post] = linkedin.posts
    assert row.external_id == post["id"]
    assert row.url == f"https://www.linkedin.com/feed/update/{post['id']}/"
    # The image went up first (initializeUpload, then the bytes), and the post names it.
    image = post["content"]["media"]
    assert linkedin.images[image["id"]].startswith(b"\xff\xd8")
    assert image["altText"] == "Barn leker på förskolans gård"
    assert li.unescape(post["commentary"]) == "Vi bygger en ny förskola i Åby (äntligen) #älvstad"
    # Every call carried the versioned headers.
    rest = [h for _m, path, h in linkedin.requests if path.startswith("/rest/")]
    assert rest and all(h["LinkedIn-Version"].isdigit() and
                        h["X-Restli-Protocol-Version"] == "2.0.0" for h in rest)
    db.session.refresh(doc)
    assert doc.state == workflow.PUBLISHED


def test_reserved_characters_are_escaped_but_links_and_hashtags_kept():
    text = "Se (mer) på https://mitten.example/a_b_(c) #val2026 och *nu* @alla"
    escaped = escape_little(text)
    assert r"\(mer\)" in escaped and r"\*nu\*" in escaped and r"\@alla" in escaped
    assert "https://mitten.example/a_b_(c)" in escaped and " #val2026" in escaped
    assert li.unescape(escaped) == text


def test_an_announced_press_release_is_an_article(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    doc = make_document(staff["editor"], kind="press_release", title="Nytt badhus",
                        lead="Kort ingress.", body="Text.")
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    row = _publish(staff, channel, doc)
    assert row.state == "sent", row.last_error
    article = linkedin.posts[0]["content"]["article"]
    assert article["title"] == "Nytt badhus" and "/n/mitten/" in article["source"]


def test_over_3000_characters_is_refused_with_the_count(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    doc = social_post(staff, body="a" * 3001, image=False)
    with pytest.raises(ValidationError) as refused:
        workflow.publish(staff["editor"], doc, channels=[channel.id])
    assert "3001" in refused.value.message and "3000" in refused.value.message
    assert linkedin.posts == []


def test_an_expired_token_is_refreshed_and_the_refresh_token_kept(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    linkedin.expire_access_token()
    linkedin.send_refresh_token = False  # LinkedIn may answer without the refresh token
    linkedin.refresh_tokens.add(li.REFRESH_TOKEN)
    row = _publish(staff, channel, social_post(staff, image=False))
    assert row.state == "sent", row.last_error
    assert linkedin.refreshes == 1 and len(linkedin.posts) == 1
    stored = credentials.decrypt(channel.credentials)
    assert stored["access_token"] == "AQV-access-2"
    assert stored["refresh_token"] == li.REFRESH_TOKEN  # not lost
    # It refreshes again with the same refresh token when the new token expires too.
    linkedin.expire_access_token()
    second = social_post(staff, body="Ett andra inlägg", image=False)
    workflow.publish(staff["editor"], second, channels=[channel.id])
    run_worker()
    assert linkedin.refreshes == 2 and len(linkedin.posts) == 2
    assert credentials.decrypt(channel.credentials)["refresh_token"] == li.REFRESH_TOKEN


def test_reconnecting_with_a_new_access_token_keeps_the_refresh_token(staff, linkedin):
    from commsdesk.publishing import channels

    channel = linkedin_channel(staff["admin"])
    channels.save(staff["admin"], "linkedin", channel, {
        "name": "LinkedIn", "page_id": li.ORGANISATION, "access_token": "AQV-new",
        "client_id": li.CLIENT_ID, "api_version": "202605"})
    stored = credentials.decrypt(channel.credentials)
    assert stored["access_token"] == "AQV-new" and stored["refresh_token"] == li.REFRESH_TOKEN
    assert stored["client_secret"] == li.CLIENT_SECRET


def test_a_revoked_token_fails_with_linkedins_message_and_marks_the_channel(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    linkedin.revoke()  # the member revoked the app: access and refresh token refused
    row = _publish(staff, channel, social_post(staff, image=False))
    assert row.state == "failed"
    assert "Invalid access token" in row.last_error
    db.session.refresh(channel)
    assert channel.problem and "Invalid access token" in channel.problem
    assert linkedin.posts == []


def test_without_a_refresh_token_a_401_is_an_auth_error(staff, linkedin):
    channel = linkedin_channel(staff["admin"], refresh=False)
    linkedin.expire_access_token()
    row = _publish(staff, channel, social_post(staff, image=False))
    assert row.state == "failed" and "Invalid access token" in row.last_error
    assert linkedin.refreshes == 0
    db.session.refresh(channel)
    assert channel.problem


def test_a_lost_answer_is_found_by_the_lookup_and_never_posted_twice(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    linkedin.drop_after_store = 1
    row = _publish(staff, channel, social_post(staff))
    assert row.state == "queued" and row.attempts == 1  # the outcome is unknown
    marker = row.progress["marker"]
    assert li.unescape(marker["commentary"]).startswith("Vi bygger")
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent" and len(linkedin.posts) == 1
    assert row.external_id == linkedin.posts[0]["id"]
    posts = [p for m, p, _h in linkedin.requests if m == "POST" and p == "/rest/posts"]
    assert len(posts) == 1  # the retry only looked


def test_the_lookup_pages_back_past_posts_made_since(staff, linkedin, monkeypatch):
    from commsdesk.channels import linkedin as adapter

    monkeypatch.setattr(adapter, "LOOKUP_COUNT", 2)
    channel = linkedin_channel(staff["admin"])
    linkedin.drop_after_store = 1
    row = _publish(staff, channel, social_post(staff, image=False))
    for n in range(5):  # a burst of other posts on the page since the lost answer
        linkedin.create({**_last_body(linkedin),
                         "commentary": f"Annat inlägg {n}"})
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent" and row.external_id == linkedin.posts[0]["id"]
    assert len(linkedin.posts) == 6  # found on the third page, never posted again
    starts = [p for m, p, _h in linkedin.requests if m == "GET" and "q=author" in p]
    assert [p.split("start=")[1].split("&")[0] for p in starts] == ["0", "2", "4"]


def _last_body(linkedin):
    post = linkedin.posts[-1]
    return {"author": post["author"], "commentary": post["commentary"], "visibility": "PUBLIC",
            "lifecycleState": "PUBLISHED", "distribution": {"feedDistribution": "MAIN_FEED"},
            "isReshareDisabledByAuthor": False}


def test_a_timeout_after_storing_is_looked_up_too(staff, linkedin, monkeypatch):
    monkeypatch.setattr(http, "TIMEOUT", (2, 0.3))
    channel = linkedin_channel(staff["admin"])
    linkedin.slow_after_store = 1.0
    row = _publish(staff, channel, social_post(staff, image=False))
    assert row.state == "queued" and "did not answer in time" in row.last_error
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent" and len(linkedin.posts) == 1


def test_5xx_and_429_are_retried_and_post_once(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    linkedin.fail_next(503)
    linkedin.fail_next(429, retry_after=1)
    row = _publish(staff, channel, social_post(staff))
    assert row.state == "queued" and "HTTP 503" in row.last_error
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "queued" and "slow down" in row.last_error
    assert row.due_at <= utcnow() + timedelta(seconds=5)  # Retry-After honoured
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent" and len(linkedin.posts) == 1
    # The image was uploaded once, on the first attempt, and reused.
    assert len(linkedin.uploads) == 1


def test_a_refusal_shows_linkedins_own_message(staff, linkedin):
    channel = linkedin_channel(staff["admin"])
    linkedin.fail_next(422, body={"message": "Content is a duplicate of urn:li:share:1",
                                  "status": 422})
    row = _publish(staff, channel, social_post(staff, image=False))
    assert row.state == "failed" and "duplicate of urn:li:share:1" in row.last_error


def test_check_connection_names_the_page(staff, linkedin):
    from commsdesk.publishing import channels

    channel = linkedin_channel(staff["admin"])
    ok, message = channels.test_connection(staff["admin"], channel)
    assert ok and "Mittenpartiet" in message


def test_the_form_adds_a_linkedin_channel(staff, linkedin, app):
    from conftest import login_as

    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new/linkedin", {
        "name": "LinkedIn-sidan", "page_id": li.ORGANISATION,
        "access_token": li.ACCESS_TOKEN, "refresh_token": "", "client_id": "",
        "client_secret": "", "api_version": ""})
    assert response.status_code == 302
    page = client.get("/settings/channels/").get_data(as_text=True)
    assert "LinkedIn-sidan" in page and li.ACCESS_TOKEN not in page
    assert json.dumps(li.ACCESS_TOKEN) not in client.get(
        response.headers["Location"]).get_data(as_text=True)
