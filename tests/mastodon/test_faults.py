"""Faults on the way to Mastodon: a server error or a rate limit is retried when the instance
says; a reply lost after the status was created, a reply later than the client waits and a
thread broken off half way never post anything twice (the Idempotency-Key of each part), and
an attempt older than the key's hour is looked for on the account before posting again."""
from datetime import timedelta

from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.channels import http
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow

from .conftest import social_post

LONG = " ".join(f"Mening nummer {n} om bussarna i kommunen." for n in range(20))


def the_row():
    db.session.expire_all()
    return db.session.execute(select(Publication).where(
        Publication.state != "sent").order_by(Publication.id)).scalars().first() or \
        db.session.execute(select(Publication).order_by(Publication.id.desc())).scalars().first()


def publish(staff, channel, text="Ett kort inlägg om bussarna.", **kwargs):
    doc = social_post(staff, text, **kwargs)
    workflow.publish(staff["editor"], doc, channels=[channel.id])
    return doc


def again(row):
    """Run the worker at the row's retry time."""
    run_worker(now=row.due_at + timedelta(seconds=1))
    return the_row()


def test_a_server_error_is_retried_and_posts_once(staff, instance, channel):
    instance.fail_next(503)
    publish(staff, channel)
    run_worker()
    row = the_row()
    assert row.state == "queued" and "server error" in row.last_error
    row = again(row)
    assert row.state == "sent" and len(instance.posted()) == 1


def test_a_rate_limit_is_retried_after_the_time_mastodon_gives(staff, instance, channel):
    instance.fail_next(429, headers={"Retry-After": "1"})
    publish(staff, channel)
    before = utcnow()
    run_worker()
    row = the_row()
    assert row.state == "queued"
    assert timedelta(seconds=0.5) < row.due_at - before < timedelta(seconds=5)
    assert again(row).state == "sent" and len(instance.posted()) == 1


def test_the_rate_limit_reset_header_is_honoured_too(staff, instance, channel):
    reset = (utcnow() + timedelta(seconds=120)).isoformat()
    instance.fail_next(429, headers={"X-RateLimit-Reset": reset, "X-RateLimit-Remaining": "0"})
    publish(staff, channel)
    before = utcnow()
    run_worker()
    row = the_row()
    assert timedelta(seconds=100) < row.due_at - before < timedelta(seconds=130)


def test_a_reply_lost_after_the_status_was_created_never_doubles(staff, instance, channel):
    instance.drop_next()
    publish(staff, channel)
    run_worker()
    row = the_row()
    assert row.state == "queued" and "broke off" in row.last_error
    assert len(instance.posted()) == 1  # it did go out
    row = again(row)
    assert row.state == "sent" and len(instance.posted()) == 1
    assert row.external_id == instance.posted()[0]["id"]


def test_a_reply_later_than_the_client_waits_never_doubles(staff, instance, channel,
                                                          monkeypatch):
    monkeypatch.setattr(http, "TIMEOUT", (2, 0.3))
    instance.delay_next(1.0)
    publish(staff, channel)
    run_worker()
    row = the_row()
    assert row.state == "queued" and "did not answer in time" in row.last_error
    row = again(row)
    assert row.state == "sent" and len(instance.posted()) == 1


def test_a_thread_broken_off_half_way_continues_where_it_stopped(staff, instance, channel):
    publish(staff, channel, LONG, images=[("buss.png", "En buss vid hållplatsen")])
    instance.pass_next()
    instance.drop_next()  # the second part is created but its reply is lost
    run_worker()
    row = the_row()
    assert row.state == "queued"
    assert len(row.progress["statuses"]) == 1 and len(instance.posted()) == 2
    row = again(row)
    statuses = instance.posted()
    assert row.state == "sent" and len(statuses) == len(row.payload["parts"])
    assert [s["in_reply_to_id"] for s in statuses[1:]] == [s["id"] for s in statuses[:-1]]
    media_uploads = [r for r in instance.requests if r == ("POST", "/api/v2/media")]
    assert len(media_uploads) == 1  # the image was not uploaded again


def test_an_attempt_older_than_the_keys_hour_is_found_on_the_account(staff, instance,
                                                                    channel):
    instance.drop_next()
    publish(staff, channel)
    run_worker()
    row = the_row()
    # An hour later the instance has forgotten the key.
    instance.idempotency.clear()
    row.progress = {**row.progress, "attempt": {
        "part": 1, "at": (utcnow() - timedelta(hours=2)).isoformat()}}
    db.session.commit()
    row = again(row)
    assert row.state == "sent" and len(instance.posted()) == 1
    assert row.external_id == instance.posted()[0]["id"]


def test_an_old_attempt_that_did_not_go_out_is_posted(staff, instance, channel):
    instance.fail_next(503)
    publish(staff, channel)
    run_worker()
    row = the_row()
    row.progress = {**row.progress, "attempt": {
        "part": 1, "at": (utcnow() - timedelta(hours=2)).isoformat()}}
    db.session.commit()
    row = again(row)
    assert row.state == "sent" and len(instance.posted()) == 1
    assert ("GET", f"/api/v1/accounts/{channel.settings['account_id']}/statuses") in \
        instance.requests
