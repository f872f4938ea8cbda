"""Notifications from publishing: one that names the channels that failed, leading to the
publishing panel; and everyone involved told when it went out."""
from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import notifications, workflow
from commsdesk.extensions import db
from commsdesk.models import Notification


def test_owner_is_told_once_which_channel_failed(app, office, platforms):
    platforms(office.org, "test_refusing", "Facebook")
    doc = office.approved()
    workflow.publish(office.approver, doc)  # the owner (the editor) did not press the button
    run_worker()
    run_worker()
    notes = db.session.execute(select(Notification).where(
        Notification.user_id == office.editor.id,
        Notification.event.in_(("publication_failed", "published")))).scalars().all()
    assert [(n.event, n.data["channels"]) for n in notes] == [("publication_failed", "Facebook")]
    sentence = notifications.describe("publication_failed", doc.title, None, notes[0].data)
    assert sentence == "Publishing “Ny förskola i Åby” failed on Facebook."
    inbox = login_as(app, office.editor).get("/inbox").get_data(as_text=True)
    assert "failed on Facebook" in inbox and f"/documents/{doc.id}#publishing" in inbox
    assert notifications.link("publication_failed", doc.id, notes[0].data).endswith(
        f"/documents/{doc.id}#publishing")


def test_everyone_involved_is_told_when_it_went_out(office):
    doc = office.approved(shared=True)
    workflow.publish(office.editor, doc)
    run_worker()
    told = {n.user_id for n in db.session.execute(select(Notification).where(
        Notification.event == "published")).scalars()}
    assert {office.editor.id, office.partner_editor.id, office.partner_approver.id} <= told
