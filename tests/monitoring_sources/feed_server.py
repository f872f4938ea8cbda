"""A local web server of feeds for the monitoring tests: good and broken feeds, a huge one
streamed, a gzip bomb, redirects (also to private addresses), conditional GET, a Latin-1
feed, a page that names its feeds, a server that drips its answer."""
import functools
import time
import zlib
from http.server import BaseHTTPRequestHandler
from urllib.parse import parse_qs, urlsplit

from local_server import LocalServer

LAST_MODIFIED = "Tue, 01 Dec 2026 08:00:00 GMT"
MB = 1024 * 1024

RSS = """<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0"><channel><title>Älvstads-Posten</title><link>https://posten.example/</link>
<description>Lokala nyheter</description>
<item><title>Förskolan i Norrby stänger</title><link>https://posten.example/n/1</link>
<guid>posten-1</guid><pubDate>Tue, 01 Dec 2026 07:30:00 +0100</pubDate>
<author>red@posten.example (Anna Berg)</author>
<description>&lt;p&gt;Kommunen vill &lt;b&gt;stänga&lt;/b&gt; förskolan.
&lt;script&gt;x()&lt;/script&gt;&lt;/p&gt;</description></item>
<item><title>Nytt badhus</title><link>https://posten.example/n/2</link><guid>posten-2</guid>
<description>Badhuset byggs.</description></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Kommunen</title>
<link href="https://kommun.example/"/><id>urn:kommun</id><updated>2026-12-01T09:00:00Z</updated>
<entry><title type="html">Budget &amp;amp; skatt</title><id>urn:kommun:1</id>
<link href="https://kommun.example/nyheter/1"/><updated>2026-12-01T09:00:00Z</updated>
<author><name>Kommunen</name></author>
<content type="html">&lt;p&gt;Skatten höjs med 20 öre.&lt;/p&gt;</content></entry>
</feed>"""

LATIN1 = ("""<?xml version="1.0" encoding="ISO-8859-1"?>
<rss version="2.0"><channel><title>Gröna Älvstad</title><link>https://grona.example/</link>
<description>x</description><item><title>Vår åsikt om ängen och öarna</title>
<link>https://grona.example/1</link><guid>grona-1</guid>
<description>Å, ä och ö.</description></item></channel></rss>""").encode("iso-8859-1")

LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE rss [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title>
<item><title>&lol9;</title></item></channel></rss>"""

XXE = """<?xml version="1.0"?>
<!DOCTYPE rss SYSTEM "file:///etc/passwd">
<rss version="2.0"><channel><title>x</title><item><title>y</title></item></channel></rss>"""

BROKEN = """<?xml version="1.0"?><rss version="2.0"><channel><title>Trasig<title>
<<<< this is not xml at all &&&"""

PAGE = """<!doctype html><html><head><title>Posten</title>
<link rel="stylesheet" href="/style.css">
<link rel="alternate" type="application/rss+xml" title="Nyheter" href="/rss.xml">
<link rel="alternate" type="application/atom+xml" title="Kommunen" href="atom.xml">
</head><body><p>Välkommen</p></body></html>"""

PLAIN_PAGE = "<!doctype html><html><head><title>Ingen feed</title></head><body>Hej</body></html>"


@functools.cache
def gzip_bomb(decoded=50 * MB):
    """gzip of `decoded` zero bytes, made a megabyte at a time (about 50 KB)."""
    packer = zlib.compressobj(9, zlib.DEFLATED, 31)
    block = bytes(MB)
    parts = [packer.compress(block) for _ in range(decoded // MB)]
    return b"".join(parts) + packer.flush()


class FeedServer(LocalServer):
    STATE = "feeds"

    def __init__(self):
        self.hits = {}
        self.sent_huge = 0
        self.bomb = gzip_bomb()
        self.broken = set()  # paths that answer 500 (switched by tests)

    def handler(self):
        return Handler

    def hit(self, path):
        self.hits[path] = self.hits.get(path, 0) + 1


class Handler(BaseHTTPRequestHandler):
    feeds: FeedServer
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def _send(self, status, body=b"", content_type="application/rss+xml; charset=utf-8",
              **headers):
        body = body.encode("utf-8") if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        parts = urlsplit(self.path)
        self.feeds.hit(parts.path)
        if parts.path in self.feeds.broken:
            return self._send(500, "oops", "text/plain")
        route = ROUTES.get(parts.path)
        if route is None:
            return self._send(404, "not here", "text/plain")
        return route(self, parse_qs(parts.query))

    def conditional(self, _query):
        etag, matches = '"v1"', self.headers.get("If-None-Match")
        since = self.headers.get("If-Modified-Since")
        if (matches and matches == etag) or (not matches and since == LAST_MODIFIED):
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return None
        return self._send(200, RSS, ETag=etag, Last_Modified=LAST_MODIFIED)

    def last_modified_only(self, _query):
        if self.headers.get("If-Modified-Since") == LAST_MODIFIED:
            self.send_response(304)
            self.end_headers()
            return None
        return self._send(200, ATOM, "application/atom+xml", Last_Modified=LAST_MODIFIED)

    def redirect(self, query):
        self.send_response(302)
        self.send_header("Location", query["to"][0])
        self.send_header("Content-Length", "0")
        self.end_headers()

    def huge(self, _query):
        """50 MB of feed, made as it is sent (never held in memory), without a length."""
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        item = b"<item><title>" + b"x" * 1000 + b"</title></item>\n"
        self.wfile.write(b'<?xml version="1.0"?><rss version="2.0"><channel><title>Stor</title>')
        try:
            while self.feeds.sent_huge < 50 * MB:
                self.wfile.write(item * 64)
                self.feeds.sent_huge += len(item) * 64
        except OSError:
            pass  # the client stopped reading

    def huge_declared(self, _query):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Content-Length", str(50 * MB))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(b"<?xml version='1.0'?>")

    def bomb(self, _query):
        self._send(200, self.feeds.bomb, Content_Encoding="gzip")

    def drip(self, _query):
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("Connection", "close")
        self.end_headers()
        try:
            for _ in range(100):
                self.wfile.write(b" ")
                self.wfile.flush()
                time.sleep(0.2)
        except OSError:
            pass


ROUTES = {
    "/rss.xml": lambda h, q: h._send(200, RSS),
    "/atom.xml": lambda h, q: h._send(200, ATOM, "application/atom+xml"),
    "/latin1.xml": lambda h, q: h._send(200, LATIN1, "text/xml"),
    "/laughs.xml": lambda h, q: h._send(200, LAUGHS),
    "/xxe.xml": lambda h, q: h._send(200, XXE),
    "/broken.xml": lambda h, q: h._send(200, BROKEN),
    "/page.html": lambda h, q: h._send(200, PAGE, "text/html; charset=utf-8"),
    "/plain.html": lambda h, q: h._send(200, PLAIN_PAGE, "text/html; charset=utf-8"),
    "/conditional.xml": Handler.conditional,
    "/modified.xml": Handler.last_modified_only,
    "/to": Handler.redirect,
    "/loop-a": lambda h, q: h.redirect({"to": ["/loop-b"]}),
    "/loop-b": lambda h, q: h.redirect({"to": ["/loop-a"]}),
    "/huge.xml": Handler.huge,
    "/huge-declared.xml": Handler.huge_declared,
    "/bomb.xml": Handler.bomb,
    "/drip.xml": Handler.drip,
    "/gone.xml": lambda h, q: h._send(410, "gone", "text/plain"),
}
