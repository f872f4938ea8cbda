"""A partner's publication of a joint text that fails (refused for good, or its channel's
credentials refused) is told to that partner's people responsible for it, and the owning
party sees it on the joint release panel."""
import pytest
from conftest import login_as, make_user, run_worker
from publishing.wordpress_server import PASSWORD, USER, WordPress
from sqlalchemy import select

from commsdesk import channels as channel_registry
from commsdesk import coalition_release, workflow
from commsdesk.extensions import db
from commsdesk.models import Notification, Publication
from commsdesk.publishing import channels

from .conftest import soon


@pytest.fixture
def wp(app):
    before = app.config.get("CHANNEL_PRIVATE_HOSTS")
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    server = WordPress().start()
    yield server
    server.stop()
    app.config["CHANNEL_PRIVATE_HOSTS"] = before


def planned_with_partner_site(world, wp):
    """Both parties planned: the owner its newsroom, the partner its WordPress site."""
    green_admin = make_user(world.green, "admin")
    site = channels.save_wordpress(green_admin, name="Gröna webben", site_url=wp.url,
                                   username=USER, application_password=PASSWORD)
    at = soon()
    coalition_release.set_time(world.editor, world.doc, at)
    coalition_release.plan(world.editor, world.doc,
                           [channel_registry.website_channel(world.owner).id])
    coalition_release.plan(world.green_editor, world.doc, [site.id])
    return site, green_admin, at


def failures_told(user):
    return db.session.execute(select(Notification).where(
        Notification.user_id == user.id,
        Notification.event == "publication_failed")).scalars().all()


def partner_row(world):
    return db.session.execute(select(Publication).where(
        Publication.organisation_id == world.green.id)).scalar_one()


@pytest.mark.parametrize("status", [400, 401])
def test_a_partner_row_that_fails_is_told_to_the_partner_and_shown_to_the_owner(
        app, world, wp, status):
    site, green_admin, at = planned_with_partner_site(world, wp)
    wp.fail_next(status)
    run_worker(now=at)
    row = partner_row(world)
    assert row.state == "failed" and row.last_error
    assert site.owner_id == green_admin.id  # who connected it is responsible for it
    for user in (green_admin, world.green_editor, world.green_approver):
        (note,) = failures_told(user)
        assert note.data["channels"] == "Gröna webben"
        assert note.data["message"] == row.last_error
    # The owner's own row went out: its people get no failure of theirs, nor outsiders.
    db.session.refresh(world.doc)
    assert world.doc.state == workflow.PUBLISHED
    for user in (world.editor, world.approver, world.outsider_editor):
        assert not failures_told(user)

    owner_page = login_as(app, world.editor).get(f"/documents/{world.doc.id}")
    page = owner_page.get_data(as_text=True)
    assert 'id="jr-failures"' in page and f'data-publication="{row.id}"' in page
    expected = ("Gröna: Gröna webben needs reconnecting: " if status == 401
                else "Gröna: Gröna webben failed: ")
    assert expected in page
    # The partner sees its own failure there too.
    assert 'id="jr-failures"' in login_as(app, world.green_editor).get(
        f"/documents/{world.doc.id}").get_data(as_text=True)


def test_a_partner_row_that_goes_out_is_no_failure(world, wp):
    _site, _admin, at = planned_with_partner_site(world, wp)
    run_worker(now=at)
    assert partner_row(world).state == "sent"
    assert not failures_told(world.green_editor)
    assert coalition_release.panel(world.editor, world.doc)["partner_failures"] == []
