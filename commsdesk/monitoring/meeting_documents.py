"""The municipality's meeting documents: a web page that lists agendas and papers
(kallelser, handlingar, protokoll) as PDF links, read into one item per PDF.

The contract, as the poller sees it (`read(source, fetched, now)`):
- A link is a PDF when its path ends with ``.pdf``, its ``type`` is ``application/pdf``, or
  its text says "pdf" as a word ("Kallelse KF 24 november (pdf, 2 MB)"); only http(s)
  links count, resolved against the page's address (and its ``<base href>``).
- Links the desk has never seen are fetched first, in page order (municipalities list
  the newest at the top); the known ones are then re-checked from the top with a
  conditional GET (the ETag and Last-Modified the item keeps). At most MAX_FETCHES PDFs
  are fetched per poll and for at most SECONDS_PER_POLL; the rest wait for the next poll.
- A PDF whose bytes (sha256) are what the item already holds is not read again (a new
  ETag or Last-Modified is kept on the item in place; the caller commits).
- A new or changed PDF becomes an Entry(kind="pdf") with one text per page (at most
  MAX_PAGES pages, and only the pages read within SECONDS_PER_PDF).
- **A PDF that cannot be read** (damaged, encrypted, not a PDF at all) does not stop the
  others and raises nothing: it becomes an Entry with ``pages == []`` and ``text == ""``,
  its link and title, the sha256 of its bytes (so the same broken file is not read on every
  poll) and a one-sentence ``summary_html`` in the organisation's language saying why. A
  PDF that could not be *fetched* (an HTTP error, too large, refused) gives no entry and is
  tried again at the next poll.
- Either way the returned list (an ``Entries``) carries ``problems``: one line in plain
  words per PDF that could not be fetched or read; ``problem_summary()`` puts them in one
  sentence ("1 of 3 PDFs could not be read: handlingar.pdf (the file is damaged)") for the
  source's check. ``read`` itself raises nothing for a single PDF.
"""
import hashlib
import io
import logging
import re
import time
from email.utils import parsedate_to_datetime
from html.parser import HTMLParser
from posixpath import basename
from urllib.parse import unquote, urljoin, urlsplit

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import escape
from pypdf import PdfReader
from sqlalchemy import select

from ..extensions import db
from ..models import Item
from . import fetching, items, watch

log = logging.getLogger(__name__)

MAX_FETCHES = 20          # PDFs fetched (or re-checked) per poll
MAX_PAGES = 1000          # pages read from one PDF
SECONDS_PER_PDF = 60      # text extraction stops after this long (the pages read so far count)
SECONDS_PER_POLL = 300    # no further PDF is fetched after this long
DEFAULT_MAX_PDF_BYTES = 30 * 1000 * 1000
PDF_ACCEPT = "application/pdf, */*;q=0.5"
SAYS_PDF = re.compile(r"\bpdf\b", re.IGNORECASE)


class Entries(list):
    """The entries a read found, and `problems`: one line per PDF that could not be
    fetched or read."""

    def __init__(self, entries=(), problems=(), tried=0):
        super().__init__(entries)
        self.problems = list(problems)
        self.tried = tried

    def problem_summary(self):
        """The problems in one sentence, or None when every PDF was read."""
        if not self.problems:
            return None
        return _("%(failed)d of %(total)d PDFs could not be read: %(names)s",
                 failed=len(self.problems), total=self.tried,
                 names="; ".join(self.problems))


class _Links(HTMLParser):
    """Collects (href, type, text, title) of every anchor, and the page's <base href>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.anchors, self.base, self._open = [], None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "base" and self.base is None and attrs.get("href"):
            self.base = attrs["href"]
        elif tag == "a":
            self._open = [attrs.get("href") or "", attrs.get("type") or "", [],
                          attrs.get("title") or ""]
            self.anchors.append(self._open)

    def handle_endtag(self, tag):
        if tag == "a":
            self._open = None

    def handle_data(self, data):
        if self._open is not None:
            self._open[2].append(data)


def _decode(fetched):
    """The page's text: UTF-8, else Windows-1252 (what older municipal sites send)."""
    try:
        return fetched.body.decode("utf-8")
    except UnicodeDecodeError:
        return fetched.body.decode("cp1252", errors="replace")


