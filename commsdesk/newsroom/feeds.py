"""The newsroom's feeds (RSS 2.0 and Atom, through feedgen) and its sitemap."""
from urllib.parse import quote

from feedgen.feed import FeedGenerator

from ..models import utcnow
from . import texts as public

FEED_SIZE = 30


def _generator(org, brand, title, page_path, feed_path, texts):
    fg = FeedGenerator()
    fg.id(public.absolute(feed_path))
    fg.title(title)
    fg.author({"name": brand.name})
    # RSS takes the last link as its channel's link: the page, not the feed.
    fg.link(href=public.absolute(feed_path), rel="self")
    fg.link(href=public.absolute(page_path), rel="alternate")
    fg.description(brand.tagline or brand.name)
    fg.subtitle(brand.tagline or brand.name)
    fg.language(brand.locale)
    fg.updated(max((t.public_at for t in texts), default=org.created_at or utcnow()))
    for text in texts:
        _entry(fg.add_entry(order="append"), text)
    return fg


def _entry(entry, text):
    entry.id(text.url)
    entry.guid(text.url, permalink=True)
    entry.title(text.title)
    if text.card_url:
        entry.link(href=text.card_url, rel="enclosure", type="image/jpeg", length="0")
    # After the enclosure: a reader takes the entry's last plain link as the text's address.
    entry.link(href=text.url, rel="alternate")
    if text.lead:
        entry.summary(text.lead)
    entry.content(text.html, type="html")
    entry.published(text.public_at)
    entry.updated(text.public_at)
    for tag in text.payload.get("tags") or []:
        entry.category(term=tag)


def feed(org, brand, fmt, tag=None, title=None, now=None):
    """The newest public texts (with the tag, if given) as an RSS or Atom document (bytes)."""
    base = f"/n/{org.slug}/" + (f"tag/{quote(tag, safe='')}/" if tag else "")
    if tag:
        texts, _more = public.tagged(org, tag, per_page=FEED_SIZE, now=now)
    else:
        texts, _more = public.latest(org, per_page=FEED_SIZE, now=now, full=True)
    fg = _generator(org, brand, title or brand.name, base, base + f"feed.{fmt}", texts)
    return fg.rss_str(pretty=True) if fmt == "rss" else fg.atom_str(pretty=True)
