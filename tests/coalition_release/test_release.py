"""The coordinated release: every party plans its own channels for one embargo time, nothing
goes out before it, hold all stops every party, release needs the owner's approver, and a
partner taking its approval back holds everything."""
from datetime import timedelta

import pytest
from conftest import run_worker
from sqlalchemy import select

from commsdesk import channels as channel_registry
from commsdesk import coalition_release, workflow
from commsdesk.errors import Conflict, Forbidden, ValidationError
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, Publication
from commsdesk.publishing import outbox

from .conftest import soon


def newsroom(org):
    return channel_registry.website_channel(org)


def rows(doc, organisation=None):
    query = select(Publication).where(Publication.document_id == doc.id)
    if organisation is not None:
        query = query.where(Publication.organisation_id == organisation.id)
    return db.session.execute(query.order_by(Publication.id)).scalars().all()


def planned(world, at):
    """The release timed by the owner and planned by both parties on their newsrooms."""
    coalition_release.set_time(world.editor, world.doc, at)
    coalition_release.plan(world.editor, world.doc, [newsroom(world.owner).id])
    coalition_release.plan(world.green_editor, world.doc, [newsroom(world.green).id])
    return at


def events(user, event):
    return db.session.execute(select(Notification).where(
        Notification.user_id == user.id, Notification.event == event)).scalars().all()


def test_both_parties_plan_their_own_channels_for_one_time(world):
    at = planned(world, soon())
    mine, theirs = rows(world.doc, world.owner), rows(world.doc, world.green)
    assert [r.channel.organisation_id for r in mine] == [world.owner.id]
    assert [r.channel.organisation_id for r in theirs] == [world.green.id]
    assert {r.due_at for r in mine + theirs} == {at}
    assert {r.embargo_until for r in mine + theirs} == {at}
    assert theirs[0].payload["path"].startswith("/n/gron/")
    assert theirs[0].payload["organisation"] == "Gröna"
    assert world.doc.state == workflow.SCHEDULED and world.doc.scheduled_at == at
    parties = coalition_release.plans(world.doc)
    assert [(org.slug, owner, [r.state for r in found]) for org, owner, found in parties] == [
        ("mitten", True, ["queued"]), ("gron", False, ["queued"])]
    assert events(world.green_editor, "release_scheduled")


def test_nothing_goes_out_before_the_embargo(world):
    at = planned(world, soon())
    run_worker(now=at - timedelta(seconds=1))
    assert {r.state for r in rows(world.doc)} == {"queued"}
    run_worker(now=at)
    db.session.refresh(world.doc)
    assert {r.state for r in rows(world.doc)} == {"sent"}
    assert world.doc.state == workflow.PUBLISHED


def test_a_partner_plans_only_its_own_channels(world):
    coalition_release.set_time(world.editor, world.doc, soon())
    with pytest.raises(ValidationError):
        coalition_release.plan(world.green_editor, world.doc, [newsroom(world.owner).id])
    with pytest.raises(Forbidden):
        coalition_release.plan(world.green_contributor, world.doc, [newsroom(world.green).id])
    with pytest.raises(Forbidden):
        coalition_release.set_time(world.green_editor, world.doc, soon())


def test_moving_the_time_moves_every_party_and_tells_everyone(world):
    planned(world, soon())
    later = soon(120)
    coalition_release.set_time(world.approver, world.doc, later)
    assert {r.due_at for r in rows(world.doc)} == {later}
    assert {r.payload["embargo_until"] for r in rows(world.doc)} == {later.isoformat()}
    assert world.doc.scheduled_at == later
    assert len(events(world.green_approver, "release_scheduled")) == 2
    with pytest.raises(ValidationError):
        coalition_release.set_time(world.editor, world.doc, soon(-1))


def test_the_workflow_bar_cannot_publish_a_joint_text_around_its_release(world):
    coalition_release.set_time(world.editor, world.doc, soon())
    assert "publish" not in workflow.allowed_actions(world.editor, world.doc)
    with pytest.raises(Conflict):
        workflow.publish(world.editor, world.doc)


def test_hold_all_by_a_partner_approver_stops_both_parties_and_tells_everyone(world):
    at = planned(world, soon())
    with pytest.raises(ValidationError):
        coalition_release.hold_all(world.green_approver, world.doc, "  ")
    with pytest.raises(Forbidden):
        coalition_release.hold_all(world.green_contributor, world.doc, "Vänta")
    coalition_release.hold_all(world.green_approver, world.doc, "Siffrorna stämmer inte")
    assert {(r.state, r.last_error) for r in rows(world.doc)} == {
        ("held", "Siffrorna stämmer inte")}
    release = coalition_release.release_for(world.doc)
    assert release.held_by_id == world.green_approver.id
    assert release.hold_reason == "Siffrorna stämmer inte"
    for user in (world.editor, world.approver, world.green_editor):
        assert events(user, "release_held"), user.email
    run_worker(now=at + timedelta(hours=1))
    assert {r.state for r in rows(world.doc)} == {"held"}
    actions = db.session.execute(select(AuditEntry.action).where(
        AuditEntry.action.like("release.%"))).scalars().all()
    assert actions.count("release.held") == 1


