"""Newsroom answers are cacheable: ETag/Last-Modified with 304s, and the page cache follows
publishing and withdrawing without being told."""
from commsdesk import newsroom, workflow

from .conftest import path_of, published


def test_etag_last_modified_and_304(client, world):
    published(world, title="Cachad")
    first = client.get("/n/mitten/")
    assert first.status_code == 200
    assert first.headers["Cache-Control"] in ("public, max-age=60", "max-age=60, public")
    assert first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get("/n/mitten/", headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    since = client.get("/n/mitten/", headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    other = client.get("/n/mitten/", headers={"If-None-Match": '"something-else"'})
    assert other.status_code == 200
    for url in ("/n/mitten/feed.rss", "/n/mitten/sitemap.xml", "/n/mitten/news"):
        response = client.get(url)
        assert response.headers["ETag"], url
        etag = response.headers["ETag"]
        assert client.get(url, headers={"If-None-Match": etag}).status_code == 304


def test_cache_follows_publish_and_withdraw(client, world):
    first = client.get("/n/mitten/")
    assert len(newsroom.pages) == 1
    assert client.get("/n/mitten/").headers["ETag"] == first.headers["ETag"]
    doc = published(world, title="Färsk nyhet")
    fresh = client.get("/n/mitten/")
    assert fresh.headers["ETag"] != first.headers["ETag"]
    assert "Färsk nyhet" in fresh.get_data(as_text=True)
    assert client.get("/n/mitten/", headers={"If-None-Match": first.headers["ETag"]}) \
        .status_code == 200
    assert client.get(path_of(doc)).status_code == 200
    workflow.withdraw(world.editor, doc)
    assert "Färsk nyhet" not in client.get("/n/mitten/").get_data(as_text=True)
    assert client.get(path_of(doc)).status_code == 410


def test_same_generation_in_every_process(world):
    published(world, title="En")
    one = newsroom.generation(world.org)
    newsroom.pages.clear()  # another process has an empty cache but computes the same key
    assert newsroom.generation(world.org) == one
