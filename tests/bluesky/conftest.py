"""An organisation with a Bluesky channel on a local PDS (bluesky_server), and approved
texts to publish there."""
import pytest
from conftest import make_document, make_user

from commsdesk import media, workflow
from commsdesk.channels import http
from commsdesk.publishing import channels

from .bluesky_server import APP_PASSWORD, HANDLE, Pds


@pytest.fixture
def private_hosts(app):
    """Channel addresses on 127.0.0.1 are allowed (the local PDS lives there)."""
    before = app.config.get("CHANNEL_PRIVATE_HOSTS")
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    yield
    app.config["CHANNEL_PRIVATE_HOSTS"] = before


@pytest.fixture
def pds():
    server = Pds().start()
    yield server
    server.stop()


@pytest.fixture
def short_timeout(monkeypatch):
    """A read timeout of half a second, so a reply delayed past it does not slow the suite."""
    monkeypatch.setattr(http, "TIMEOUT", (2, 0.5))


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin")}


def connect(user, pds, name="Partiet på Bluesky", handle=HANDLE, password=APP_PASSWORD):
    """A Bluesky channel saved through the generic connection form's domain function."""
    return channels.save(user, "bluesky", values={
        "name": name, "pds_url": pds.url, "handle": handle, "app_password": password})


@pytest.fixture
def bsky_channel(staff, pds, private_hosts):
    return connect(staff["admin"], pds)


def approved(staff, text=None, kind="social_post", title="Förskolor i Åby", images=(),
             **content):
    """An approved text: a social post whose Bluesky variant is `text`, or another kind,
    with the given images (Media) attached before it is approved."""
    if kind == "social_post":
        content.setdefault("variants", {"bluesky": text or "Hej Åby!"})
        doc = make_document(staff["editor"], kind=kind, title=title, body=text or "Hej!",
                            **content)
    else:
        doc = make_document(staff["editor"], kind=kind, title=title, body="Vi bygger nytt.",
                            lead="Kort ingress om förskolorna.", **content)
    for image in images:
        media.attach(staff["editor"], doc, image.id)
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    return doc
