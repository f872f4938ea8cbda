"""The Instagram channel against a local Graph API: a container from an image Instagram
fetches from us (a signed link), polled until finished, then published once; a text without
an image is refused when it is queued; a failure or a crash between the two steps publishes
the same container, never a second one; a lost answer is found among the account's media."""
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
from conftest import run_worker

from commsdesk import workflow
from commsdesk.errors import ValidationError
from commsdesk.extensions import db
from commsdesk.models import utcnow

from .conftest import post
from .graph_server import IG_USER
from .test_facebook import row_of

LATER = timedelta(minutes=5)


def test_an_image_post_is_made_in_two_steps(app, staff, meta, instagram):
    doc = post(staff, body="Ny förskola i Åby!", image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, instagram)
    assert row.state == "sent", row.last_error
    [container] = meta.of("ig_container")
    [made] = meta.of("ig_media")
    assert container["status"] == "PUBLISHED" and container["checks"] >= 2
    assert made["caption"] == "Ny förskola i Åby!"
    assert made["alt_text"] == "Barn leker på förskolegården"
    assert row.external_id == made["id"] and row.url == made["permalink"]
    assert row.progress["container_id"] == container["id"]
    # Instagram fetched a landscape image's square rendition through a signed link.
    [(url, status)] = meta.fetched
    assert status == 200 and urlsplit(url).path.endswith("/square.jpg") and "sig=" in url
    assert url.startswith(app.config["BASE_URL"])


def test_a_text_without_an_image_is_refused_when_published(staff, instagram):
    doc = post(staff, body="Bara text.")
    with pytest.raises(ValidationError) as refused:
        workflow.publish(staff["editor"], doc)
    assert "Instagram posts need an image" in refused.value.message
    assert "Instagram" in refused.value.message  # the channel's name, to leave it out
    db.session.rollback()  # as the web and API do on a refusal
    assert doc.state == workflow.APPROVED


def test_a_failed_publish_step_publishes_the_same_container(staff, meta, instagram):
    meta.fail_next(500, on="media_publish")
    doc = post(staff, body="Förskolan öppnar.", image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, instagram)
    assert row.state == "queued" and row.progress.get("container_id")
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent", row.last_error
    assert len(meta.of("ig_container")) == 1 and len(meta.of("ig_media")) == 1


def test_a_lost_publish_answer_is_found_among_the_media(staff, meta, instagram):
    meta.drop_after_store["media_publish"] = 1
    doc = post(staff, body="Förskolan öppnar i augusti.", image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, instagram)
    assert row.state == "queued" and row.progress.get("publish_started")
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent"
    [made] = meta.of("ig_media")
    assert row.external_id == made["id"]


def test_a_container_still_in_progress_is_polled_again_later(staff, meta, instagram):
    meta.in_progress_checks = 100
    doc = post(staff, body="Tålamod.", image=True)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = row_of(doc, instagram)
    assert row.state == "queued" and "still preparing" in row.last_error
    meta.in_progress_checks = 0
    run_worker(now=utcnow() + LATER)
    db.session.refresh(row)
    assert row.state == "sent"
    assert len(meta.of("ig_container")) == 1 and len(meta.of("ig_media")) == 1


def test_check_connection_names_the_account(staff, meta, instagram):
    from commsdesk.publishing import channels

    ok, message = channels.test_connection(staff["admin"], instagram)
    assert ok and "mittenpartiet" in message and IG_USER in message
