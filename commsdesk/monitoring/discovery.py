"""Feed autodiscovery: the feeds a web page names in <link rel="alternate"
type="application/rss+xml|application/atom+xml" href="...">, and telling a feed from a page."""
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

FEED_TYPES = ("application/rss+xml", "application/atom+xml")
_FEED_STARTS = (b"<rss", b"<feed", b"<rdf:rdf", b"<?xml")
_PAGE_STARTS = (b"<!doctype html", b"<html")


@dataclass
class Found:
    url: str
    title: str
    type: str


class _LinkParser(HTMLParser):
    def __init__(self, base):
        super().__init__(convert_charrefs=True)
        self.base, self.found = base, []

    def handle_starttag(self, tag, attrs):
        values = {name.lower(): (value or "") for name, value in attrs}
        if tag == "base" and values.get("href"):
            self.base = urljoin(self.base, values["href"].strip())
        if tag != "link":
            return
        rels = values.get("rel", "").lower().split()
        kind = values.get("type", "").lower().split(";")[0].strip()
        href = values.get("href", "").strip()
        if "alternate" in rels and kind in FEED_TYPES and href:
            self.found.append(Found(urljoin(self.base, href), values.get("title", ""), kind))

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def _text(fetched):
    charset = "utf-8"
    content_type = {k.lower(): v for k, v in fetched.headers.items()}.get("content-type", "")
    for part in content_type.split(";")[1:]:
        name, _eq, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip("\"' ")
    try:
        return fetched.body.decode(charset, errors="replace")
    except LookupError:
        return fetched.body.decode("utf-8", errors="replace")


def feeds_in_page(fetched):
    """The feeds a fetched HTML page names, in page order, without repeats."""
    parser = _LinkParser(fetched.url)
    try:
        parser.feed(_text(fetched))
        parser.close()
    except (AssertionError, ValueError):
        pass  # a broken page: whatever was found before the break
    seen, found = set(), []
    for item in parser.found:
        if item.url not in seen and item.url.startswith(("http://", "https://")):
            seen.add(item.url)
            found.append(item)
    return found


def looks_like_feed(fetched):
    """Whether the fetched answer is a feed rather than a web page (by its type, else by
    its first bytes)."""
    content_type = {k.lower(): v for k, v in fetched.headers.items()}.get(
        "content-type", "").lower()
    if "html" in content_type:
        return False
    if any(word in content_type for word in ("rss", "atom", "xml")):
        return True
    start = fetched.body[:512].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if start.startswith(_PAGE_STARTS):
        return False
    return start.startswith(_FEED_STARTS)