def test_release_needs_the_owners_approver(world):
    at = planned(world, soon())
    coalition_release.hold_all(world.green_approver, world.doc, "Vänta")
    for user in (world.green_approver, world.editor):
        with pytest.raises(Forbidden):
            coalition_release.release(user, world.doc)
    coalition_release.release(world.approver, world.doc)
    assert {(r.state, r.due_at) for r in rows(world.doc)} == {("queued", at)}
    assert coalition_release.release_for(world.doc).held_at is None
    assert events(world.green_editor, "release_resumed")
    run_worker(now=at)
    assert {r.state for r in rows(world.doc)} == {"sent"}


def test_a_release_whose_time_passed_while_held_needs_a_new_time(world):
    planned(world, soon())
    coalition_release.hold_all(world.approver, world.doc, "Vänta")
    release = coalition_release.release_for(world.doc)
    release.embargo_at = soon(-5)
    db.session.commit()
    with pytest.raises(ValidationError):
        coalition_release.release(world.approver, world.doc)
    new = soon(30)
    coalition_release.release(world.approver, world.doc, new)
    assert {(r.state, r.due_at) for r in rows(world.doc)} == {("queued", new)}


def test_a_partner_withdrawing_its_approval_holds_every_row_and_warns(world):
    at = planned(world, soon())
    with pytest.raises(ValidationError):
        coalition_release.withdraw_approval(world.green_approver, world.doc, "")
    coalition_release.withdraw_approval(world.green_approver, world.doc, "Vi ångrar oss")
    assert {r.state for r in rows(world.doc)} == {"held"}
    db.session.refresh(world.doc)
    assert world.doc.state == workflow.IN_REVIEW
    assert not workflow.approval_status(world.doc).agreed
    assert coalition_release.release_for(world.doc).hold_reason == "Vi ångrar oss"
    assert events(world.editor, "approval_withdrawn")
    assert events(world.approver, "approval_withdrawn")
    run_worker(now=at)
    assert {r.state for r in rows(world.doc)} == {"held"}
    with pytest.raises(Conflict):  # not agreed: the owner cannot release
        coalition_release.release(world.approver, world.doc)
    workflow.approve(world.green_approver, world.doc)  # agreed again, same revision
    assert world.doc.state == workflow.APPROVED
    coalition_release.release(world.approver, world.doc)
    assert world.doc.state == workflow.SCHEDULED
    run_worker(now=at)
    db.session.refresh(world.doc)
    assert {r.state for r in rows(world.doc)} == {"sent"}
    assert world.doc.state == workflow.PUBLISHED


def test_a_partner_row_is_refused_at_sending_without_agreement(world):
    at = planned(world, soon())
    # The approval goes away behind the release's back (as a stale approval would).
    for status in workflow.approval_status(world.doc).organisations:
        for approval in status.approvals:
            if approval.organisation_id == world.green.id:
                approval.withdrawn_at = at
    db.session.commit()
    run_worker(now=at)
    assert {r.state for r in rows(world.doc)} == {"held"}


def test_partner_rows_never_decide_the_owners_state(world):
    at = planned(world, soon())
    partner = rows(world.doc, world.green)[0]
    assert [r.organisation_id for r in outbox.latest_round(world.doc)] == [world.owner.id]
    from commsdesk.publishing import sender

    assert sender.send_one(partner.id, now=at) == "sent"
    db.session.refresh(world.doc)
    assert world.doc.state == workflow.SCHEDULED  # the owner's row still waits
    workflow.follow_publications(world.doc)
    assert world.doc.state == workflow.SCHEDULED


def test_a_partner_plans_before_the_owner_and_the_owner_later(world):
    at = soon()
    coalition_release.set_time(world.editor, world.doc, at)
    coalition_release.plan(world.green_editor, world.doc, [newsroom(world.green).id])
    assert world.doc.state == workflow.APPROVED
    run_worker(now=at)
    db.session.refresh(world.doc)
    assert [r.state for r in rows(world.doc, world.green)] == ["sent"]
    assert world.doc.state == workflow.APPROVED


def test_a_text_not_shared_has_no_joint_release(world):
    from conftest import make_document

    alone = make_document(world.editor, title="Ensam")
    with pytest.raises(Conflict):
        coalition_release.set_time(world.editor, alone, soon())
    assert coalition_release.panel(world.editor, alone) is None
