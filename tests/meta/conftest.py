"""An organisation with Facebook Page, Instagram and Threads channels served by one local
Meta (graph_server), which fetches image links from the app under test."""
import io

import pytest
from conftest import make_document, make_user
from PIL import Image

from commsdesk import media, workflow
from commsdesk.publishing import channels

from .graph_server import IG_USER, PAGE_ID, THREADS_USER, Meta


def jpeg(width=1200, height=900):
    out = io.BytesIO()
    Image.linear_gradient("L").resize((width, height)).convert("RGB").save(out, "JPEG")
    return out.getvalue()


@pytest.fixture
def meta(app):
    """The local Meta; the channels talk to it instead of graph.facebook.com."""
    client = app.test_client()
    base = app.config["BASE_URL"].rstrip("/")

    def fetch(url):
        if not url.startswith(base + "/"):
            return 404, "", b""
        response = client.get(url[len(base):])
        return response.status_code, response.mimetype, response.get_data()

    server = Meta(fetch).start()
    before = {key: app.config.get(key) for key in ("GRAPH_API_URL", "THREADS_API_URL")}
    app.config.update(GRAPH_API_URL=server.url, THREADS_API_URL=server.url)
    yield server
    app.config.update(before)
    server.stop()


@pytest.fixture
def staff(org):
    return {"editor": make_user(org, "editor"), "approver": make_user(org, "approver"),
            "admin": make_user(org, "admin")}


def connect(staff, kind, name=None, **values):
    return channels.save(staff["admin"], kind, values={"name": name or kind.title(), **values})


@pytest.fixture
def facebook(staff, meta):
    return connect(staff, "facebook", "Facebooksidan", page_id=PAGE_ID,
                   access_token="page-token")


@pytest.fixture
def instagram(staff, meta):
    return connect(staff, "instagram", "Instagram", ig_user_id=IG_USER, access_token="ig-token")


@pytest.fixture
def threads(staff, meta):
    return connect(staff, "threads", "Threads", threads_user_id=THREADS_USER,
                   access_token="threads-token")


def post(staff, body="Vi bygger en ny förskola i Åby. https://mitten.example/forskola",
         image=False, alt="Barn leker på förskolegården", **content):
    """An approved social post, with a rendered image if asked."""
    doc = make_document(staff["editor"], kind="social_post", title="Förskola", body=body,
                        **content)
    if image:
        item = media.upload(staff["editor"], "forskola.jpg", jpeg(1200, 900), alt_text=alt)
        media.attach(staff["editor"], doc, item.id)
        media.render_due()
    workflow.submit(staff["editor"], doc)
    workflow.approve(staff["approver"], doc)
    return doc
