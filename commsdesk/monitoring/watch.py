"""Watch lists: matching items against the organisation's words and phrases, recording
where each term was found (the page of a PDF) and telling the lists' recipients at once
(delivery "instant"); "digest" lists wait for the daily digest (monitoring/digest.py)."""
from collections import defaultdict
from dataclasses import dataclass
from datetime import timedelta

from markupsafe import Markup
from sqlalchemy import delete, select

from .. import branding, notifications, stemming
from ..extensions import db
from ..models import Item, ItemMatch, Organisation, WatchList, utcnow

SNIPPET_WIDTH = 160
# "Apply to recent items": how far back, and at most how many items (newest first).
RECENT_DAYS = 30
RECENT_LIMIT = 2000


@dataclass(frozen=True)
class Found:
    """A term of a list found in an item (on a page of a PDF), with the text around it."""
    watch_list: WatchList
    term: str
    page: int | None
    snippet: str


def language(organisation_id):
    """The language an organisation's texts are matched in (its newsroom language)."""
    return branding.brand(db.session.get(Organisation, organisation_id)).locale


def active_lists(organisation_id):
    """The organisation's active watch lists."""
    return db.session.execute(select(WatchList).where(
        WatchList.organisation_id == organisation_id, WatchList.active.is_(True))
        .order_by(WatchList.id)).scalars().all()


def terms_for(organisation_id):
    """The terms of the organisation's active watch lists, parsed (for highlighting)."""
    return stemming.parse_terms([term for wl in active_lists(organisation_id)
                                 for term in wl.terms or ()], language(organisation_id))


def _texts(item):
    """(page, text) pairs to look in: the title and text; for a PDF the title, then each
    page with its 1-based number."""
    if item.pages is None:
        return [(None, f"{item.title or ''}\n{item.text or ''}")]
    return [(None, item.title or "")] + [(n, page or "") for n, page in
                                         enumerate(item.pages, start=1)]


def _plain_snippet(text, span):
    return Markup(stemming.snippet(text, [span], SNIPPET_WIDTH)).striptags()


def find_in(item, parsed, lang):
    """Where the lists' terms occur in the item: [Found], one per list, term and page.
    `parsed` is [(watch list, its parsed terms)]; each text is tokenised once."""
    found = {}
    for page, text in _texts(item):
        toks = stemming.tokens(text, lang)
        if not toks:
            continue
        stems, words = {t.stem for t in toks}, {t.word for t in toks}
        for watch_list, terms in parsed:
            # Only the terms whose first word occurs at all are looked for in sequence.
            candidates = [t for t in terms if t.keys[0] in (words if t.phrase else stems)]
            for span in stemming.find(text, candidates, lang, toks=toks) if candidates else ():
                key = (watch_list.id, span[2].text[:200], page)
                if key not in found:
                    found[key] = Found(watch_list, span[2].text[:200], page,
                                       _plain_snippet(text, span))
    return list(found.values())


def _parsed_lists(organisation_id, lang, lists=None):
    lists = active_lists(organisation_id) if lists is None else lists
    return [(wl, stemming.parse_terms(wl.terms or [], lang)) for wl in lists]


def _record(items, parsed_by_org, now):
    """Store the matches of the items: keep those found again, drop those gone (a changed
    PDF), add the new ones. Returns the new ItemMatch rows."""
    ids = [item.id for item in items]
    existing = defaultdict(dict)
    for row in db.session.execute(select(ItemMatch).where(ItemMatch.item_id.in_(ids))).scalars():
        existing[row.item_id][(row.watch_list_id, row.term, row.page)] = row
    added = []
    for item in items:
        org_id = item.organisation_id
        lang, parsed = parsed_by_org[org_id]
        old = existing.get(item.id, {})
        listed = {wl.id for wl, _terms in parsed}
        seen = set()
        for hit in find_in(item, parsed, lang):
            key = (hit.watch_list.id, hit.term, hit.page)
            seen.add(key)
            if key in old:
                old[key].snippet = hit.snippet
                continue
            row = ItemMatch(item_id=item.id, watch_list_id=hit.watch_list.id, term=hit.term,
                            page=hit.page, snippet=hit.snippet, created_at=now)
            db.session.add(row)
            added.append(row)
        gone = [row.id for key, row in old.items() if key not in seen and key[0] in listed]
        if gone:
            db.session.execute(delete(ItemMatch).where(ItemMatch.id.in_(gone)))
    db.session.flush()
    return added


def match_items(items, now=None):
    """Record the watch lists' matches in these (new or changed) items and tell whoever
    should know. Adds rows; the caller commits. Returns the new ItemMatch rows."""
    items = [item for item in items or () if item is not None and item.id is not None]
    if not items:
        return []
    now = now or utcnow()
    parsed_by_org = {}
    for org_id in {item.organisation_id for item in items}:
        lang = language(org_id)
        parsed_by_org[org_id] = (lang, _parsed_lists(org_id, lang))
    items = [item for item in items if parsed_by_org[item.organisation_id][1]]
    if not items:
        return []
    added = _record(items, parsed_by_org, now)
    tell(added, now)
    return added


def tell(matches, now=None):
    """Notify the recipients of the instant lists among these matches: once per item and
    recipient, however many terms and lists matched. Sets notified_at; adds rows."""
    now = now or utcnow()
    per_item = defaultdict(list)
    for match in matches:
        if match.watch_list.delivery == "instant" and match.notified_at is None:
            per_item[match.item_id].append(match)
    for item_id, rows in per_item.items():
        item = db.session.get(Item, item_id)
        per_user = defaultdict(list)
        users = {}
        for match in rows:
            for user in match.watch_list.recipients:
                per_user[user.id].append(match)
                users[user.id] = user
        for user_id, mine in per_user.items():
            _notify_one(item, users[user_id], mine)
        for match in rows:
            match.notified_at = now


def _notify_one(item, user, matches):
    names = list(dict.fromkeys(m.watch_list.name for m in matches))
    terms = list(dict.fromkeys(m.term for m in matches))
    pages = sorted({m.page for m in matches if m.page is not None})
    notifications.notify("watch_match", None, None, [user], item_id=item.id, title=str(item),
                         watch_list=", ".join(names), terms=terms,
                         page=pages[0] if pages else None, excerpt=matches[0].snippet)


def apply_to_recent(watch_list, now=None, days=RECENT_DAYS, limit=RECENT_LIMIT):
    """Match one (new or changed) list against the organisation's items of the last `days`
    (at most `limit`, newest first) without telling anyone: the matches count as notified
    and digested. Adds rows; the caller commits. Returns how many matches were added."""
    now = now or utcnow()
    if not watch_list.active:
        return 0
    org_id = watch_list.organisation_id
    lang = language(org_id)
    parsed = _parsed_lists(org_id, lang, [watch_list])
    items = db.session.execute(
        select(Item).where(Item.organisation_id == org_id,
                           Item.fetched_at >= now - timedelta(days=days))
        .order_by(Item.fetched_at.desc(), Item.id.desc()).limit(limit)).scalars().all()
    if not items:
        return 0
    added = _record(items, {org_id: (lang, parsed)}, now)
    for row in added:
        row.notified_at = row.digested_at = now
    return len(added)
