"""Several Mastodon channels in one organisation: accounts on two instances each get their
post; a revoked token fails only its own channel, marks it for reconnecting, and leaves the
text partly published with the other channels' posts out."""
from conftest import run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import Notification, Publication

from .conftest import connect, social_post


def test_two_instances_in_one_organisation(staff, instance, other_instance):
    first = connect(staff["admin"], instance, name="Mastodon social", login_as="mitten")
    second = connect(staff["admin"], other_instance, name="Mastodon other",
                     login_as="mitten")
    assert first.settings["instance_url"] != second.settings["instance_url"]
    doc = social_post(staff, "Samma inlägg på två servrar.")
    workflow.publish(staff["editor"], doc)
    run_worker()
    (one,), (two,) = instance.posted(), other_instance.posted()
    assert one["text"] == two["text"] == "Samma inlägg på två servrar."
    rows = {r.channel_id: r for r in db.session.execute(select(Publication)).scalars()}
    assert rows[first.id].url == one["url"] and rows[second.id].url == two["url"]
    db.session.refresh(doc)
    assert doc.state == "published"


def test_a_revoked_token_marks_its_channel_and_leaves_the_others_out(staff, instance,
                                                                     other_instance):
    revoked = connect(staff["admin"], instance, name="Återkallad", login_as="mitten")
    working = connect(staff["admin"], other_instance, name="Fungerar", login_as="mitten")
    connect(staff["admin"], other_instance, name="Gruppen", login_as="gruppen")
    instance.revoke()
    doc = social_post(staff, "Ett inlägg till alla kanaler.")
    workflow.publish(staff["editor"], doc)  # all three channels (a social post)
    run_worker()
    rows = {r.channel_id: r for r in db.session.execute(select(Publication)).scalars()}
    assert len(rows) == 3
    failed = rows.pop(revoked.id)
    assert failed.state == "failed" and failed.attempts == 1
    assert "The access token is invalid" in failed.last_error
    assert {r.state for r in rows.values()} == {"sent"}
    assert rows[working.id].url == other_instance.posted("mitten")[0]["url"]
    assert len(other_instance.posted()) == 2
    db.session.refresh(revoked)
    db.session.refresh(doc)
    assert "The access token is invalid" in revoked.problem
    assert doc.state == "partly_published"
    told = db.session.execute(select(Notification.user_id).where(
        Notification.event == "channel_problem")).scalars().all()
    assert told == [staff["admin"].id]
