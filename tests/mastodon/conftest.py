"""Mastodon channels connected through the real OAuth flow to local instances
(mastodon_server), and approved social posts to send on them."""
import io
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from conftest import make_document, make_user
from PIL import Image

from commsdesk import media, workflow
from commsdesk.publishing import mastodon_connect

from .mastodon_server import Mastodon

CALLBACK = "http://localhost/settings/channels/mastodon/callback"


@pytest.fixture
def private_hosts(app):
    """Instances on 127.0.0.1 are allowed (the local servers live there)."""
    before = app.config.get("CHANNEL_PRIVATE_HOSTS")
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    yield
    app.config["CHANNEL_PRIVATE_HOSTS"] = before


@pytest.fixture
def instance(private_hosts):
    server = Mastodon("social.example").start()
    yield server
    server.stop()


@pytest.fixture
def other_instance(private_hosts):
    server = Mastodon("other.example").start()
    yield server
    server.stop()


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin")}


def authorize(url):
    """Follow the instance's authorize page; returns the path and query it sends back to."""
    response = requests.get(url, allow_redirects=False, timeout=5)
    assert response.status_code == 302, response.text
    location = urlsplit(response.headers["Location"])
    return f"{location.path}?{location.query}"


def connect(user, server, name="Mastodon", visibility="public", login_as=None, channel=None):
    """Connect (or reconnect) a channel through the domain functions and the instance's
    OAuth pages, as the view does."""
    if login_as:
        server.login_as = login_as
    url = mastodon_connect.begin(user, redirect_uri=CALLBACK, website="http://localhost",
                                 instance_url=server.url, name=name, visibility=visibility,
                                 channel=channel)
    query = {k: v[0] for k, v in parse_qs(urlsplit(authorize(url)).query).items()}
    return mastodon_connect.finish(user, state=query["state"], code=query.get("code"),
                                   error=query.get("error"), redirect_uri=CALLBACK)


@pytest.fixture
def channel(staff, instance):
    return connect(staff["admin"], instance, name="Mastodon Mitten")


def png(colour="red", size=(64, 48)):
    out = io.BytesIO()
    Image.new("RGB", size, colour).save(out, "PNG")
    return out.getvalue()


def social_post(staff, text, title="Inlägg", warning="", images=()):
    """An approved social post with this Mastodon text (and images with alt text)."""
    doc = make_document(staff["editor"], kind="social_post", title=title, body=text,
                        variants={"mastodon": text}, fields={"content_warning": warning})
    for filename, alt in images:
        image = media.upload(staff["editor"], filename, png(), alt_text=alt)
        media.attach(staff["editor"], doc, image.id)
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    return doc
