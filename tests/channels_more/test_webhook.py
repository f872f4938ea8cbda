"""Signed webhooks against a receiver that verifies them as the Standard Webhooks reference
does: the secret shown once, signatures that verify, the same webhook-id on every retry (a
lost answer is simply sent again and processed once), 410 gives up, and a renewed secret."""
import re
from datetime import timedelta

from conftest import login_as, make_document, run_worker

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Channel, Publication, utcnow

from .conftest import social_post

LATER = timedelta(hours=2)


def _add_webhook(app, staff, receiver):
    """Add the channel through the form; the receiver gets the secret shown once."""
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new/webhook",
                           {"name": "Intranätet", "url": receiver.url})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = re.search(r'value="(whsec_[A-Za-z0-9+/=]+)"', page).group(1)
    assert len(__import__("base64").b64decode(secret[6:])) >= 24
    receiver.secret = secret
    channel = db.session.execute(db.select(Channel).where(Channel.type == "webhook")).scalar_one()
    # Never shown again: not on the list, not on the edit form.
    assert secret not in client.get("/settings/channels/").get_data(as_text=True)
    assert secret not in client.get(f"/settings/channels/{channel.id}").get_data(as_text=True)
    return client, channel


def _row(channel):
    return db.session.execute(
        db.select(Publication).where(Publication.channel_id == channel.id)).scalar_one()


def test_a_signed_delivery_verifies_at_the_receiver(app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    doc = social_post(staff)
    workflow.publish(staff["editor"], doc, channels=[channel.id])
    run_worker()
    row = _row(channel)
    assert row.state == "sent", row.last_error
    assert receiver.rejected == []
    [(msg_id, event)] = receiver.processed.items()
    assert msg_id == row.idempotency_key
    assert event["type"] == "publication.published"
    data = event["data"]
    assert data["document_id"] == doc.id and data["content_hash"] == row.content_hash
    assert data["channel"] == "Intranätet" and data["text"].startswith("Vi bygger")
    assert data["images"][0]["alt"] == "Barn leker på förskolans gård"
    assert data["images"][0]["renditions"]["large"].startswith("http")
    assert row.external_id == f"evt_{msg_id[:8]}" and row.url.endswith(msg_id[:8])


def test_a_press_release_carries_the_newsroom_fields(app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    doc = make_document(staff["editor"], kind="press_release", title="Nytt badhus",
                        lead="Ingress.", body="Vi bygger **nytt**.")
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    workflow.publish(staff["editor"], doc, channels=[channel.id])
    run_worker()
    [event] = receiver.processed.values()
    assert event["data"]["html"] == "<p>Vi bygger <strong>nytt</strong>.</p>"
    assert event["data"]["url"].startswith("http") and "/n/mitten/" in event["data"]["url"]


def test_retries_keep_the_webhook_id_and_a_lost_answer_is_processed_once(
        app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    receiver.fail_next(503)
    receiver.drop_after_processing = 1
    workflow.publish(staff["editor"], social_post(staff, image=False), channels=[channel.id])
    run_worker()
    row = _row(channel)
    assert row.state == "queued" and "HTTP 503" in row.last_error
    run_worker(now=utcnow() + LATER)  # processed, and the answer lost
    db.session.refresh(row)
    assert row.state == "queued" and "may have gone through" in row.last_error
    run_worker(now=utcnow() + 2 * LATER)
    db.session.refresh(row)
    assert row.state == "sent"
    assert receiver.ids() == [row.idempotency_key] * 3
    assert len(receiver.processed) == 1  # the receiver dropped the repeat


def test_410_gone_fails_at_once_and_says_the_receiver_gave_up(
        app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    receiver.fail_next(410)
    workflow.publish(staff["editor"], social_post(staff, image=False), channels=[channel.id])
    run_worker()
    row = _row(channel)
    assert row.state == "failed" and "410" in row.last_error
    assert "no longer takes webhooks" in row.last_error
    assert len(receiver.requests) == 1


def test_429_waits_as_asked(app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    receiver.fail_next(429, retry_after=1)
    workflow.publish(staff["editor"], social_post(staff, image=False), channels=[channel.id])
    run_worker()
    row = _row(channel)
    assert row.state == "queued" and row.due_at <= utcnow() + timedelta(seconds=5)


def test_a_wrong_secret_at_the_receiver_marks_the_channel(app, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    receiver.secret = "whsec_" + "A" * 32  # the receiver has another secret
    workflow.publish(staff["editor"], social_post(staff, image=False), channels=[channel.id])
    run_worker()
    row = _row(channel)
    assert row.state == "failed" and "signature" in row.last_error
    db.session.refresh(channel)
    assert channel.problem


def test_a_new_secret_is_shown_once_and_the_old_one_signs_for_a_day(
        app, staff, receiver, private_hosts):
    client, channel = _add_webhook(app, staff, receiver)
    old = receiver.secret
    page = client.form(f"/settings/channels/{channel.id}/secret").get_data(as_text=True)
    new = re.search(r'value="(whsec_[A-Za-z0-9+/=]+)"', page).group(1)
    assert new != old
    # The receiver still has the old one: the delivery verifies with it.
    workflow.publish(staff["editor"], social_post(staff, image=False), channels=[channel.id])
    run_worker()
    assert _row(channel).state == "sent" and receiver.rejected == []
    signatures = receiver.requests[-1][0]["webhook-signature"].split(" ")
    assert len(signatures) == 2 and all(s.startswith("v1,") for s in signatures)


def test_check_connection_sends_a_signed_test_event(app, staff, receiver, private_hosts):
    client, channel = _add_webhook(app, staff, receiver)
    response = client.form(f"/settings/channels/{channel.id}/test", follow_redirects=True)
    assert "Connected" in response.get_data(as_text=True)
    assert receiver.rejected == [] and len(receiver.processed) == 1


def test_another_organisation_cannot_renew_the_secret(app, staff, receiver, private_hosts):
    from conftest import make_org, make_user

    _client, channel = _add_webhook(app, staff, receiver)
    other = login_as(app, make_user(make_org("andra"), "admin"))
    assert other.form(f"/settings/channels/{channel.id}/secret").status_code == 404
