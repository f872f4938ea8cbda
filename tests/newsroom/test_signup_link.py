"""The newsroom links to the public signup form while the organisation keeps it open; the
page cache follows the setting (the link appears and disappears without anyone clearing it)."""
from commsdesk import newsroom
from commsdesk.audience import settings

from .conftest import path_of, published

LINK = 'href="/n/mitten/join"'


def _signup(world, open_):
    settings.save(world.admin, world.org, {"signup_open": "on" if open_ else ""})


def test_link_follows_the_setting_through_the_page_cache(client, world):
    doc = published(world, kind="op_ed", title="Debatt")
    closed = client.get("/n/mitten/")
    assert LINK not in closed.get_data(as_text=True)
    assert len(newsroom.pages) == 1  # the page is kept: a new setting must make a new key
    _signup(world, True)
    opened = client.get("/n/mitten/")
    page = opened.get_data(as_text=True)
    assert LINK in page and "Prenumerera på vårt medlemsbrev" in page  # the newsroom speaks Swedish
    assert opened.headers["ETag"] != closed.headers["ETag"]
    assert client.get("/n/mitten/join").status_code == 200
    assert LINK in client.get("/n/mitten/opinion").get_data(as_text=True)
    _signup(world, False)
    assert LINK not in client.get("/n/mitten/").get_data(as_text=True)
    assert client.get("/n/mitten/join").status_code == 404
    assert LINK not in client.get(path_of(doc)).get_data(as_text=True)


def test_link_in_the_newsroom_language(client, world):
    _signup(world, True)
    page = client.get("/n/mitten/", headers={"Accept-Language": "sv"}).get_data(as_text=True)
    assert LINK in page
