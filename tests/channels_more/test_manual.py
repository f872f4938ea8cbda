"""The by-hand channel through the web: at its time the row waits for the person
responsible (told, in their to-do), who copies the text and images from the copy page and
marks it posted (the text is then published) or not posted; a waiting row can be cancelled;
only the owning organisation's editors and admins reach the copy page."""
from datetime import timedelta

import pytest
from conftest import login_as, make_org, make_user, run_worker

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Channel, Notification, Publication, utcnow

from .conftest import social_post


@pytest.fixture
def manual(app, staff):
    """A by-hand channel added through the form, the editor responsible."""
    client = login_as(app, staff["admin"])
    page = client.get("/settings/channels/new/manual").get_data(as_text=True)
    assert f'value="{staff["editor"].id}"' in page  # editors and admins to choose from
    assert f'value="{staff["contributor"].id}"' not in page
    response = client.form("/settings/channels/new/manual", {
        "name": "Facebook-gruppen", "platform_name": "Facebook-grupp Älvstad",
        "responsible_id": str(staff["editor"].id), "platform": "facebook"})
    assert response.status_code == 302, response.get_data(as_text=True)[:400]
    return db.session.execute(db.select(Channel).where(Channel.type == "manual")).scalar_one()


def _scheduled(staff, channel, **kwargs):
    doc = social_post(staff, variants={"facebook": "Till gruppen: ny förskola i Åby! (Läs mer)"},
                      **kwargs)
    at = utcnow() + timedelta(hours=1)
    workflow.schedule(staff["editor"], doc, at, channels=[channel.id])
    return doc, at


def _row(channel):
    return db.session.execute(
        db.select(Publication).where(Publication.channel_id == channel.id)).scalar_one()


def test_the_journey_from_due_to_published(app, staff, manual):
    doc, at = _scheduled(staff, manual)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(manual)
    assert row.state == "waiting"
    db.session.refresh(doc)
    assert doc.state == workflow.SCHEDULED  # still going out: open until a person is done
    # The responsible editor is told, with a link to the copy page ...
    [note] = db.session.execute(db.select(Notification).where(
        Notification.event == "manual_post_due")).scalars().all()
    assert note.user_id == staff["editor"].id and note.data["publication_id"] == row.id
    editor = login_as(app, staff["editor"])
    inbox = editor.get("/inbox").get_data(as_text=True)
    assert "post it by hand" in inbox
    # ... and sees it in their to-do.
    overview = editor.get("/").get_data(as_text=True)
    assert "Post by hand" in overview and f"/publications/{row.id}/copy" in overview
    # The copy page: the platform's text, the image to download, its alt text.
    page = editor.get(f"/publications/{row.id}/copy").get_data(as_text=True)
    assert "Facebook-grupp Älvstad" in page
    assert "Till gruppen: ny förskola i Åby! (Läs mer)" in page
    assert "Barn leker på förskolans gård" in page and "download=" in page
    assert "data-copy-target" in page
    response = editor.form(f"/publications/{row.id}/posted",
                           {"url": "https://facebook.example/groups/alvstad/posts/1"})
    assert response.status_code == 302
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "sent" and row.url == "https://facebook.example/groups/alvstad/posts/1"
    assert doc.state == workflow.PUBLISHED
    assert db.session.execute(db.select(AuditEntry).where(
        AuditEntry.action == "publication.posted_by_hand")).scalar_one().actor_id == \
        staff["editor"].id
    # Done: gone from the to-do.
    assert f"/publications/{row.id}/copy" not in editor.get("/").get_data(as_text=True)


def test_an_address_must_be_a_web_address(app, staff, manual):
    _doc, at = _scheduled(staff, manual, image=False)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(manual)
    editor = login_as(app, staff["editor"])
    editor.form(f"/publications/{row.id}/posted", {"url": "javascript:alert(1)"})
    db.session.refresh(row)
    assert row.state == "waiting"


def test_could_not_post_fails_the_row_with_the_reason(app, staff, manual):
    doc, at = _scheduled(staff, manual, image=False)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(manual)
    admin = login_as(app, staff["admin"])  # any editor or admin of the organisation may
    admin.form(f"/publications/{row.id}/not-posted", {"reason": "Gruppen är stängd."})
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "failed" and row.last_error == "Gruppen är stängd."
    assert doc.state == workflow.PUBLISH_FAILED


def test_a_waiting_row_can_be_cancelled(app, staff, manual):
    doc, at = _scheduled(staff, manual, image=False)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(manual)
    editor = login_as(app, staff["editor"])
    editor.form(f"/publications/{row.id}/cancel")
    db.session.refresh(row)
    db.session.refresh(doc)
    assert row.state == "cancelled" and doc.state == workflow.APPROVED
    assert f"/publications/{row.id}/copy" not in editor.get("/").get_data(as_text=True)
    assert editor.form(f"/publications/{row.id}/posted").status_code == 409


def test_unscheduling_cancels_a_waiting_row(staff, manual):
    doc, at = _scheduled(staff, manual, image=False)
    run_worker(now=at + timedelta(seconds=1))
    workflow.unschedule(staff["editor"], doc)
    assert _row(manual).state == "cancelled"


def test_only_the_organisations_editors_and_admins_reach_the_copy_page(app, staff, manual):
    _doc, at = _scheduled(staff, manual, image=False)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(manual)
    other = make_org("andra")
    for user in (make_user(other, "admin"), make_user(other, "editor"), staff["contributor"],
                 staff["approver"]):
        client = login_as(app, user)
        assert client.get(f"/publications/{row.id}/copy").status_code == 404
        assert client.form(f"/publications/{row.id}/posted").status_code == 404
        assert client.form(f"/publications/{row.id}/not-posted",
                           {"reason": "x"}).status_code == 404
    assert _row(manual).state == "waiting"


def test_without_a_chosen_person_the_owner_is_responsible(app, staff):
    from commsdesk.publishing import channels

    channel = channels.save(staff["admin"], "manual", values={
        "name": "Anslagstavlan", "platform_name": "Anslagstavlan i Åby"})
    _doc, at = _scheduled(staff, channel, image=False)
    run_worker(now=at + timedelta(seconds=1))
    row = _row(channel)
    assert row.state == "waiting" and row.progress["responsible_id"] == staff["admin"].id
    assert row.payload["parts"] == ["Vi bygger en ny förskola i Åby (äntligen) #älvstad"]
