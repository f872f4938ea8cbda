"""Set-up for the triage tests: a source, a watch list and items stored as a poll stores them."""
from datetime import UTC, datetime

from commsdesk.extensions import db
from commsdesk.models import ItemMatch, Source, WatchList
from commsdesk.monitoring import items

WHEN = datetime(2025, 5, 6, 8, 30, tzinfo=UTC)


def source(org, name="Älvstads Tidning", url="https://tidning.example/rss"):
    row = Source(organisation_id=org.id, name=name, url=url)
    db.session.add(row)
    db.session.flush()
    return row


def watch_list(org, terms=("förskola",), name="Skola"):
    row = WatchList(organisation_id=org.id, name=name, terms=list(terms))
    db.session.add(row)
    db.session.flush()
    return row


def item(src, title="Förskolan i Norr stänger", text=None, n=1, **fields):
    """One new item from the source (committed)."""
    entry = items.Entry(guid=f"{src.url}#{n}-{title}", link=f"https://tidning.example/n/{n}",
                        title=title, summary_html="<p>Kommunen stänger förskolan.</p>",
                        text=text if text is not None else f"{title}.\nKommunen stänger "
                                                           "förskolan i Norr i höst.",
                        published_at=WHEN, **fields)
    (row,), _ = items.store(src, [entry])
    db.session.commit()
    return row


def match(row, wl, term="förskola", page=None):
    """The watch list's match in the item (as matching on arrival records it)."""
    if db.session.query(ItemMatch).filter_by(item_id=row.id, watch_list_id=wl.id, term=term,
                                             page=page).first():
        return
    db.session.add(ItemMatch(item_id=row.id, watch_list_id=wl.id, term=term, page=page,
                             snippet=row.text[:80]))
    db.session.commit()
