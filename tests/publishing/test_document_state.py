"""The document's state follows its publications, also when a person cancels them."""
from datetime import timedelta

from conftest import run_worker
from sqlalchemy import select

from commsdesk import documents, workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Publication, utcnow
from commsdesk.publishing import actions

from .conftest import approved


def test_cancelling_every_queued_publication_makes_the_text_approved_again(staff):
    doc = approved(staff)
    workflow.schedule(staff["editor"], doc, utcnow() + timedelta(hours=2))
    (row,) = db.session.scalars(select(Publication).where(Publication.document_id == doc.id))
    actions.cancel(staff["editor"], row)
    assert doc.state == workflow.APPROVED and doc.scheduled_at is None
    assert db.session.scalar(select(AuditEntry.action).order_by(AuditEntry.id.desc())) == \
        "workflow.publications_cancelled"
    assert run_worker(now=utcnow() + timedelta(hours=3))["publications"] == 0
    workflow.publish(staff["editor"], doc)  # it can go out again
    run_worker()
    assert doc.state == workflow.PUBLISHED


def test_a_new_revision_cancels_what_was_scheduled_and_nothing_stale_goes_out(staff):
    doc = approved(staff)
    workflow.schedule(staff["editor"], doc, utcnow() + timedelta(minutes=5))
    documents.save_revision(staff["editor"], doc, {"title": "Ny rubrik", "body": "Ändrad."},
                            doc.current_revision_id)
    assert doc.state == workflow.IN_REVIEW
    assert run_worker(now=utcnow() + timedelta(minutes=10))["publications"] == 0
    states = db.session.scalars(select(Publication.state)).all()
    assert states == ["cancelled"]
