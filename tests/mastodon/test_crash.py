"""A worker process killed with SIGKILL in the middle of posting threads to Mastodon, then
restarted: every status is posted once (the Idempotency-Key of each part), none twice, and
every row ends sent with its thread complete."""
import collections

from publishing.workers import counts, start_worker, stop, wait_until
from sqlalchemy import select, update

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail, Publication

from .conftest import connect, social_post

CHANNELS = 5
TEXTS = 8
TEXT = " ".join(f"Mening {n} om vården i regionen och dess framtid." for n in range(12))


def due_threads(staff, instance):
    """CHANNELS × TEXTS due publications, each a thread of two statuses."""
    ids = [connect(staff["admin"], instance, name=f"Konto {n}", login_as=f"konto{n}").id
           for n in range(CHANNELS)]
    for number in range(TEXTS):
        doc = social_post(staff, f"{number}: {TEXT}", title=f"Inlägg {number}")
        workflow.publish(staff["editor"], doc, channels=ids)
    # Set-up only: the review emails of the set-up are not what this test is about.
    db.session.execute(update(OutgoingEmail).values(state="sent"))
    db.session.commit()


def test_sigkill_mid_thread_then_restart(tmp_path, staff, instance):
    due_threads(staff, instance)
    rows = CHANNELS * TEXTS
    assert counts() == {"queued": rows}
    parts = len(db.session.execute(select(Publication)).scalars().first().payload["parts"])
    assert parts == 2
    instance.delay = 0.04
    log = tmp_path / "worker.log"

    first = start_worker(log)
    try:
        wait_until(lambda: len(instance.creates) >= rows * parts // 3, 60, first, log)
    finally:
        stop(first)  # SIGKILL: no chance to record what it was doing
    killed_at = counts()
    assert killed_at.get("sent", 0) < rows

    second = start_worker(log)
    try:
        wait_until(lambda: counts() == {"sent": rows}, 90, second, log)
    finally:
        stop(second)

    created = collections.Counter(instance.creates)
    doubled = {key: n for key, n in created.items() if n > 1}
    assert not doubled, doubled
    statuses = instance.posted()
    assert len(statuses) == rows * parts
    by_id = {s["id"]: s for s in statuses}
    for row in db.session.execute(select(Publication)).scalars():
        thread = [by_id[p["id"]] for p in row.progress["statuses"]]
        assert len(thread) == parts and row.external_id == thread[0]["id"]
        assert thread[1]["in_reply_to_id"] == thread[0]["id"]
