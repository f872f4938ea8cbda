"""Scale-out: RQ workers on real PostgreSQL and Redis share the due publications and never
send one row twice, even when every row is enqueued several times. Runs when
COMMSDESK_TEST_DATABASE_URL names PostgreSQL and COMMSDESK_TEST_REDIS_URL is set."""
import collections
import os
import signal
import uuid

import pytest
from flask import current_app
from sqlalchemy import select, update

from commsdesk import jobs, queue, workflow
from commsdesk.channels.wordpress import post_slug
from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail, Publication, utcnow
from commsdesk.publishing import channels

from .conftest import approved
from .wordpress_server import PASSWORD, USER
from .workers import counts, start_worker, stop, wait_until

REDIS_URL = os.environ.get("COMMSDESK_TEST_REDIS_URL")
POSTGRES = (os.environ.get("COMMSDESK_TEST_DATABASE_URL") or "").startswith("postgresql")
pytestmark = pytest.mark.skipif(
    not (REDIS_URL and POSTGRES),
    reason="needs COMMSDESK_TEST_DATABASE_URL (postgresql) and COMMSDESK_TEST_REDIS_URL "
           "(.ci/run sets both)")
ROWS = 120


@pytest.fixture
def rq_queue(app):
    """A queue of its own on the test Redis, deleted afterwards."""
    name = f"commsdesk-test-{uuid.uuid4().hex[:8]}"
    app.config.update(REDIS_URL=REDIS_URL, RQ_QUEUE=name)
    q = queue.get_queue(app)
    yield q
    q.delete(delete_jobs=True)
    app.config.update(REDIS_URL=None, RQ_QUEUE="commsdesk")


def due_posts(staff, site_url, count, per_text=6):
    ids = [channels.save_wordpress(staff["admin"], name=f"Webb {n}", site_url=site_url,
                                   username=USER, application_password=PASSWORD).id
           for n in range(per_text)]
    for number in range(count // per_text):
        workflow.publish(staff["editor"], approved(staff, title=f"Text {number}"),
                         channels=ids)
    db.session.execute(update(OutgoingEmail).values(state="sent"))  # set-up emails
    db.session.commit()


def test_the_clock_enqueues_each_due_row_once(staff, wp, private_hosts, rq_queue):
    due_posts(staff, wp.url, 12)
    assert queue.enqueue_due(rq_queue) == 12
    assert queue.enqueue_due(rq_queue) == 0  # still waiting: not enqueued again
    assert len(rq_queue) == 12


def test_a_retried_row_is_enqueued_again_and_waits_for_its_time(app, staff, wp, private_hosts,
                                                                 rq_queue):
    wp.fail_next(500)
    due_posts(staff, wp.url, 1, per_text=1)
    queue.run_worker(app, burst=True)  # one tick, then the queued jobs, in this process
    row = db.session.execute(select(Publication)).scalar_one()
    db.session.refresh(row)
    assert row.state == "queued" and row.attempts == 1
    # A job for a row that is not due yet (enqueued by hand here) leaves it alone.
    rq_queue.enqueue_call(jobs.send_publication, args=(row.id,), result_ttl=0)
    queue.run_worker(app, burst=True)
    db.session.refresh(row)
    assert row.state == "queued" and row.attempts == 1
    assert queue.enqueue_due(rq_queue, now=row.due_at) == 1  # the first job is gone
    row.due_at = utcnow()  # set-up: its time has come
    db.session.commit()
    queue.run_worker(app, burst=True)
    db.session.refresh(row)
    assert row.state == "sent" and row.attempts == 2
    assert len(wp.slugs()) == 1


def test_two_workers_never_send_a_row_twice(tmp_path, staff, wp, private_hosts, rq_queue):
    wp.delay = 0.01
    due_posts(staff, wp.url, ROWS)
    ids = db.session.execute(select(Publication.id)).scalars().all()
    # Every row also enqueued twice more under other job ids: the workers race for them.
    for _round in range(2):
        for row_id in ids:
            rq_queue.enqueue_call(jobs.send_publication, args=(row_id,), result_ttl=0)
    env = {"COMMSDESK_REDIS_URL": REDIS_URL, "COMMSDESK_RQ_QUEUE": rq_queue.name}
    logs = [tmp_path / "worker-1.log", tmp_path / "worker-2.log"]
    workers = [start_worker(log, **env) for log in logs]
    try:
        wait_until(lambda: counts() == {"sent": ROWS}, 120, workers[0], logs[0])
    finally:
        for process in workers:
            stop(process, signal.SIGTERM)
    created = collections.Counter(wp.slugs())
    assert len(created) == ROWS and set(created.values()) == {1}, created.most_common(3)
    rows = db.session.execute(select(Publication)).scalars().all()
    assert {post_slug(r) for r in rows} == set(created)
    assert all(r.attempts == 1 for r in rows)
    assert current_app.config["REDIS_URL"] == REDIS_URL
