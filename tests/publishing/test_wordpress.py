"""The WordPress channel against a local WordPress: posts go out once, refusals fail at
once in plain words, 429 and 5xx are retried (honouring Retry-After), and an attempt whose
answer was lost is found by its slug instead of being posted twice."""
from datetime import timedelta
from email.utils import format_datetime

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.channels import credentials
from commsdesk.channels.http import parse_retry_after
from commsdesk.channels.wordpress import WordPressAdapter, post_slug
from commsdesk.extensions import db
from commsdesk.models import Publication, utcnow
from commsdesk.publishing import sender

from .conftest import approved


def wp_row(doc):
    return db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.channel.has(type="wordpress"))
    ).scalar_one()


def test_a_published_text_becomes_one_post(staff, wp, wp_channel):
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    assert row.state == "sent"
    assert wp.slugs() == [post_slug(row)]
    post = wp.posts[int(row.external_id)]
    assert row.url == post["link"]
    assert post["status"] == "publish"
    assert post["title"]["rendered"] == "Nytt badhus i Åby"
    assert "<strong>nytt</strong>" in post["content"]["rendered"]
    assert post["excerpt"]["rendered"] == "Kort ingress."
    assert post["slug"].startswith("nytt-badhus-i-aby-")
    db.session.refresh(doc)
    assert doc.state == workflow.PUBLISHED


def test_the_slug_is_the_same_on_every_attempt_and_differs_between_rows(staff, wp_channel):
    first, second = approved(staff), approved(staff)
    workflow.publish(staff["editor"], first)
    workflow.publish(staff["editor"], second)
    a, b = wp_row(first), wp_row(second)
    assert post_slug(a) == post_slug(a)
    assert post_slug(a) != post_slug(b)


def test_refused_password_fails_at_once_in_plain_words(staff, wp, wp_channel):
    wp.fail_next(401)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    assert row.state == "failed"
    assert row.attempts == 1
    assert "WordPress refused the application password" in row.last_error
    db.session.refresh(doc)
    assert doc.state == workflow.PARTLY_PUBLISHED  # the newsroom has it, WordPress not


@pytest.mark.parametrize("retry_after", ["120", "date"])
def test_429_waits_as_long_as_retry_after_says(staff, wp, wp_channel, retry_after):
    if retry_after == "date":
        retry_after = format_datetime(utcnow() + timedelta(seconds=120), usegmt=True)
    wp.fail_next(429, retry_after)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    before = utcnow()
    run_worker()
    row = wp_row(doc)
    assert row.state == "queued"
    assert "too many requests" in row.last_error
    wait = (row.due_at - before).total_seconds()
    assert 110 <= wait <= 125, wait
    run_worker(now=before + timedelta(seconds=60))
    assert wp_row(doc).state == "queued"  # not yet
    run_worker(now=before + timedelta(seconds=130))
    db.session.refresh(row)
    assert row.state == "sent"
    assert len(wp.slugs()) == 1


def test_server_errors_back_off_then_succeed(staff, wp, wp_channel):
    wp.fail_next(500, times=2)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    assert row.state == "queued" and "server error (HTTP 500)" in row.last_error
    first_wait = (row.due_at - utcnow()).total_seconds()
    run_worker(now=row.due_at)
    db.session.refresh(row)
    assert row.state == "queued"
    assert (row.due_at - utcnow()).total_seconds() > first_wait  # exponential
    run_worker(now=row.due_at)
    db.session.refresh(row)
    assert row.state == "sent" and row.attempts == 3
    assert len(wp.slugs()) == 1


def test_gives_up_after_the_last_attempt(staff, wp, wp_channel):
    wp.fail_next(503, times=sender.MAX_ATTEMPTS)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    row = wp_row(doc)
    for _attempt in range(sender.MAX_ATTEMPTS):
        run_worker(now=utcnow() + timedelta(hours=2))
        db.session.refresh(row)
    assert row.state == "failed"
    assert f"gave up after {sender.MAX_ATTEMPTS} attempts" in row.last_error
    assert wp.slugs() == []


def test_a_dropped_answer_after_the_post_was_stored_is_found_not_repeated(staff, wp, wp_channel):
    wp.drop_after_store = 1
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    assert row.state == "queued"
    assert "broke off" in row.last_error
    run_worker(now=utcnow() + timedelta(minutes=5))
    db.session.refresh(row)
    assert row.state == "sent"
    assert wp.slugs() == [post_slug(row)]  # created once
    assert row.external_id == str(next(iter(wp.posts)))


def test_a_row_left_sending_by_a_dead_worker_is_looked_up(staff, wp, wp_channel):
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    row = wp_row(doc)
    # The worker claimed it and the post went out, then the worker died before recording.
    assert sender.claim_one(row.id)
    WordPressAdapter().send(row.channel, row)
    row.claimed_at = utcnow() - timedelta(hours=1)
    db.session.commit()
    run_worker()
    db.session.refresh(row)
    assert row.state == "sent"
    assert len(wp.slugs()) == 1


def test_a_future_embargo_makes_a_scheduled_post(staff, wp, wp_channel):
    embargo = (utcnow() + timedelta(days=1)).replace(microsecond=0)
    doc = approved(staff, fields={"embargo": embargo.isoformat()})
    workflow.publish(staff["editor"], doc)
    run_worker()
    post = wp.posts[int(wp_row(doc).external_id)]
    assert post["status"] == "future"
    assert post["date_gmt"] == embargo.strftime("%Y-%m-%dT%H:%M:%S")


def test_withdraw_makes_the_post_a_draft(staff, wp, wp_channel):
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    WordPressAdapter().withdraw(row.channel, row)
    assert wp.posts[int(row.external_id)]["status"] == "draft"


def test_credentials_are_stored_encrypted(wp_channel):
    from .wordpress_server import PASSWORD

    assert PASSWORD not in wp_channel.credentials
    assert credentials.decrypt(wp_channel.credentials)["application_password"] == PASSWORD


def test_credentials_key_rotation(app, wp_channel):
    from cryptography.fernet import Fernet

    from commsdesk.publishing import channels

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    app.config["CREDENTIALS_KEY"] = old
    try:
        wp_channel.credentials = credentials.encrypt({"username": "u",
                                                      "application_password": "p"})
        db.session.commit()
        app.config["CREDENTIALS_KEY"] = f"{new},{old}"
        assert channels.rotate_credentials() == 1
        app.config["CREDENTIALS_KEY"] = new
        assert credentials.decrypt(wp_channel.credentials)["application_password"] == "p"
    finally:
        app.config["CREDENTIALS_KEY"] = None


@pytest.mark.parametrize(("value", "seconds"), [
    ("120", 120), (" 5 ", 5), ("soon", None), (None, None),
    ("Wed, 21 Oct 2015 07:28:00 GMT", 0),  # in the past: now
])
def test_retry_after_is_seconds_or_an_http_date(value, seconds):
    assert parse_retry_after(value) == seconds


def test_retry_after_date_in_the_future():
    future = utcnow() + timedelta(seconds=90)
    assert 85 <= parse_retry_after(format_datetime(future, usegmt=True)) <= 90
