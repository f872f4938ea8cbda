"""What goes wrong on the way to a PDS: 5xx and 429 are retried with the same record key,
a reply delayed past the read timeout or lost after the record was stored is looked up
instead of repeated, an expired session is refreshed, a revoked app password marks the
channel while the other channels still publish, and the platform's refusal is shown."""
import collections
from datetime import timedelta

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.channels import credentials
from commsdesk.channels.bluesky import BlueskyAdapter
from commsdesk.channels.bluesky.xrpc import Session
from commsdesk.channels.http import _rate_limit_wait
from commsdesk.extensions import db
from commsdesk.models import Notification, Publication, utcnow
from commsdesk.publishing import sender

from .bluesky_server import Pds
from .conftest import approved, connect
from .test_posts import SENTENCE, bsky_row

CREATE = "com.atproto.repo.createRecord"


def later(minutes=5):
    return utcnow() + timedelta(minutes=minutes)


def assert_once(pds, row):
    """Every part of the row is on the PDS exactly once, under the keys chosen for it."""
    counts = collections.Counter(pds.creates)
    assert all(n == 1 for n in counts.values()), counts
    assert sorted(counts) == sorted(row.progress["rkeys"])


@pytest.mark.parametrize("status", [500, 502, 503])
def test_a_server_error_is_retried_with_the_same_record_key(staff, pds, bsky_channel, status):
    pds.fail_next(CREATE, status)
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "queued" and f"HTTP {status}" in row.last_error
    keys = row.progress["rkeys"]
    run_worker(now=row.due_at)
    db.session.refresh(row)
    assert row.state == "sent" and row.attempts == 2
    assert row.progress["rkeys"] == keys and pds.creates == keys


def test_429_waits_for_retry_after(staff, pds, bsky_channel):
    pds.fail_next(CREATE, 429, retry_after=1)
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    before = utcnow()
    run_worker()
    row = bsky_row(doc)
    assert row.state == "queued" and "too many requests" in row.last_error
    assert 0.5 <= (row.due_at - before).total_seconds() <= 3
    run_worker(now=row.due_at)
    db.session.refresh(row)
    assert row.state == "sent"
    assert_once(pds, row)


def test_without_retry_after_the_ratelimit_reset_header_says_how_long():
    now = utcnow()
    reset = str(int(now.timestamp()) + 40)
    assert _rate_limit_wait({"RateLimit-Reset": reset}, now) == 40
    assert _rate_limit_wait({"Retry-After": "7", "RateLimit-Reset": reset}, now) == 7
    assert _rate_limit_wait({}, now) is None


def test_a_reply_later_than_the_read_timeout_is_looked_up_not_repeated(
        staff, pds, bsky_channel, short_timeout):
    pds.reply_delay = 1.0  # stored at once, answered after the client gave up
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "queued" and "did not answer in time" in row.last_error
    pds.reply_delay = 0
    run_worker(now=later())
    db.session.refresh(row)
    assert row.state == "sent"
    assert pds.count(CREATE) == 1
    assert_once(pds, row)


def test_a_post_created_but_its_reply_lost_is_found_not_posted_twice(staff, pds,
                                                                     bsky_channel):
    pds.drop_after_store = 1
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "queued" and "broke off" in row.last_error
    run_worker(now=later())
    db.session.refresh(row)
    assert row.state == "sent" and pds.count(CREATE) == 1
    assert row.external_id == pds.records[pds.creates[0]]["uri"]


def test_a_thread_whose_second_reply_was_lost_continues_after_it(staff, pds, bsky_channel):
    doc = approved(staff, SENTENCE * 10)
    workflow.publish(staff["editor"], doc)
    row = bsky_row(doc)
    parts = len(row.payload["parts"])
    assert parts >= 3
    original = pds.create

    def lose_the_second(body):
        status, reply, _drop = original(body)
        return status, reply, len(pds.creates) == 2

    pds.create = lose_the_second
    run_worker()
    db.session.refresh(row)
    assert row.state == "queued" and len(row.progress["posts"]) == parts
    assert row.progress["posts"][1] is None  # stored on the PDS, not known here
    pds.create = original
    run_worker(now=later())
    db.session.refresh(row)
    assert row.state == "sent" and pds.count(CREATE) == parts
    assert_once(pds, row)
    stored = [pds.records[k] for k in row.progress["rkeys"]]
    assert pds.posts()[2]["reply"]["parent"]["cid"] == stored[1]["cid"]


