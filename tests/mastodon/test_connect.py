"""Connecting Mastodon accounts through the pages: the app registers itself on the instance
once, the person signs in there and comes back, the channel is saved with the account; a
reconnect keeps the channel; a refusal or a stale answer says so plainly."""
import re
from urllib.parse import urlsplit

from conftest import login_as
from sqlalchemy import select

from commsdesk.channels import credentials
from commsdesk.extensions import db
from commsdesk.models import AuditEntry, Channel, MastodonApp
from commsdesk.publishing import mastodon_connect

from .conftest import authorize, connect

LINK_RE = re.compile(r'id="authorize" href="([^"]+)"')


def start(client, server, name="Mastodon Mitten", visibility="unlisted"):
    """Fill in the connect form; returns the instance's authorize address from the page."""
    response = client.form("/settings/channels/mastodon/", {
        "instance_url": server.url, "name": name, "visibility": visibility})
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return LINK_RE.search(response.get_data(as_text=True)).group(1).replace("&amp;", "&")


def come_back(client, authorize_url):
    return client.get(authorize(authorize_url))


def test_connect_through_the_pages(app, staff, instance):
    client = login_as(app, staff["admin"])
    assert "/settings/channels/mastodon/" in client.get("/settings/channels/new").get_data(
        as_text=True)
    target = start(client, instance)
    assert urlsplit(target).netloc == urlsplit(instance.url).netloc
    response = come_back(client, target)
    assert response.status_code == 302 and response.location.endswith("/settings/channels/")
    channel = db.session.execute(select(Channel).where(Channel.type == "mastodon")).scalar_one()
    host = urlsplit(instance.url).netloc
    assert channel.name == "Mastodon Mitten" and channel.owner_id == staff["admin"].id
    assert channel.settings["account"] == f"@partiet@{host}"
    assert channel.settings["account_url"] == f"{instance.url}/@partiet"
    assert channel.settings["visibility"] == "unlisted"
    secrets = credentials.decrypt(channel.credentials)
    assert set(secrets) == {"client_id", "client_secret", "access_token"}
    (app_row,) = db.session.execute(select(MastodonApp)).scalars().all()
    assert app_row.redirect_uri == "http://localhost/settings/channels/mastodon/callback"
    assert secrets["access_token"] not in app_row.credentials  # encrypted, never plain
    registered = next(iter(instance.apps.values()))
    assert registered["scopes"] == ["read", "write:statuses", "write:media"]
    listing = client.get("/settings/channels/").get_data(as_text=True)
    assert f"@partiet@{host}" in listing and secrets["access_token"] not in listing
    tested = client.form(f"/settings/channels/{channel.id}/test", follow_redirects=True)
    assert f"as @partiet@{host}" in tested.get_data(as_text=True)


def test_one_app_per_instance_serves_several_accounts(staff, instance):
    first = connect(staff["admin"], instance, name="Partiet", login_as="partiet")
    second = connect(staff["admin"], instance, name="Gruppledaren", login_as="gruppledaren")
    assert len(instance.apps) == 1
    assert db.session.execute(select(MastodonApp)).scalars().all().__len__() == 1
    assert first.settings["account"] != second.settings["account"]


def test_the_same_account_twice_is_refused(app, staff, instance, channel):
    client = login_as(app, staff["admin"])
    response = come_back(client, start(client, instance, name="Igen"))
    page = client.get(response.location).get_data(as_text=True)
    assert "is already connected as the channel Mastodon Mitten" in page


def test_a_denied_authorisation_says_so(app, staff, instance):
    client = login_as(app, staff["admin"])
    instance.deny_next = True
    response = come_back(client, start(client, instance))
    page = client.get(response.location).get_data(as_text=True)
    assert "You did not allow commsdesk to post on" in page
    assert db.session.execute(select(Channel).where(Channel.type == "mastodon")).first() is None


