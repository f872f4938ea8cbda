"""An organisation with a WordPress channel served by a local WordPress (wordpress_server)."""
import pytest
from conftest import make_document, make_user

from commsdesk import workflow
from commsdesk.publishing import channels

from .wordpress_server import PASSWORD, USER, WordPress


@pytest.fixture
def private_hosts(app):
    """Channel addresses on 127.0.0.1 are allowed (the local WordPress lives there)."""
    before = app.config.get("CHANNEL_PRIVATE_HOSTS")
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    yield
    app.config["CHANNEL_PRIVATE_HOSTS"] = before


@pytest.fixture
def wp():
    server = WordPress().start()
    yield server
    server.stop()


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin"), "contributor": make_user(org, "contributor")}


@pytest.fixture
def wp_channel(staff, wp, private_hosts):
    return channels.save_wordpress(staff["admin"], name="Partiets webb", site_url=wp.url,
                                   username=USER, application_password=PASSWORD)


def approved(staff, title="Nytt badhus i Åby", kind="press_release", **content):
    """A press release approved by the group leader."""
    doc = make_document(staff["editor"], kind=kind, title=title,
                        body="Vi bygger **nytt**.", lead="Kort ingress.", **content)
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    return doc
