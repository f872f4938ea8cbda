"""An organisation with LinkedIn, webhook and by-hand channels, the local LinkedIn server
and webhook receiver they talk to, and an approved social post with an image."""
import pytest
from conftest import make_document, make_user

from commsdesk import media, workflow
from commsdesk.publishing import channels

from . import linkedin_server as li
from .linkedin_server import LinkedIn
from .webhook_receiver import Receiver


@pytest.fixture
def private_hosts(app):
    before = app.config.get("CHANNEL_PRIVATE_HOSTS")
    app.config["CHANNEL_PRIVATE_HOSTS"] = True
    yield
    app.config["CHANNEL_PRIVATE_HOSTS"] = before


@pytest.fixture
def linkedin(app):
    server = LinkedIn().start()
    before = {k: app.config.get(k) for k in ("LINKEDIN_API_URL", "LINKEDIN_OAUTH_URL")}
    app.config.update(LINKEDIN_API_URL=server.url, LINKEDIN_OAUTH_URL=server.url)
    yield server
    app.config.update(before)
    server.stop()


@pytest.fixture
def receiver():
    server = Receiver().start()
    yield server
    server.stop()


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin"), "contributor": make_user(org, "contributor")}


def linkedin_channel(admin, refresh=True, **values):
    return channels.save(admin, "linkedin", values={
        "name": "LinkedIn", "page_id": li.ORGANISATION, "access_token": li.ACCESS_TOKEN,
        "refresh_token": li.REFRESH_TOKEN if refresh else "", "client_id": li.CLIENT_ID,
        "client_secret": li.CLIENT_SECRET, **values})


def jpeg(width=800, height=600):
    """A JPEG with a gradient and some noise (a photo as the media library accepts it)."""
    import io
    import random

    from PIL import Image

    noise = Image.frombytes("L", (width, height), random.Random(3).randbytes(width * height))
    gradient = Image.linear_gradient("L").resize((width, height))
    out = io.BytesIO()
    Image.merge("RGB", (Image.blend(gradient, noise, 0.2), gradient, noise)).save(out, "JPEG")
    return out.getvalue()


def social_post(staff, body="Vi bygger en ny förskola i Åby (äntligen) #älvstad", image=True,
                **content):
    """An approved social post, with an image described for screen readers."""
    doc = make_document(staff["editor"], kind="social_post", title="Förskola i Åby", body=body,
                        **content)
    if image:
        picture = media.upload(staff["editor"], "forskola.jpg", jpeg(),
                               alt_text="Barn leker på förskolans gård")
        media.attach(staff["editor"], doc, picture.id)
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    return doc
