"""Reading an RSS or Atom feed (feedparser) into entries. A document that declares XML
entities or names an external DTD is refused before it is parsed (billion laughs, XXE);
feedparser finds the encoding from the XML declaration and the Content-Type header."""
import codecs
import html
import io
import re
from datetime import UTC, datetime
from urllib.parse import urljoin

import feedparser
import nh3
from flask_babel import gettext as _

from . import discovery
from .fetching import FetchError
from .items import Entry

# More entries than this in one feed are not read (the newest come first in practice).
MAX_ENTRIES = 500
_MISC = re.compile(r"\s*(?:<\?.*?\?>|<!--.*?-->)", re.S)
_DOCTYPE = re.compile(r"\s*<!DOCTYPE\b", re.I)
_EXTERNAL = re.compile(r"\b(?:SYSTEM|PUBLIC)\b")
_SPACES = re.compile(r"\s+")


def _as_text(body):
    """The document as text good enough to read its markup (all of which is ASCII)."""
    if body.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) \
            or body[:4] in (b"<\x00?\x00", b"\x00<\x00?"):
        return body.decode("utf-16", errors="replace")
    return body.decode("latin-1")


def doctype(body):
    """The document's DOCTYPE declaration (with its internal subset), or ""."""
    text = _as_text(body).lstrip("\ufeff")
    pos = 0
    while (match := _MISC.match(text, pos)) and match.end() > pos:
        pos = match.end()
    match = _DOCTYPE.match(text, pos)
    if not match:
        return ""
    end = text.find(">", match.end())
    bracket = text.find("[", match.end())
    if bracket != -1 and (end == -1 or bracket < end):
        close = text.find("]", bracket)
        end = text.find(">", close) if close != -1 else -1
    return text[match.start():] if end == -1 else text[match.start():end + 1]


def refuse_unsafe(body):
    """FetchError for a document that declares entities or refers to an external DTD."""
    declaration = doctype(body)
    if not declaration:
        return
    if "<!ENTITY" in declaration.upper():
        raise FetchError(_("The feed declares XML entities, which are refused for safety."))
    head = declaration.split("[", 1)[0]
    if _EXTERNAL.search(head.upper()):
        raise FetchError(_("The feed refers to an external DTD, which is refused for "
                           "safety."))


def parse(fetched):
    """feedparser's result for the fetched bytes (refused first if unsafe)."""
    refuse_unsafe(fetched.body)
    headers = {key.lower(): value for key, value in fetched.headers.items()}
    # No content-location: feedparser would resolve a guid like "posten-1" against it as a
    # link; entries' links are resolved in entry_of instead.
    return feedparser.parse(io.BytesIO(fetched.body), response_headers={
        "content-type": headers.get("content-type", "application/xml"),
        "content-language": headers.get("content-language", ""),
    })


def read(source, fetched, now):
    """The entries of the feed a source fetched; FetchError in plain words when it is not a
    feed that can be read (malformed XML with no entries, an HTML page, unsafe XML)."""
    parsed = parse(fetched)
    if not parsed.entries:
        if not parsed.get("version") and not discovery.looks_like_feed(fetched):
            raise FetchError(_("The address gives no RSS or Atom feed."))
        if parsed.bozo:
            raise FetchError(_("The feed is not valid XML and no entries could be read "
                               "from it."))
    return [entry_of(raw, fetched.url) for raw in parsed.entries[:MAX_ENTRIES]]


def plain_text(markup):
    """Text of HTML: tags dropped (scripts and styles with their content), entities read,
    whitespace collapsed."""
    if not markup:
        return ""
    return _SPACES.sub(" ", html.unescape(nh3.clean(markup, tags=set()))).strip()


def _time(raw):
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        value = raw.get(key)
        if value:
            try:
                return datetime(*value[:6], tzinfo=UTC)
            except (TypeError, ValueError):
                continue
    return None


def entry_of(raw, base=""):
    """One feedparser entry as an Entry (its HTML is sanitised when stored); a relative
    link is read against the feed's address."""
    content = raw.get("content") or []
    summary = content[0].get("value", "") if content else raw.get("summary", "")
    return Entry(
        guid=str(raw.get("id") or ""),
        link=urljoin(base, str(raw.get("link") or "")) if raw.get("link") else "",
        title=plain_text(raw.get("title") or ""),
        author=plain_text(raw.get("author") or ""),
        summary_html=summary or "",
        text=plain_text(summary),
        published_at=_time(raw),
        kind="entry",
    )
