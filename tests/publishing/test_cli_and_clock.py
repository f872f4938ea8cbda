"""The publications commands, and the clock across the night the clocks go back."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Publication, utcnow

from .conftest import approved
from .test_wordpress import wp_row

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def test_list_retry_and_cancel(runner, staff, wp, wp_channel):
    wp.fail_next(401)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    row = wp_row(doc)
    listed = runner.invoke(args=["publications", "list", "--state", "failed", "--org", "mitten"])
    assert listed.exit_code == 0, listed.output
    assert listed.output.startswith(f"{row.id}\tfailed\t")
    assert "WordPress refused the application password" in listed.output
    assert runner.invoke(args=["publications", "list", "--state", "queued"]).output == ""

    retried = runner.invoke(args=["publications", "retry", str(row.id)])
    assert retried.exit_code == 0 and "queued again" in retried.output
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "queued" and doc.state == workflow.SCHEDULED

    cancelled = runner.invoke(args=["publications", "cancel", str(row.id)])
    assert cancelled.exit_code == 0, cancelled.output
    db.session.refresh(row)
    assert row.state == "cancelled"
    entries = db.session.execute(select(AuditEntry).where(
        AuditEntry.action.in_(("publication.retried", "publication.cancelled")))).scalars().all()
    assert [(e.action, e.actor_id) for e in entries] == [
        ("publication.retried", None), ("publication.cancelled", None)]


def test_clear_failures(runner, staff, wp_channel):
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    sent = wp_row(doc)
    result = runner.invoke(args=["publications", "retry", str(sent.id)])
    assert result.exit_code != 0 and "cannot be retried" in result.output
    assert "No such publication" in runner.invoke(args=["publications", "cancel", "999"]).output
    unknown_org = runner.invoke(args=["publications", "list", "--org", "x"])
    assert unknown_org.exit_code != 0 and "Traceback" not in unknown_org.output


def next_night_clocks_go_back():
    """The next last Sunday of October (2026-10-25 has passed; the same night each year)."""
    year = utcnow().year
    while True:
        day = datetime(year, 10, 31)
        day -= timedelta(days=(day.weekday() + 1) % 7)
        if day.replace(tzinfo=STOCKHOLM) > utcnow():
            return day.date()
        year += 1


@pytest.mark.parametrize(("fold", "utc_hour"), [(0, 0), (1, 1)])
def test_half_past_two_on_the_night_clocks_go_back(staff, wp, wp_channel, fold, utc_hour):
    """02:30 happens twice that night: first in summer time (00:30 UTC), then in winter
    time (01:30 UTC). Each is stored as its instant and goes out on the first pass after."""
    night = next_night_clocks_go_back()
    at = datetime(night.year, night.month, night.day, 2, 30, tzinfo=STOCKHOLM, fold=fold)
    doc = approved(staff)
    workflow.schedule(staff["editor"], doc, at)
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id)).scalars().all()
    expected = datetime(night.year, night.month, night.day, utc_hour, 30, tzinfo=ZoneInfo("UTC"))
    assert {r.due_at for r in rows} == {expected}
    assert run_worker(now=expected - timedelta(seconds=1))["publications"] == 0
    assert run_worker(now=expected + timedelta(seconds=1))["publications"] == 2
    db.session.refresh(doc)
    assert doc.state == workflow.PUBLISHED
    assert len(wp.slugs()) == 1


def test_the_clock_wakes_when_the_next_publication_is_due(staff, wp_channel):
    from commsdesk import jobs

    now = utcnow()
    assert jobs.pause(2.0, now) == 2.0  # nothing scheduled: the usual tick
    doc = approved(staff)
    workflow.schedule(staff["editor"], doc, now + timedelta(milliseconds=700))
    assert 0.6 <= jobs.pause(2.0, now) <= 0.7  # wakes at the time, not at the next tick
    assert jobs.pause(0.5, now) == 0.5
    workflow.reschedule(staff["editor"], doc, now + timedelta(hours=1))
    assert jobs.pause(2.0, now) == 2.0
