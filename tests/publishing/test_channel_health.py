"""A channel whose credentials the platform refuses needs reconnecting: the owner is told
once, the dashboard and the channel list say so, and new credentials clear it while the
channel keeps its history."""
from conftest import login_as, run_worker
from sqlalchemy import select

from commsdesk import workflow
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Notification, Publication
from commsdesk.publishing import channels

from .conftest import approved
from .wordpress_server import PASSWORD, USER


def test_a_refused_password_marks_the_channel_and_tells_its_owner_once(app, staff, wp,
                                                                       wp_channel):
    wp.fail_next(401, times=2)
    for title in ("Första", "Andra"):
        workflow.publish(staff["editor"], approved(staff, title=title))
    run_worker()
    db.session.refresh(wp_channel)
    assert "refused the application password" in wp_channel.problem
    told = db.session.execute(select(Notification).where(
        Notification.event == "channel_problem")).scalars().all()
    assert [n.user_id for n in told] == [staff["admin"].id]  # who connected it; once
    client = login_as(app, staff["editor"])
    page = client.get("/").get_data(as_text=True)
    assert "needs reconnecting" in page and "Partiets webb" in page
    listing = client.get("/settings/channels/").get_data(as_text=True)
    assert "Needs reconnecting" in listing and "Reconnect" in listing


def test_new_credentials_clear_the_problem_and_keep_the_history(app, staff, wp, wp_channel):
    wp.fail_next(401)
    doc = approved(staff)
    workflow.publish(staff["editor"], doc)
    run_worker()
    failed = db.session.execute(select(Publication).where(
        Publication.channel_id == wp_channel.id)).scalar_one()
    assert failed.state == "failed"
    client = login_as(app, staff["admin"])
    response = client.form(f"/settings/channels/{wp_channel.id}", {
        "name": "Partiets webb", "site_url": wp.url, "username": USER,
        "application_password": PASSWORD})
    assert response.status_code == 302
    db.session.refresh(wp_channel)
    assert wp_channel.problem is None
    assert db.session.get(Publication, failed.id).channel_id == wp_channel.id
    assert "Needs reconnecting" not in client.get("/").get_data(as_text=True)
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert "channel.problem" in actions and "channel.problem_cleared" in actions


def test_a_successful_send_clears_the_problem(staff, wp, wp_channel):
    wp_channel.problem = "Utgången token"
    db.session.commit()
    workflow.publish(staff["editor"], approved(staff))
    run_worker()
    db.session.refresh(wp_channel)
    assert wp_channel.problem is None


def test_the_form_lists_every_kind_and_refuses_an_unknown_one(app, staff):
    client = login_as(app, staff["admin"])
    page = client.get("/settings/channels/new").get_data(as_text=True)
    assert "WordPress site" in page
    assert client.get("/settings/channels/new/nonsense").status_code == 404
    assert client.get("/settings/channels/new/website").status_code == 404
    form = client.get("/settings/channels/new/wordpress").get_data(as_text=True)
    assert 'name="application_password"' in form and 'type="password"' in form


def test_the_edit_form_never_shows_a_secret(app, staff, wp_channel):
    page = login_as(app, staff["admin"]).get(
        f"/settings/channels/{wp_channel.id}").get_data(as_text=True)
    assert PASSWORD not in page and USER in page and "Saved. Leave this empty" in page
    assert channels.stored_secrets(wp_channel) == {"username", "application_password"}