def pdf_links(html, page_url):
    """[(url, title)] of the PDF links of a page, each once, in page order."""
    parser = _Links()
    parser.feed(html)
    parser.close()
    base = urljoin(page_url, parser.base) if parser.base else page_url
    found, seen = [], set()
    for href, kind, text, title in parser.anchors:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        text = " ".join("".join(text).split())
        is_pdf = (parts.path.lower().endswith(".pdf") or kind.lower() == "application/pdf"
                  or SAYS_PDF.search(text) or SAYS_PDF.search(title))
        key = items.canonical_link(url)
        if parts.scheme not in ("http", "https") or not is_pdf or key in seen:
            continue
        seen.add(key)
        found.append((url.split("#")[0], text or title.strip() or _file_name(url)))
    return found


def _file_name(url):
    return unquote(basename(urlsplit(url).path)) or url


def _known(organisation_id, links):
    """{url: Item} of the links already stored for the organisation."""
    keys = {items.dedup_key(items.Entry(link=url)): url for url, _title in links}
    rows = db.session.execute(select(Item).where(
        Item.organisation_id == organisation_id, Item.dedup_key.in_(list(keys)))).scalars()
    return {keys[row.dedup_key]: row for row in rows}


def _max_bytes():
    return current_app.config.get("MONITOR_MAX_PDF_BYTES") or DEFAULT_MAX_PDF_BYTES


def read(source, fetched, now):
    """The new and changed PDFs listed on a documents page, as entries (see the module's
    docstring for what is fetched, in which order, and what an unreadable PDF gives)."""
    links = pdf_links(_decode(fetched), fetched.url)
    known = _known(source.organisation_id, links) if links else {}
    # Never seen first (in page order), then the known ones from the top of the page.
    queue = ([link for link in links if link[0] not in known]
             + [link for link in links if link[0] in known])[:MAX_FETCHES]
    result = Entries()
    started = time.monotonic()
    with force_locale(watch.language(source.organisation_id)):
        for url, title in queue:
            if time.monotonic() - started > SECONDS_PER_POLL:
                break
            result.tried += 1
            entry, problem = _read_one(source, url, title, known.get(url))
            if entry is not None:
                result.append(entry)
            if problem:
                result.problems.append(f"{_file_name(url)} ({problem})")
    return result


def _read_one(source, url, title, item):
    """(an Entry or None, a problem in plain words or None) for one PDF link."""
    try:
        got = fetching.fetch(url, etag=item.etag if item else None,
                             last_modified=item.last_modified if item else None,
                             max_bytes=_max_bytes(), organisation_id=source.organisation_id,
                             accept=PDF_ACCEPT)
    except fetching.FetchError as exc:
        return None, str(exc)
    if got.not_modified:
        return None, None
    if got.status >= 400:
        return None, _("the server answered %(status)d", status=got.status)
    digest = hashlib.sha256(got.body).hexdigest()
    if item is not None and item.content_hash == digest:
        # The same bytes: keep what the server says now, so the next poll can ask with it.
        item.etag = got.etag or item.etag
        item.last_modified = got.last_modified or item.last_modified
        return None, None
    entry = items.Entry(kind="pdf", guid="", link=url, title=title, content_hash=digest,
                        etag=got.etag, last_modified=got.last_modified,
                        published_at=_published(got.last_modified))
    pages, problem = extract_pages(got.body)
    entry.pages, entry.text = pages, "\n\n".join(pages)
    if problem:
        entry.summary_html = "<p>{}</p>".format(escape(_(
            "This document could not be read (%(reason)s). Open the link to read it.",
            reason=problem)))
    return entry, problem


def _published(last_modified):
    try:
        return parsedate_to_datetime(last_modified) if last_modified else None
    except (TypeError, ValueError):
        return None


def extract_pages(body, max_pages=MAX_PAGES, seconds=SECONDS_PER_PDF):
    """(texts of the pages, None), or ([], why it cannot be read in plain words). pypdf's own
    limits guard against decompression bombs (75 MB per stream); pages past `max_pages`
    or read after `seconds` are left out."""
    if b"%PDF-" not in body[:1024]:  # the header may follow some junk, as readers allow
        return [], _("not a PDF file")
    try:
        reader = PdfReader(io.BytesIO(body), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            return [], _("the file is protected with a password")
        pages, started = [], time.monotonic()
        for page in reader.pages[:max_pages]:
            if time.monotonic() - started > seconds:
                break
            pages.append(page.extract_text() or "")
        return pages, None
    except Exception:  # pypdf raises many kinds of error on a damaged file
        log.info("unreadable PDF", exc_info=True)
        return [], _("the file is damaged")
