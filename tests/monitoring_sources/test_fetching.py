"""Fetching safely: only http(s), no private addresses (also through redirects) unless an
admin allowed the host, limits on time and size, conditional GET, HTTP errors in words."""
import time

import pytest

from commsdesk.monitoring import fetching
from commsdesk.monitoring.fetching import FetchError, fetch


def _fails(url, org=None, **kwargs):
    with pytest.raises(FetchError) as caught:
        fetch(url, organisation_id=org.id if org else None, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://example.org/feed.xml",
                                 "data:text/xml,<rss/>", "gopher://x/"])
def test_only_web_addresses_are_followed(app, url):
    assert "Only web addresses (http or https)" in _fails(url)


@pytest.mark.parametrize("address", ["127.0.0.1", "10.0.0.1", "169.254.169.254",
                                     "192.168.1.1", "0.0.0.0", "224.0.0.1", "100.64.0.1",
                                     "::1", "::ffff:127.0.0.1", "fe80::1", "fc00::1", "::"])
def test_private_and_local_addresses_are_refused(address):
    assert not fetching.is_public(address)


def test_public_addresses_pass():
    assert fetching.is_public("93.184.216.34") and fetching.is_public("2606:4700::1111")
    assert not fetching.is_public("::ffff:10.0.0.1")


def test_loopback_is_refused_unless_the_organisation_allows_it(app, feeds, office):
    org, _editor, _admin = office
    assert "private or local network" in _fails(feeds.url.replace("127.0.0.1", "localhost")
                                                + "/rss.xml", org)
    assert "private or local network" in _fails(feeds.url + "/rss.xml")  # no organisation
    assert fetch(feeds.url + "/rss.xml", organisation_id=org.id).status == 200


def test_the_operator_may_allow_a_host(app, feeds, monkeypatch):
    monkeypatch.setitem(app.config, "MONITOR_ALLOWED_HOSTS", ["127.0.0.1"])
    assert b"<rss" in fetch(feeds.url + "/rss.xml").body


@pytest.mark.parametrize("target", ["http://localhost:{port}/rss.xml",
                                    "http://169.254.169.254/latest/meta-data/",
                                    "http://10.0.0.1/", "http://[::1]:{port}/rss.xml",
                                    "file:///etc/passwd"])
def test_a_redirect_to_a_private_address_is_refused_without_connecting(app, feeds, office,
                                                                       target):
    org = office[0]
    target = target.format(port=feeds.server.server_address[1])
    started = time.monotonic()
    message = _fails(f"{feeds.url}/to?to={target}", org)
    assert "private or local network" in message or "Only web addresses" in message
    assert time.monotonic() - started < 0.9  # refused before any connection was tried
    assert feeds.hits.get("/rss.xml") is None


def test_a_redirect_loop_is_a_plain_error(app, feeds, office):
    assert "loop" in _fails(feeds.url + "/loop-a", office[0])


def test_redirects_are_followed_to_a_public_feed(app, feeds, office):
    fetched = fetch(f"{feeds.url}/to?to=/atom.xml", organisation_id=office[0].id)
    assert fetched.url == feeds.url + "/atom.xml" and b"<feed" in fetched.body


def test_a_server_that_never_answers_fails_in_time(app, silent, office):
    started = time.monotonic()
    message = _fails(silent + "/feed", office[0])
    assert "did not answer within 1 seconds" in message
    assert time.monotonic() - started < 3


def test_a_dripping_server_is_stopped_at_the_deadline(app, feeds, office):
    started = time.monotonic()
    assert "longer than 2 seconds" in _fails(feeds.url + "/drip.xml", office[0])
    assert time.monotonic() - started < 4


def test_a_50_mb_feed_is_refused_without_reading_it_all(app, feeds, office):
    assert "larger than 5 MB" in _fails(feeds.url + "/huge-declared.xml", office[0])
    assert "larger than 5 MB" in _fails(feeds.url + "/huge.xml", office[0])
    assert feeds.sent_huge < 30 * 1024 * 1024


def test_a_gzip_bomb_is_refused(app, feeds, office):
    assert len(feeds.bomb) < 200_000
    assert "larger than 5 MB" in _fails(feeds.url + "/bomb.xml", office[0])


def test_conditional_get_with_etag_and_last_modified(app, feeds, office):
    org = office[0].id
    first = fetch(feeds.url + "/conditional.xml", organisation_id=org)
    assert first.status == 200 and first.etag == '"v1"'
    again = fetch(feeds.url + "/conditional.xml", etag=first.etag, organisation_id=org)
    assert again.not_modified and again.body == b""
    modified = fetch(feeds.url + "/modified.xml", organisation_id=org)
    assert modified.etag is None and modified.last_modified
    assert fetch(feeds.url + "/modified.xml", last_modified=modified.last_modified,
                 organisation_id=org).status == 304


def test_http_errors_in_plain_words(app, feeds, office):
    org = office[0]
    assert _fails(feeds.url + "/nothing.xml", org) == (
        "The server answered 404 Not Found: the address may have moved.")
    assert "410 Gone: the address may have moved" in _fails(feeds.url + "/gone.xml", org)
    feeds.broken.add("/rss.xml")
    assert "500 Internal Server Error: it has a problem of its own" in _fails(
        feeds.url + "/rss.xml", org)


def test_an_unknown_host_is_a_plain_error(app):
    assert "could not be found" in _fails("http://no-such-host.invalid/feed.xml")
