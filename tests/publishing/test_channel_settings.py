"""Channel settings: admins and editors list, add, change, disable and test channels; the
newsroom is always there; secrets never come back; every change is audited."""
import pytest
from conftest import api_as, login_as, make_org, make_user
from sqlalchemy import select

from commsdesk.channels import website_channel
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Channel

from .wordpress_server import PASSWORD, USER


def audit_actions():
    return [e.action for e in db.session.execute(
        select(AuditEntry).where(AuditEntry.action.like("channel.%")).order_by(AuditEntry.id)
    ).scalars()]


def test_the_newsroom_is_always_listed(app, staff):
    page = login_as(app, staff["editor"]).get("/settings/channels/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "Newsroom" in text and "Always enabled" in text


@pytest.mark.parametrize("role", ["approver", "contributor"])
def test_others_may_not_manage_channels(app, staff, role):
    client = login_as(app, staff[role])
    assert client.get("/settings/channels/").status_code == 403
    assert client.form("/settings/channels/new", {"name": "x"}).status_code == 403


def test_add_a_wordpress_site_and_test_its_connection(app, staff, wp, private_hosts):
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new", {
        "name": "Partiets webb", "site_url": wp.url + "/", "username": USER,
        "application_password": PASSWORD})
    assert response.status_code == 302
    channel = db.session.execute(select(Channel).where(Channel.type == "wordpress")).scalar_one()
    assert channel.settings["site_url"] == wp.url
    page = client.get("/settings/channels/").get_data(as_text=True)
    assert PASSWORD not in page and "credentials saved" in page
    edit = client.get(f"/settings/channels/{channel.id}")
    assert PASSWORD not in edit.get_data(as_text=True)
    assert edit.headers["Cache-Control"] == "no-store"
    result = client.form(f"/settings/channels/{channel.id}/test", follow_redirects=True)
    assert "Connected to" in result.get_data(as_text=True)
    assert "as Redaktionen" in result.get_data(as_text=True)
    assert ("GET", "/wp-json/wp/v2/users/me") in wp.requests
    assert audit_actions() == ["channel.created", "channel.tested"]


def test_a_wrong_password_is_reported_clearly(app, staff, wp, wp_channel):
    client = login_as(app, staff["editor"])
    client.form(f"/settings/channels/{wp_channel.id}",
                {"name": wp_channel.name, "site_url": wp.url, "username": USER,
                 "application_password": "wrong"})
    result = client.form(f"/settings/channels/{wp_channel.id}/test", follow_redirects=True)
    assert "WordPress refused the application password" in result.get_data(as_text=True)


def test_an_empty_password_keeps_the_saved_one(app, staff, wp, wp_channel):
    client = login_as(app, staff["editor"])
    response = client.form(f"/settings/channels/{wp_channel.id}", {
        "name": "Webben", "site_url": wp.url, "username": USER, "application_password": ""})
    assert response.status_code == 302
    db.session.refresh(wp_channel)
    assert wp_channel.name == "Webben"
    result = client.form(f"/settings/channels/{wp_channel.id}/test", follow_redirects=True)
    assert "Connected to" in result.get_data(as_text=True)


def test_a_new_channel_needs_a_password_and_a_web_address(app, staff, private_hosts):
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new", {
        "name": "Webb", "site_url": "ftp://example.org", "username": "u",
        "application_password": "p"})
    assert response.status_code == 422
    assert "like https://www.example.org" in response.get_data(as_text=True)
    response = client.form("/settings/channels/new", {
        "name": "Webb", "site_url": "https://example.org", "username": "u"})
    assert response.status_code == 422


def test_private_addresses_are_refused_unless_allowed(app, staff):
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/new", {
        "name": "Webb", "site_url": "http://127.0.0.1:8080", "username": "u",
        "application_password": "p"})
    assert response.status_code == 422
    assert "private network" in response.get_data(as_text=True)


def test_disable_and_enable_but_never_the_newsroom(app, staff, wp_channel):
    client = login_as(app, staff["admin"])
    client.form(f"/settings/channels/{wp_channel.id}/enabled", {"enabled": "0"})
    db.session.refresh(wp_channel)
    assert not wp_channel.enabled
    newsroom = website_channel(staff["admin"].organisation)
    db.session.commit()
    response = client.form(f"/settings/channels/{newsroom.id}/enabled", {"enabled": "0"})
    assert response.status_code == 409
    db.session.refresh(newsroom)
    assert newsroom.enabled
    client.form(f"/settings/channels/{wp_channel.id}/enabled", {"enabled": "1"})
    assert audit_actions() == ["channel.created", "channel.disabled", "channel.enabled"]


def test_another_organisations_channel_is_not_found(app, wp_channel):
    other = make_user(make_org("annan"), "admin")
    client = login_as(app, other)
    assert client.get(f"/settings/channels/{wp_channel.id}").status_code == 404
    assert client.form(f"/settings/channels/{wp_channel.id}/test").status_code == 404


def test_api_lists_channels_without_secrets(staff, wp_channel):
    response = api_as(staff["contributor"]).get("/channels")
    assert response.status_code == 200
    items = response.get_json()["items"]
    assert [c["type"] for c in items] == ["website", "wordpress"]
    assert items[1]["has_credentials"] is True
    assert items[1]["site_url"] == wp_channel.settings["site_url"]
    assert PASSWORD not in response.get_data(as_text=True)
    assert "credentials" not in items[1]
