"""A worker killed between Instagram's two steps (the container made, not yet published)
and restarted publishes that same container: one container, one post."""
from publishing.workers import counts, start_worker, stop, wait_until
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Publication

from .conftest import post


def _container_remembered():
    db.session.rollback()
    rows = db.session.execute(select(Publication).where(
        Publication.channel.has(type="instagram"))).scalars().all()
    return bool(rows and (rows[0].progress or {}).get("container_id"))


def test_a_worker_killed_between_container_and_publish(tmp_path, staff, meta, instagram):
    meta.in_progress_checks = 10_000  # the container stays in progress while we kill
    doc = post(staff, body="Förskolan öppnar.", image=True)
    workflow.publish(staff["editor"], doc, channels=[instagram.id])
    log = tmp_path / "worker.log"
    extra = {"COMMSDESK_GRAPH_API_URL": meta.url}
    first = start_worker(log, **extra)
    try:
        wait_until(_container_remembered, 30, first, log)
    finally:
        stop(first)  # SIGKILL while it polls the container
    assert len(meta.of("ig_container")) == 1 and not meta.of("ig_media")
    meta.in_progress_checks = 0
    second = start_worker(log, **extra)
    try:
        wait_until(lambda: counts() == {"sent": 1}, 60, second, log)
    finally:
        stop(second)
    assert len(meta.of("ig_container")) == 1 and len(meta.of("ig_media")) == 1
