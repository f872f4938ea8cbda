"""A worker killed with SIGKILL while posting to LinkedIn or a webhook, then restarted: every
row goes out exactly once on the local server, none is lost.

LinkedIn has no idempotency key: the row that was being sent is looked up on the page (by
its marker) before it is sent again. A webhook is sent again with the same webhook-id, which
the receiver processes once, as the Standard Webhooks specification asks of it."""
import collections

from publishing.workers import counts, start_worker, stop, wait_until
from sqlalchemy import select, update

from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail, Publication, utcnow
from commsdesk.publishing import outbox

from .conftest import linkedin_channel, social_post
from .linkedin_server import unescape
from .test_webhook import _add_webhook

ROWS = 30


def due_posts(staff, channel):
    """ROWS due rows of one approved social post on the channel, each with a text of its
    own (LinkedIn finds a post by its text)."""
    doc = social_post(staff, image=False)
    rows = outbox.enqueue(staff["editor"], doc, [channel] * ROWS, utcnow())
    for number, row in enumerate(rows):
        text = f"Förslag {number}: fler förskoleplatser i Åby"
        row.payload = {**row.payload, "text": text, "parts": [text]}
    # Set-up only: the review emails of the set-up are not what this test is about.
    db.session.execute(update(OutgoingEmail).values(state="sent"))
    db.session.commit()
    assert counts() == {"queued": ROWS}


def kill_and_restart(log, done_before_kill, finished, **env):
    """A worker killed (SIGKILL) once `done_before_kill()` holds, then a second one run until
    `finished()`."""
    first = start_worker(log, COMMSDESK_CHANNEL_PRIVATE_HOSTS="1", **env)
    try:
        wait_until(done_before_kill, 30, first, log)
    finally:
        stop(first)  # no chance to record what it was doing
    assert counts().get("sent", 0) < ROWS, counts()
    second = start_worker(log, COMMSDESK_CHANNEL_PRIVATE_HOSTS="1", **env)
    try:
        wait_until(finished, 30, second, log)
    finally:
        stop(second)


def all_sent():
    return counts() == {"sent": ROWS}


def test_linkedin_sigkill_mid_way_then_restart(tmp_path, staff, linkedin, private_hosts):
    due_posts(staff, linkedin_channel(staff["admin"]))
    linkedin.delay = 0.05  # the worker dies while a stored post's answer is on its way
    kill_and_restart(tmp_path / "worker.log", lambda: len(linkedin.posts) >= ROWS // 3,
                     all_sent, COMMSDESK_LINKEDIN_API_URL=linkedin.url,
                     COMMSDESK_LINKEDIN_OAUTH_URL=linkedin.url)

    texts = collections.Counter(unescape(p["commentary"]) for p in linkedin.posts)
    doubled = {text: n for text, n in texts.items() if n > 1}
    assert not doubled, doubled
    assert len(linkedin.posts) == ROWS
    rows = db.session.execute(select(Publication)).scalars().all()
    assert sorted(r.external_id for r in rows) == sorted(p["id"] for p in linkedin.posts)


def test_webhook_sigkill_mid_way_then_restart(app, tmp_path, staff, receiver, private_hosts):
    _client, channel = _add_webhook(app, staff, receiver)
    due_posts(staff, channel)
    receiver.delay = 0.05  # the worker dies while a processed delivery's answer is on its way
    kill_and_restart(tmp_path / "worker.log", lambda: len(receiver.processed) >= ROWS // 3,
                     all_sent)

    rows = db.session.execute(select(Publication)).scalars().all()
    assert not receiver.rejected, receiver.rejected
    # Each row was processed once under its own id; a repeat delivery kept the id.
    assert sorted(receiver.processed) == sorted(r.idempotency_key for r in rows)
    assert set(receiver.ids()) == set(receiver.processed)
    assert len(receiver.ids()) <= ROWS + 2, collections.Counter(receiver.ids()).most_common(3)
