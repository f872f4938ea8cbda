"""Withdrawing a text takes its WordPress post down through the worker: recorded before it
is done, retried with backoff after a 5xx, failed at once in plain words on a 401, shown on
the publishing panel and the outbox page with a retry. The newsroom answers 410 at once."""
from datetime import timedelta

from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Publication, utcnow
from commsdesk.publishing import overview, withdrawals

from .conftest import approved


def rows(doc):
    return {row.channel.type: row for row in db.session.execute(
        select(Publication).where(Publication.document_id == doc.id)).scalars()}


def published(staff):
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    return doc


def test_withdrawing_takes_the_post_down_through_the_worker(staff, wp, wp_channel, client):
    doc = published(staff)
    workflow.withdraw(staff["editor"], doc)
    wordpress, website = rows(doc)["wordpress"], rows(doc)["website"]
    # Recorded before it is done; the newsroom's own withdrawal needs no worker.
    assert wordpress.withdraw_state == "pending"
    assert wp.posts[int(wordpress.external_id)]["status"] == "publish"
    assert website.withdraw_state is None and website.withdrawn_at is not None
    assert client.get(website.payload["path"]).status_code == 410
    run_worker()
    db.session.refresh(wordpress)
    assert wordpress.withdraw_state == "done" and wordpress.withdraw_error is None
    assert wp.posts[int(wordpress.external_id)]["status"] == "draft"
    assert db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "publication.taken_down")).scalar_one()
    run_worker()  # done is done: nothing is sent again
    assert [r for r in wp.requests if r[0] == "POST"][-1][1].endswith(wordpress.external_id)


def test_a_server_error_backs_off_then_succeeds(staff, wp, wp_channel):
    doc = published(staff)
    wp.fail_next_update(503)
    workflow.withdraw(staff["editor"], doc)
    run_worker()
    row = rows(doc)["wordpress"]
    assert row.withdraw_state == "pending" and "HTTP 503" in row.withdraw_error
    assert row.withdraw_due_at > utcnow() + timedelta(seconds=20)
    run_worker()  # not due yet
    db.session.refresh(row)
    assert row.withdraw_attempts == 1
    run_worker(now=row.withdraw_due_at)
    db.session.refresh(row)
    assert row.withdraw_state == "done" and row.withdraw_attempts == 2
    assert wp.posts[int(row.external_id)]["status"] == "draft"


def test_a_refused_password_fails_at_once_and_can_be_retried(staff, wp, wp_channel, client):
    doc = published(staff)
    wp.fail_next_update(401)
    workflow.withdraw(staff["editor"], doc)
    run_worker()
    row = rows(doc)["wordpress"]
    assert row.withdraw_state == "failed" and row.withdraw_attempts == 1
    assert "WordPress refused the application password" in row.withdraw_error
    assert wp.posts[int(row.external_id)]["status"] == "publish"
    assert "retry_withdrawal" in overview.allowed_actions(staff["editor"], row)

    login_as(client, staff["editor"])
    page = client.get(f"/documents/{doc.id}").get_data(as_text=True)
    assert "WordPress refused the application password" in page
    assert f"/publications/{row.id}/retry-withdrawal" in page
    outbox = client.get("/publications").get_data(as_text=True)
    assert f"/publications/{row.id}/retry-withdrawal" in outbox
    response = client.form(f"/publications/{row.id}/retry-withdrawal")
    assert response.status_code == 302
    db.session.refresh(row)
    assert row.withdraw_state == "pending"
    run_worker()
    db.session.refresh(row)
    assert row.withdraw_state == "done"
    assert wp.posts[int(row.external_id)]["status"] == "draft"


def test_two_workers_claim_a_withdrawal_once(staff, wp, wp_channel):
    doc = published(staff)
    workflow.withdraw(staff["editor"], doc)
    row = rows(doc)["wordpress"]
    assert withdrawals.withdraw_one(row.id) == "done"
    assert withdrawals.withdraw_one(row.id) is None


def test_only_a_failed_withdrawal_is_retried(staff, wp, wp_channel):
    import pytest

    from commsdesk.errors import Conflict

    doc = published(staff)
    workflow.withdraw(staff["editor"], doc)
    with pytest.raises(Conflict):
        withdrawals.retry(staff["editor"], rows(doc)["wordpress"])
