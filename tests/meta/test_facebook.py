"""The Facebook Page channel against a local Graph API: link posts and photo posts go out
once, a text over Facebook's limit is refused with its count, rate limits are retried, a
lost answer is found on the Page instead of posting twice, and a revoked token marks the
channel while the other channels publish."""
import time
from datetime import timedelta

import pytest
from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow
from commsdesk.publishing import channels

from .conftest import post
from .graph_server import PAGE_ID


def row_of(doc, channel):
    return db.session.execute(select(Publication).where(
        Publication.document_id == doc.id, Publication.channel_id == channel.id)).scalar_one()


def test_a_post_with_a_link_goes_to_the_page_once(staff, meta, facebook):
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "sent", row.last_error
    [made] = meta.of("post")
    assert made["message"] == "Vi bygger en ny förskola i Åby. https://mitten.example/forskola"
    assert made["link"] == "https://mitten.example/forskola"
    assert row.external_id == made["id"] and made["id"].startswith(PAGE_ID + "_")
    assert row.url == f"https://www.facebook.com/{made['id']}"
    db.session.refresh(doc)
    assert doc.state == workflow.PUBLISHED


def test_a_text_with_an_image_becomes_a_photo_post(staff, meta, facebook):
    doc = post(staff, body="Invigning på lördag!", image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "sent", row.last_error
    [made] = meta.of("post")
    assert made["photo"] and made["message"] == "Invigning på lördag!"
    assert row.external_id == made["id"]


def test_a_text_over_facebooks_limit_is_refused_with_its_count(staff, facebook):
    doc = post(staff, body="x" * 63_210)
    with pytest.raises(ValidationError) as refused:
        workflow.publish(staff["editor"], doc, channels=[facebook.id])
    assert "63210" in refused.value.message and "63206" in refused.value.message
    assert "no threads" in refused.value.message


def test_a_lost_answer_is_found_on_the_page_not_posted_again(staff, meta, facebook):
    meta.drop_after_store["feed"] = 1
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "queued" and "broke off" in row.last_error
    assert row.progress["post_started"] and row.progress["message"].startswith("Vi bygger")
    run_worker(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(row)
    assert row.state == "sent" and row.attempts == 2
    assert [made["id"] for made in meta.of("post")] == [row.external_id]


def test_a_rate_limit_is_tried_again_later(staff, meta, facebook):
    meta.rate_limit_next(on="feed")
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "queued"
    assert "try again later" in row.last_error and "request limit" in row.last_error
    run_worker(now=utcnow() + timedelta(hours=1))
    db.session.refresh(row)
    assert row.state == "sent" and len(meta.of("post")) == 1


def test_a_refusal_shows_metas_message(staff, meta, facebook):
    meta.fail_next(400, {"error": {"message": "(#506) Duplicate status message",
                                   "type": "OAuthException", "code": 506}}, on="feed")
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "failed" and row.attempts == 1
    assert "Duplicate status message" in row.last_error and "506" in row.last_error


def test_a_revoked_token_marks_the_channel_and_the_others_publish(staff, meta, facebook,
                                                                   threads):
    meta.revoked.add("page-token")
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    failed, sent = row_of(doc, facebook), row_of(doc, threads)
    assert failed.state == "failed" and sent.state == "sent"
    assert "Facebook refused the access token" in failed.last_error
    assert "session has been invalidated" in failed.last_error
    db.session.refresh(facebook)
    assert "session has been invalidated" in facebook.problem
    db.session.refresh(doc)
    assert doc.state == workflow.PARTLY_PUBLISHED


def test_check_connection_names_the_page(staff, meta, facebook):
    ok, message = channels.test_connection(staff["admin"], facebook)
    assert ok and "Mittenpartiet Älvstad" in message
    meta.revoked.add("page-token")
    ok, message = channels.test_connection(staff["admin"], facebook)
    assert not ok and "refused the access token" in message


def test_the_form_checks_the_page_id_and_version(staff, meta):
    with pytest.raises(ValidationError):
        channels.save(staff["admin"], "facebook", values={
            "name": "Fel", "page_id": "facebook.com/mitten", "access_token": "x"})
    with pytest.raises(ValidationError):
        channels.save(staff["admin"], "facebook", values={
            "name": "Fel", "page_id": PAGE_ID, "access_token": "x", "api_version": "21"})
    saved = channels.save(staff["admin"], "facebook", values={
        "name": "Rätt", "page_id": PAGE_ID, "access_token": "x"})
    assert saved.settings["api_version"] == "v21.0"


def test_an_answer_slower_than_the_read_timeout_is_looked_up_first(staff, meta, facebook,
                                                                    monkeypatch):
    from commsdesk.channels import http

    monkeypatch.setattr(http, "TIMEOUT", (5, 0.3))  # the server takes longer to answer
    meta.delay["feed"] = 0.6
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "queued" and "did not answer in time" in row.last_error
    meta.delay.clear()
    # The retry comes minutes later, when Meta has long finished the slow request (here:
    # wait for it, so a busy machine cannot retry before the first post exists).
    deadline = time.monotonic() + 10
    while not meta.of("post") and time.monotonic() < deadline:
        time.sleep(0.05)
    run_worker(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(row)
    assert row.state == "sent" and len(meta.of("post")) == 1


def test_a_business_rate_limit_waits_as_long_as_meta_says(staff, meta, facebook):
    usage = '{"104000000000001": [{"type": "pages", "call_count": 100, ' \
            '"estimated_time_to_regain_access": 7}]}'
    meta.fail_next(400, {"error": {"message": "(#80001) There have been too many calls to "
                                   "this Page account.", "type": "OAuthException",
                                   "code": 80001}},
                   {"X-Business-Use-Case-Usage": usage}, on="feed")
    doc = post(staff)
    workflow.publish(staff["editor"], doc)
    before = utcnow()
    run_worker()
    row = row_of(doc, facebook)
    assert row.state == "queued" and "too many calls" in row.last_error
    due = row.due_at.replace(tzinfo=before.tzinfo) if row.due_at.tzinfo is None else row.due_at
    assert timedelta(minutes=6) < due - before < timedelta(minutes=8)


def test_the_settings_offer_the_meta_channels(app, staff):
    client = login_as(app, staff["admin"])
    page = client.get("/settings/channels/new").get_data(as_text=True)
    assert "Facebook Page" in page and "Instagram" in page and "Threads" in page
    for kind, secret in (("facebook", "access_token"), ("instagram", "access_token"),
                         ("threads", "access_token")):
        form = client.get(f"/settings/channels/new/{kind}").get_data(as_text=True)
        assert f'name="{secret}"' in form and 'type="password"' in form
        assert 'name="api_version"' in form


def test_a_channel_is_added_from_its_form_and_never_shows_its_token(app, staff, meta):
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new/facebook", {
        "name": "Sidan", "page_id": PAGE_ID, "access_token": "page-token",
        "api_version": "v21.0"})
    assert response.status_code == 302
    [channel] = [c for c in channels.for_organisation(staff["admin"].organisation)
                 if c.type == "facebook"]
    page = client.get(f"/settings/channels/{channel.id}").get_data(as_text=True)
    assert "page-token" not in page and PAGE_ID in page
    tested = client.form(f"/settings/channels/{channel.id}/test", follow_redirects=True)
    assert "Mittenpartiet Älvstad" in tested.get_data(as_text=True)
