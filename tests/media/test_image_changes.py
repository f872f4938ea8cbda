"""An image attached, detached or moved after approval changes what goes out: it is recorded
as a new revision with the same text, so the approvals go stale, the approvers are told and
approved or scheduled work goes back to review, exactly as after an edit. Before anyone has
approved, images change freely without a revision."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from commsdesk import media, workflow
from commsdesk.extensions import db
from commsdesk.models import Notification, Publication, utcnow


def stale_notes(user):
    return db.session.execute(select(Notification).where(
        Notification.user_id == user.id, Notification.event == "approval_stale")).scalars().all()


def test_images_change_freely_before_approval(desk):
    doc = desk.draft()
    first, second = desk.upload(), desk.upload()
    revision = doc.current_revision_id
    media.attach(desk.editor, doc, first.id)
    media.attach(desk.editor, doc, second.id)
    media.move(desk.editor, doc, second.id, -1)
    media.detach(desk.editor, doc, first.id)
    assert doc.current_revision_id == revision and doc.state == workflow.DRAFT


@pytest.mark.parametrize("change", ["attach", "detach", "move"])
def test_an_image_change_after_approval_sends_it_back_to_review(desk, change):
    doc = desk.draft()
    first, second = desk.upload(), desk.upload()
    media.attach(desk.editor, doc, first.id)
    if change != "attach":
        media.attach(desk.editor, doc, second.id)
    desk.approve(doc)
    approved = doc.current_revision
    {"attach": lambda: media.attach(desk.editor, doc, second.id),
     "detach": lambda: media.detach(desk.editor, doc, first.id),
     "move": lambda: media.move(desk.editor, doc, second.id, -1)}[change]()
    db.session.refresh(doc)
    assert doc.state == workflow.IN_REVIEW
    assert doc.current_revision.number == approved.number + 1
    assert doc.current_revision.content == approved.content  # the text is the same
    status = workflow.approval_status(doc)
    assert not status.agreed and status.organisations[0].last_approved_revision_id == approved.id
    [note] = stale_notes(desk.approver)
    assert note.document_id == doc.id
    workflow.approve(desk.approver, doc)  # approving again, in one step
    assert doc.state == workflow.APPROVED


def test_an_image_change_cancels_what_was_scheduled(desk):
    doc = desk.draft()
    item, other = desk.upload(), desk.upload()
    media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    workflow.schedule(desk.editor, doc, utcnow() + timedelta(days=1))
    media.attach(desk.editor, doc, other.id)
    db.session.refresh(doc)
    assert doc.state == workflow.IN_REVIEW and doc.scheduled_at is None
    states = db.session.execute(select(Publication.state)).scalars().all()
    assert states and set(states) == {"cancelled"}


def test_a_move_that_changes_nothing_makes_no_revision(desk):
    doc = desk.draft()
    item = desk.upload()
    media.attach(desk.editor, doc, item.id)
    desk.approve(doc)
    media.move(desk.editor, doc, item.id, -1)  # already first
    assert doc.state == workflow.APPROVED
