"""A member import whose thread died (the server restarted mid-import) does not stay
"running" for ever: once it has not moved for a few minutes it is marked failed with a plain
reason, on reading its progress and by the worker; nothing was written."""
from datetime import timedelta

from conftest import run_worker
from sqlalchemy import select

from commsdesk import jobs
from commsdesk.audience import importing
from commsdesk.extensions import db
from commsdesk.models import Member, MemberImport, utcnow

from .conftest import upload
from .files import csv_bytes, people

REASON = "The server stopped during the import"


def _orphan(client, minutes_ago):
    """An import confirmed `minutes_ago` whose thread never came back (as after a restart)."""
    response = upload(client, "medlemmar.csv", csv_bytes(people(3)))
    job = db.session.get(MemberImport, int(response.headers["Location"].rsplit("/", 1)[1]))
    job.state, job.progress_at = "running", utcnow() - timedelta(minutes=minutes_ago)
    db.session.commit()
    return job


def test_progress_page_fails_a_stalled_import(steward):
    job = _orphan(steward, minutes_ago=10)
    progress = steward.get(f"/members/import/{job.id}/progress.json").get_json()
    assert progress["state"] == "failed" and REASON in progress["error"]
    db.session.refresh(job)
    assert job.content is None and job.finished_at is not None
    page = steward.get(f"/members/import/{job.id}/progress").get_data(as_text=True)
    assert REASON in page and 'data-state="failed"' in page
    assert db.session.execute(select(Member)).first() is None


def test_a_recent_running_import_is_left_alone(steward):
    job = _orphan(steward, minutes_ago=1)
    progress = steward.get(f"/members/import/{job.id}/progress.json").get_json()
    assert progress["state"] == "running"
    assert importing.fail_stalled() == 0


def test_the_worker_fails_stalled_imports(steward):
    stalled, recent = _orphan(steward, minutes_ago=30), _orphan(steward, minutes_ago=0)
    run_worker()
    db.session.refresh(stalled)
    db.session.refresh(recent)
    assert stalled.state == "failed" and REASON in stalled.error
    assert recent.state == "running"
    jobs.due_work(now=utcnow() + timedelta(minutes=6))  # the RQ clock does it as well
    db.session.refresh(recent)
    assert recent.state == "failed"


def test_a_finished_import_keeps_its_state(steward):
    response = upload(steward, "medlemmar.csv", csv_bytes(people(2)))
    job = db.session.get(MemberImport, int(response.headers["Location"].rsplit("/", 1)[1]))
    steward.form(f"/members/import/{job.id}",
                 {**{f"col-{k}": v for k, v in job.mapping.items()}, "action": "confirm"})
    assert importing.fail_stalled(utcnow() + timedelta(hours=1)) == 0
    db.session.refresh(job)
    assert job.state == "finished" and job.progress_at is not None