def test_a_forged_or_expired_state_says_so(app, staff, instance, monkeypatch):
    client = login_as(app, staff["admin"])
    back = authorize(start(client, instance))
    forged = re.sub(r"state=[^&]+", "state=forged", back)
    page = client.get(forged, follow_redirects=True).get_data(as_text=True)
    assert "does not belong to a connection started here" in page
    monkeypatch.setattr(mastodon_connect, "STATE_MAX_AGE", -1)
    page = client.get(back, follow_redirects=True).get_data(as_text=True)
    assert "has expired" in page
    assert db.session.execute(select(Channel).where(Channel.type == "mastodon")).first() is None


def test_another_users_answer_is_refused(app, staff, instance):
    admin, editor = login_as(app, staff["admin"]), login_as(app, staff["editor"])
    back = authorize(start(admin, instance))
    page = editor.get(back, follow_redirects=True).get_data(as_text=True)
    assert "another person started" in page


def test_a_private_address_is_refused_without_the_setting(app, staff, instance):
    app.config["CHANNEL_PRIVATE_HOSTS"] = False
    client = login_as(app, staff["admin"])
    response = client.form("/settings/channels/mastodon/", {
        "instance_url": instance.url, "name": "Lokal", "visibility": "public"})
    assert response.status_code == 422
    assert "private network" in response.get_data(as_text=True)
    assert instance.apps == {}


def test_reconnect_keeps_the_channel_and_clears_its_problem(app, staff, instance, channel):
    instance.revoke()
    channel.problem = "Mastodon refused the channel's access: The access token is invalid"
    db.session.commit()
    old_token = credentials.decrypt(channel.credentials)["access_token"]
    client = login_as(app, staff["admin"])
    assert client.get(f"/settings/channels/{channel.id}").location.endswith(
        f"/settings/channels/mastodon/{channel.id}")
    page = client.get(f"/settings/channels/mastodon/{channel.id}").get_data(as_text=True)
    assert "Reconnect" in page and "The access token is invalid" in page
    response = client.form(f"/settings/channels/mastodon/{channel.id}/reconnect")
    target = LINK_RE.search(response.get_data(as_text=True)).group(1).replace("&amp;", "&")
    assert "force_login=true" in target
    assert come_back(client, target).status_code == 302
    db.session.refresh(channel)
    assert channel.problem is None
    assert credentials.decrypt(channel.credentials)["access_token"] != old_token
    assert db.session.execute(select(Channel).where(Channel.type == "mastodon")).scalars() \
        .all() == [channel]
    actions = db.session.execute(select(AuditEntry.action)).scalars().all()
    assert "channel.problem_cleared" in actions


def test_reconnecting_as_another_account_is_refused(staff, instance, channel):
    import pytest

    from commsdesk.errors import ValidationError

    with pytest.raises(ValidationError, match="Sign in as"):
        connect(staff["admin"], instance, login_as="someone", channel=channel)


def test_name_and_visibility_are_changed_on_the_channels_page(app, staff, channel):
    client = login_as(app, staff["admin"])
    response = client.form(f"/settings/channels/mastodon/{channel.id}",
                           {"name": "Partiets Mastodon", "visibility": "private"})
    assert response.status_code == 302
    db.session.refresh(channel)
    assert channel.name == "Partiets Mastodon" and channel.settings["visibility"] == "private"


def test_contributors_and_other_organisations_cannot_connect(app, staff, channel):
    from conftest import make_org, make_user

    contributor = make_user(staff["admin"].organisation, "contributor")
    stranger = make_user(make_org("grona"), "admin")
    client = login_as(app, contributor)
    assert client.get("/settings/channels/mastodon/").status_code == 403
    client = login_as(app, stranger)
    assert client.get(f"/settings/channels/mastodon/{channel.id}").status_code == 404
    assert client.form(f"/settings/channels/mastodon/{channel.id}/reconnect").status_code == 404