def test_a_worker_that_died_after_the_post_went_out_is_looked_up(staff, pds, bsky_channel):
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    row = bsky_row(doc)
    assert sender.claim_one(row.id)
    BlueskyAdapter().send(row.channel, row)
    row.progress = {"rkeys": row.progress["rkeys"]}  # the worker died before recording
    row.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    run_worker()
    db.session.refresh(row)
    assert row.state == "sent" and pds.count(CREATE) == 1


def test_the_pds_refuses_a_second_record_at_a_key(staff, pds, bsky_channel):
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    row.progress = {"rkeys": row.progress["rkeys"], "created_at": row.progress["created_at"]}
    db.session.commit()
    with pytest.raises(Exception) as refused:
        BlueskyAdapter().send(row.channel, row)  # what a blind retry would do
    assert "server error (HTTP 500)" in str(refused.value)
    assert len(pds.creates) == 1


@pytest.mark.parametrize("opaque", [False, True])
def test_an_expired_session_is_refreshed(staff, pds, bsky_channel, opaque):
    pds.opaque_tokens = opaque
    workflow.publish(staff["editor"], approved(staff, "Första"))
    run_worker()
    pds.expire_access_tokens()
    doc = approved(staff, "Andra")
    workflow.publish(staff["editor"], doc)
    run_worker()
    assert bsky_row(doc).state == "sent", bsky_row(doc).last_error
    assert pds.count("com.atproto.server.createSession") == 1
    assert pds.count("com.atproto.server.refreshSession") == 1
    session = credentials.decrypt(db.session.get(type(bsky_channel), bsky_channel.id)
                                  .credentials)["session"]
    assert pds.check_token(f"Bearer {session['accessJwt']}", "access") is None


def test_an_access_jwt_past_its_exp_is_refreshed_before_the_call(staff, pds, bsky_channel):
    pds.access_seconds = -60
    Session(bsky_channel).create()  # a cached session whose access JWT's exp has passed
    pds.access_seconds = 7200
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "sent", row.last_error
    assert pds.count("com.atproto.server.refreshSession") == 1
    assert pds.count("com.atproto.server.createSession") == 1
    assert pds.count(CREATE) == 1  # never sent with the expired token


def test_a_refused_refresh_token_falls_back_to_the_app_password(staff, pds, bsky_channel):
    workflow.publish(staff["editor"], approved(staff, "Första"))
    run_worker()
    pds.expire_access_tokens()
    with pds.lock:  # another client rotated the refresh token
        for token in pds.tokens.values():
            if token["kind"] == "refresh":
                token["valid"] = False
    doc = approved(staff, "Andra")
    workflow.publish(staff["editor"], doc)
    run_worker()
    assert bsky_row(doc).state == "sent", bsky_row(doc).last_error
    assert pds.count("com.atproto.server.createSession") == 2
    db.session.refresh(bsky_channel)
    assert bsky_channel.problem is None


def test_a_revoked_app_password_marks_the_channel_while_the_others_send(staff, pds,
                                                                        bsky_channel):
    other_pds = Pds().start()
    try:
        other = connect(staff["admin"], other_pds, name="Ungdomsförbundet")
        workflow.publish(staff["editor"], approved(staff, "Första"))
        run_worker()
        pds.revoke_app_password()
        doc = approved(staff, "Andra", kind="press_release", title="Andra")
        workflow.publish(staff["editor"], doc)
        run_worker()
        rows = {r.channel.name: r for r in db.session.execute(
            select(Publication).where(Publication.document_id == doc.id)).scalars()}
        assert rows["Partiet på Bluesky"].state == "failed"
        assert "Invalid identifier or password" in rows["Partiet på Bluesky"].last_error
        assert rows["Ungdomsförbundet"].state == "sent"
        assert {r.state for n, r in rows.items() if n not in (
            "Partiet på Bluesky", "Ungdomsförbundet")} == {"sent"}  # the newsroom
        db.session.refresh(doc)
        assert doc.state == workflow.PARTLY_PUBLISHED
        db.session.refresh(bsky_channel)
        assert "refused the app password" in bsky_channel.problem
        db.session.refresh(other)
        assert other.problem is None
        assert db.session.execute(select(Notification).where(
            Notification.event == "channel_problem")).scalars().all()
    finally:
        other_pds.stop()


def test_a_refusal_shows_the_platforms_message(staff, pds, bsky_channel):
    pds.fail_next(CREATE, 400, error="InvalidRequest")
    doc = approved(staff, "Hej!")
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = bsky_row(doc)
    assert row.state == "failed" and row.attempts == 1
    assert "InvalidRequest" in row.last_error and "Scripted failure" in row.last_error
    db.session.refresh(bsky_channel)
    assert bsky_channel.problem is None
