"""A worker killed with SIGKILL in the middle of 200 due publications, then restarted:
every row is sent exactly once or reported uncertain, none is lost, none is doubled."""
import collections

from sqlalchemy import select, update

from commsdesk import workflow
from commsdesk.channels.wordpress import post_slug
from commsdesk.extensions import db
from commsdesk.models import OutgoingEmail, Publication
from commsdesk.publishing import channels

from .conftest import approved
from .wordpress_server import PASSWORD, USER
from .workers import counts, start_worker, stop, wait_until

ROWS = 200
FINAL = {"sent", "uncertain"}


def due_posts(staff, site_url, count, per_text=8):
    """`count` due publications: approved texts published on `per_text` WordPress channels
    (all on the one local site) and not on the newsroom."""
    ids = [channels.save_wordpress(staff["admin"], name=f"Webb {n}", site_url=site_url,
                                   username=USER, application_password=PASSWORD).id
           for n in range(per_text)]
    for number in range(count // per_text):
        doc = approved(staff, title=f"Pressmeddelande {number}")
        workflow.publish(staff["editor"], doc, channels=ids)
    # Set-up only: the review emails of the set-up are not what this test is about.
    db.session.execute(update(OutgoingEmail).values(state="sent"))
    db.session.commit()


def test_sigkill_mid_way_then_restart(tmp_path, staff, wp, private_hosts):
    wp.delay = 0.02  # each post takes 20 ms on the server
    due_posts(staff, wp.url, ROWS)
    assert counts() == {"queued": ROWS}
    log = tmp_path / "worker.log"

    first = start_worker(log)
    try:
        wait_until(lambda: len(wp.slugs()) >= ROWS // 3, 60, first, log)
    finally:
        stop(first)  # SIGKILL: no chance to record what it was doing
    killed_at = counts()
    assert killed_at.get("sent", 0) < ROWS, killed_at

    second = start_worker(log)
    try:
        wait_until(lambda: set(counts()) <= FINAL, 90, second, log)
    finally:
        stop(second)

    rows = db.session.execute(select(Publication)).scalars().all()
    created = collections.Counter(wp.slugs())
    assert len(rows) == ROWS
    doubled = {slug: n for slug, n in created.items() if n > 1}
    assert not doubled, doubled
    by_slug = {p["slug"]: p for p in wp.posts.values()}
    for row in rows:
        assert row.state in FINAL, (row.id, row.state, row.last_error)
        if row.state == "sent":
            post = by_slug[post_slug(row)]
            assert row.external_id == str(post["id"])
    # Every post on the site belongs to a row that is sent (or shown to a person).
    slugs = {post_slug(r): r.state for r in rows}
    assert set(created) <= set(slugs)
    assert counts().get("sent", 0) >= ROWS - 1, counts()
