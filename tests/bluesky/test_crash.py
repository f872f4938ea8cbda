"""A worker killed with SIGKILL in the middle of due Bluesky threads, then restarted: every
row ends sent (or shown to a person as uncertain), and every part of every thread is on the
PDS exactly once, under the record key chosen for it before sending."""
import collections

from publishing.workers import counts, start_worker, stop, wait_until
from sqlalchemy import select, update

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail, Publication

from .conftest import approved, connect
from .test_posts import SENTENCE

CHANNELS, TEXTS = 4, 12
ROWS = CHANNELS * TEXTS
FINAL = {"sent", "uncertain"}


def due_threads(staff, pds):
    """ROWS due publications, each a thread of two posts, on CHANNELS Bluesky channels (all
    on the one local PDS), not on the newsroom."""
    ids = [connect(staff["admin"], pds, name=f"Bluesky {n}").id for n in range(CHANNELS)]
    for number in range(TEXTS):
        doc = approved(staff, f"Tråd {number}. " + SENTENCE * 5, title=f"Tråd {number}")
        workflow.publish(staff["editor"], doc, channels=ids)
    db.session.execute(update(OutgoingEmail).values(state="sent"))  # set-up mail: not tested
    db.session.commit()


def test_sigkill_mid_thread_then_restart_posts_each_part_once(tmp_path, staff, pds,
                                                              private_hosts):
    pds.create_delay = 0.02
    due_threads(staff, pds)
    assert counts() == {"queued": ROWS}
    parts = len(db.session.execute(select(Publication)).scalars().first().payload["posts"])
    assert parts == 2
    log = tmp_path / "worker.log"

    first = start_worker(log)
    try:
        wait_until(lambda: len(pds.creates) >= ROWS * parts // 3, 60, first, log)
    finally:
        stop(first)  # SIGKILL: no chance to record what it was doing
    assert counts().get("sent", 0) < ROWS

    second = start_worker(log)
    try:
        wait_until(lambda: set(counts()) <= FINAL, 90, second, log)
    finally:
        stop(second)

    created = collections.Counter(pds.creates)
    assert not {k: n for k, n in created.items() if n > 1}
    rows = db.session.execute(select(Publication)).scalars().all()
    assert len(rows) == ROWS
    keys = set()
    for row in rows:
        assert row.state in FINAL, (row.id, row.state, row.last_error)
        keys.update(row.progress["rkeys"])
        if row.state == "sent":
            first_key, second_key = row.progress["rkeys"]
            assert row.external_id == pds.records[first_key]["uri"]
            reply = pds.records[second_key]["value"]["reply"]
            assert reply["root"]["uri"] == reply["parent"]["uri"] == row.external_id
    assert set(created) <= keys  # every post belongs to a row
    assert counts().get("sent", 0) >= ROWS - 1, counts()
