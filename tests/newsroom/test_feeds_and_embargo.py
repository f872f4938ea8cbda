"""Feeds hold exactly the public texts; an embargoed text leaks nowhere (pages, feeds, tag
feeds, sitemap, search, archive, cache) until its embargo lifts, by itself."""
import time
from datetime import timedelta
from zoneinfo import ZoneInfo

import feedparser

from commsdesk.models import utcnow

from .conftest import path_of, published

FEEDS = ("/n/mitten/feed.rss", "/n/mitten/feed.atom", "/n/mitten/tag/skola/feed.rss",
         "/n/mitten/tag/skola/feed.atom")


def _entries(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.get_data())
    assert not parsed.bozo, (url, parsed.get("bozo_exception"))
    return parsed


def test_feeds_parse_and_hold_exactly_the_public_texts(client, world):
    first = published(world, title="Första", lead="Ingress ett", tags=["skola"])
    second = published(world, kind="op_ed", title="Andra", tags=["skola"])
    published(world, title="Utan tagg")
    for url in FEEDS[:2]:
        feed = _entries(client, url)
        assert sorted(e.title for e in feed.entries) == ["Andra", "Första", "Utan tagg"]
        assert feed.feed.title == "Mitten"
    for url in FEEDS[2:]:
        feed = _entries(client, url)
        assert sorted(e.title for e in feed.entries) == ["Andra", "Första"]
        links = {e.link for e in feed.entries}
        assert links == {"http://localhost" + path_of(first), "http://localhost" + path_of(second)}
    rss = _entries(client, FEEDS[0])
    entry = next(e for e in rss.entries if e.title == "Första")
    assert entry.summary == "Ingress ett"
    assert [t.term for t in entry.tags] == ["skola"]


def test_hostile_titles_stay_text_in_feeds(client, world):
    published(world, title="<script>alert(1)</script>", tags=["skola"])
    feed = _entries(client, FEEDS[0])
    assert feed.entries[0].title == "<script>alert(1)</script>"
    assert b"<script>" not in client.get(FEEDS[0]).get_data()


def _everywhere(client, doc):
    """Every public answer that could show the text: (url, body) pairs."""
    urls = ["/n/mitten/", "/n/mitten/news", "/n/mitten/tag/skola", "/n/mitten/search?q=hemlig",
            "/n/mitten/archive", "/n/mitten/sitemap.xml", path_of(doc), *FEEDS]
    now = utcnow().astimezone(ZoneInfo("Europe/Stockholm"))
    urls.append(f"/n/mitten/archive/{now.year:04d}/{now.month:02d}")
    return {url: client.get(url) for url in urls}


def test_embargo_never_leaks_and_lifts_by_itself(client, world):
    published(world, title="Redan ute", tags=["skola"])  # so the tag exists before the lift
    lift = utcnow() + timedelta(seconds=3)
    doc = published(world, title="Hemlig nyhet", body="hemlig", tags=["skola"],
                    fields={"embargo": lift.isoformat()})
    before = _everywhere(client, doc)  # also fills the page cache
    assert before[path_of(doc)].status_code == 404
    for url, response in before.items():
        assert "Hemlig nyhet" not in response.get_data(as_text=True), url
        assert path_of(doc) not in response.get_data(as_text=True), url
    time.sleep(max(0, (lift - utcnow()).total_seconds()) + 0.2)
    after = _everywhere(client, doc)  # no worker, no call: the cache keys moved on
    assert after[path_of(doc)].status_code == 200
    for url, response in after.items():
        if url != "/n/mitten/archive":
            assert "Hemlig nyhet" in response.get_data(as_text=True) \
                or path_of(doc) in response.get_data(as_text=True), url
