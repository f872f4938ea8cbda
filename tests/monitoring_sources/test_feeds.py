"""Reading feeds: RSS, Atom, Latin-1, malformed XML, entities refused; discovery of a
page's feeds; adding a source by a feed's or a page's address."""
from datetime import UTC, datetime

import pytest

from commsdesk.errors import ValidationError
from commsdesk.models import Source
from commsdesk.monitoring import discovery, feeds, sources
from commsdesk.monitoring.fetching import Fetched, FetchError, fetch


def _read(feeds_server, org, path):
    fetched = fetch(feeds_server.url + path, organisation_id=org.id)
    return feeds.read(Source(organisation_id=org.id), fetched, None)


def test_rss_entries(app, feeds, office):
    first, second = _read(feeds, office[0], "/rss.xml")
    assert first.guid == "posten-1" and first.link == "https://posten.example/n/1"
    assert first.title == "Förskolan i Norrby stänger"
    assert first.text == "Kommunen vill stänga förskolan."
    assert "<b>stänga</b>" in first.summary_html
    assert first.published_at == datetime(2026, 12, 1, 6, 30, tzinfo=UTC)
    assert "Anna Berg" in first.author
    assert second.published_at is None and second.text == "Badhuset byggs."


def test_atom_entries(app, feeds, office):
    (entry,) = _read(feeds, office[0], "/atom.xml")
    assert entry.guid == "urn:kommun:1" and entry.title == "Budget & skatt"
    assert entry.text == "Skatten höjs med 20 öre." and entry.author == "Kommunen"
    assert entry.published_at == datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def test_a_latin1_feed_keeps_its_letters(app, feeds, office):
    (entry,) = _read(feeds, office[0], "/latin1.xml")
    assert entry.title == "Vår åsikt om ängen och öarna" and entry.text == "Å, ä och ö."


@pytest.mark.parametrize("path,words", [
    ("/laughs.xml", "The feed declares XML entities, which are refused for safety."),
    ("/xxe.xml", "The feed refers to an external DTD, which is refused for safety."),
    ("/broken.xml", "The feed is not valid XML and no entries could be read from it."),
    ("/plain.html", "The address gives no RSS or Atom feed."),
])
def test_unsafe_or_unreadable_feeds_are_plain_errors(app, feeds, office, path, words):
    with pytest.raises(FetchError) as caught:
        _read(feeds, office[0], path)
    assert str(caught.value) == words


def test_a_doctype_without_entities_is_read():
    body = (b'<?xml version="1.0"?><!-- x --><!DOCTYPE rss>'
            b'<rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
            b'<description><![CDATA[<!DOCTYPE html><!ENTITY x "y">]]></description>'
            b'</item></channel></rss>')
    (entry,) = feeds.read(None, Fetched(url="https://x.example/f", status=200, body=body), None)
    assert entry.guid == "1"


def test_a_malformed_feed_with_entries_is_used():
    body = ('<rss version="2.0"><channel><title>t</title><item><guid>1</guid>'
            '<title>Ett & två</title></item></channel></rss>'.encode())
    (entry,) = feeds.read(None, Fetched(url="https://x.example/f", status=200, body=body), None)
    assert entry.title.startswith("Ett")


def test_discovery_finds_a_pages_feeds_in_order(app, feeds, office):
    fetched = fetch(feeds.url + "/page.html", organisation_id=office[0].id)
    assert not discovery.looks_like_feed(fetched)
    found = discovery.feeds_in_page(fetched)
    assert [f.url for f in found] == [feeds.url + "/rss.xml", feeds.url + "/atom.xml"]
    assert found[0].title == "Nyheter"


def test_adding_a_page_follows_its_first_feed_and_says_which(app, feeds, office):
    _org, editor, _admin = office
    source = sources.add(editor, feeds.url + "/page.html", interval_minutes=15)
    assert source.url == feeds.url + "/rss.xml" and source.name == "Älvstads-Posten"
    assert source.resolved.page == feeds.url + "/page.html"
    assert source.resolved.others == [feeds.url + "/atom.xml"]
    with pytest.raises(ValidationError, match="already followed"):
        sources.add(editor, feeds.url + "/rss.xml")


@pytest.mark.parametrize("url,words", [
    ("/plain.html", "is neither a feed nor a page that names one"),
    ("/nothing", "404 Not Found"),
])
def test_adding_what_is_no_feed_is_refused_in_words(app, feeds, office, url, words):
    with pytest.raises(ValidationError, match=words):
        sources.add(office[1], feeds.url + url)


@pytest.mark.parametrize("url,interval,words", [
    ("file:///etc/passwd", 30, "starting with https://"),
    ("not a url", 30, "starting with https://"),
    ("https://x.example/f", 4, "5 to 1440 minutes"),
    ("https://x.example/f", 1441, "5 to 1440 minutes"),
])
def test_bad_addresses_and_intervals(app, office, url, interval, words):
    with pytest.raises(ValidationError, match=words):
        sources.add(office[1], url, interval_minutes=interval)


def test_a_documents_page_is_added_without_discovery(app, office):
    source = sources.add(office[1], "https://kommun.example/handlingar", kind="documents_page")
    assert source.kind == "documents_page" and source.name == "kommun.example"
