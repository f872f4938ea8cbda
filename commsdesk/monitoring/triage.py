"""Triage: the monitoring inbox (new, read, flagged, archived), an item's page, assignment to
a colleague, notes and bulk actions. Items never leave their organisation: every lookup goes
through `item()`, which answers 404 for anyone else's."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from flask_babel import lazy_pgettext as _p
from sqlalchemy import false, func, select

from .. import audit, notifications, stemming
from ..access import can_monitor, get_or_404, parse_id, visible_to
from ..errors import Conflict, Forbidden, NotFound, ValidationError
from ..extensions import db
from ..models import ITEM_STATES, Document, Item, ItemMatch, ItemNote, User
from . import watch

# With a context: "Read" and "New" are other words elsewhere (a verb, a menu entry).
STATE_LABELS = {"new": _p("item state", "New"), "read": _p("item state", "Read"),
                "flagged": _p("item state", "Flagged"), "archived": _p("item state", "Archived")}
# Allowed moves: from a state, to these (flag, unflag → read, archive, unarchive → read).
TRANSITIONS = {
    "new": {"read", "flagged", "archived"},
    "read": {"flagged", "archived"},
    "flagged": {"read", "archived"},
    "archived": {"read"},
}
# The audit action of a move, by (from, to); any other move into a state by the target.
ACTIONS = {("flagged", "read"): "item.unflagged", ("archived", "read"): "item.unarchived"}
TARGET_ACTIONS = {"read": "item.read", "flagged": "item.flagged", "archived": "item.archived"}
BULK_ACTIONS = {"read": "read", "archive": "archived"}
MAX_NOTE = 5000
MAX_MATCHES = 50  # listed on an item's page (a long PDF may mention a word hundreds of times)


@dataclass
class InboxPage:
    rows: list            # [(item, [matched terms])]
    total: int            # matching rows on all pages (of the chosen state)
    counts: dict          # {state: count} under the same filters, whatever the state
    page: int
    per_page: int
    pages: int = field(init=False)

    def __post_init__(self):
        self.pages = max(1, -(-self.total // self.per_page))


def require_monitor(user):
    """Refuse (404, as if nothing were there) anyone who may not read monitored items."""
    if user is None or not can_monitor(user):
        raise NotFound(_("No such item."))


def item(user, item_id):
    """The item if it is the user's organisation's; NotFound otherwise."""
    require_monitor(user)
    return get_or_404(Item, item_id, Item.organisation_id == user.organisation_id,
                      message=_("No such item."))


# --- the inbox --------------------------------------------------------------------------

def _conditions(user, source_id=None, watch_list_id=None, assigned=None, matched_only=False):
    where = [Item.organisation_id == user.organisation_id]
    if source_id is not None:
        where.append(_equals(Item.source_id, source_id))
    if watch_list_id is not None:
        where.append(Item.id.in_(select(ItemMatch.item_id).where(
            _equals(ItemMatch.watch_list_id, watch_list_id))))
    elif matched_only:
        where.append(Item.id.in_(select(ItemMatch.item_id)))
    if assigned is not None:
        where.append(_equals(Item.assigned_to_id, user.id if assigned == "me" else assigned))
    return where


def _equals(column, value):
    # An id that cannot be one matches nothing (never "IS NULL").
    row_id = parse_id(value)
    return column == row_id if row_id is not None else false()


def _state_condition(state):
    if state is None:
        return Item.state != "archived"
    if state not in ITEM_STATES:
        raise ValidationError(_("Unknown state: %(state)s", state=state), field="state")
    return Item.state == state


def inbox(user, state=None, source_id=None, watch_list_id=None, assigned=None,
          matched_only=False, page=1, per_page=25):
    """A page of the organisation's items, newest first, with counts per state (one query)."""
    require_monitor(user)
    where = _conditions(user, source_id, watch_list_id, assigned, matched_only)
    counts = dict.fromkeys(ITEM_STATES, 0)
    counts.update(db.session.execute(
        select(Item.state, func.count()).where(*where).group_by(Item.state)).all())
    query = select(Item).where(*where, _state_condition(state))
    total = (sum(n for s, n in counts.items() if s != "archived") if state is None
             else counts[state])
    page, per_page = max(1, int(page or 1)), max(1, int(per_page or 25))
    items = db.session.execute(
        query.order_by(Item.fetched_at.desc(), Item.id.desc())
        .limit(per_page).offset((page - 1) * per_page)).scalars().all()
    terms = matched_terms([i.id for i in items])
    return InboxPage([(i, terms.get(i.id, [])) for i in items], total, counts, page, per_page)


def matched_terms(item_ids):
    """{item id: [the watch lists' terms found in it, once each, in order]}."""
    found = {}
    if not item_ids:
        return found
    rows = db.session.execute(
        select(ItemMatch.item_id, ItemMatch.term).where(ItemMatch.item_id.in_(item_ids))
        .order_by(ItemMatch.id)).all()
    for item_id, term in rows:
        terms = found.setdefault(item_id, [])
        if term not in terms:
            terms.append(term)
    return found


# --- opening and moving ---------------------------------------------------------------

def open(user, row):  # the inbox's verb (shadows the builtin only in this module)
    """Mark a new item read (its page was opened); commits when it changed."""
    require_monitor(user)
    if row.state == "new":
        _move(user, row, "read")
        db.session.commit()
    return row


def set_state(user, row, state):
    """Move an item to a state (flag, unflag → read, archive, unarchive → read) if the move
    is allowed; the same state is no change. Audited; commits."""
    require_monitor(user)
    if state not in ITEM_STATES:
        raise ValidationError(_("Unknown state: %(state)s", state=state), field="state")
    if state == row.state:
        return row
    if state not in TRANSITIONS[row.state]:
        raise Conflict(_("An item that is %(from)s cannot become %(to)s.",
                         **{"from": STATE_LABELS[row.state], "to": STATE_LABELS[state]}))
    _move(user, row, state)
    db.session.commit()
    return row


def _move(user, row, state, **data):
    action = ACTIONS.get((row.state, state), TARGET_ACTIONS.get(state))
    audit.record(user, action, row, **{"from": row.state, "to": state, **data})
    row.state = state


def bulk(user, action, item_ids):
    """Mark the chosen items read, or archive them; those that cannot move are left as they
    are. Returns how many moved; commits."""
    require_monitor(user)
    state = BULK_ACTIONS.get(action)
    if state is None:
        raise ValidationError(_("Unknown action."), field="action")
    ids = [i for i in (parse_id(v) for v in item_ids or ()) if i is not None][:500]
    rows = db.session.execute(select(Item).where(
        Item.organisation_id == user.organisation_id, Item.id.in_(ids))).scalars().all() \
        if ids else []
    moved = 0
    for row in rows:
        if state in TRANSITIONS[row.state]:
            _move(user, row, state, bulk=True)
            moved += 1
    db.session.commit()
    return moved


# --- assignment -------------------------------------------------------------------------

def assignable(user):
    """The organisation's active users, who an item may be given to."""
    return db.session.execute(select(User).where(
        User.organisation_id == user.organisation_id, User.active.is_(True))
        .order_by(User.name)).scalars().all()


def assign(user, row, assignee):
    """Give the item to a colleague (a User or an id; None: to nobody), who is told in the
    inbox (and by email, by their choice). Audited; commits."""
    require_monitor(user)
    target = None
    if assignee not in (None, ""):
        target = assignee if isinstance(assignee, User) else \
            db.session.get(User, parse_id(assignee) or 0)
        if target is None or target.organisation_id != user.organisation_id \
                or not target.active:
            raise ValidationError(_("Choose an active colleague of your organisation."),
                                  field="assigned_to_id")
    if row.assigned_to_id == (target.id if target else None):
        return row
    row.assigned_to_id = target.id if target else None
    if target is None:
        audit.record(user, "item.unassigned", row)
    else:
        audit.record(user, "item.assigned", row, assignee_id=target.id)
        notifications.notify("item_assigned", None, user, [target], item_id=row.id,
                             title=str(row))
    db.session.commit()
    return row


# --- notes ------------------------------------------------------------------------------

def notes(row):
    """The item's notes, oldest first."""
    return db.session.execute(select(ItemNote).where(ItemNote.item_id == row.id)
                              .order_by(ItemNote.created_at, ItemNote.id)).scalars().all()


def add_note(user, row, body):
    """Add a note to the item. Audited; commits."""
    require_monitor(user)
    text = (body or "").strip() if isinstance(body, str) else ""
    if not text:
        raise ValidationError(_("Write the note first."), field="body")
    if len(text) > MAX_NOTE:
        raise ValidationError(_("A note is at most %(n)d characters.", n=MAX_NOTE), field="body")
    note = ItemNote(item_id=row.id, author_id=user.id, body=text)
    db.session.add(note)
    db.session.flush()
    audit.record(user, "item.note_added", row, note_id=note.id)
    db.session.commit()
    return note


def get_note(row, note_id):
    """One of the item's notes; NotFound otherwise."""
    return get_or_404(ItemNote, note_id, ItemNote.item_id == row.id,
                      message=_("No such note."))


def remove_note(user, row, note_id):
    """Remove one's own note. Audited; commits."""
    require_monitor(user)
    note = get_note(row, note_id)
    if note.author_id != user.id:
        raise Forbidden(_("You may remove only your own notes."))
    audit.record(user, "item.note_removed", row, note_id=note.id)
    db.session.delete(note)
    db.session.commit()


# --- what the item's page shows ---------------------------------------------------------

def drafts(user, row):
    """The drafts made from the item that the user may see, newest first."""
    return db.session.execute(select(Document).where(
        Document.source_item_id == row.id, visible_to(user))
        .order_by(Document.created_at.desc(), Document.id.desc())).scalars().all()


def highlighted_title(row, terms, language):
    """The item's title with the watch lists' terms marked."""
    title = str(row)
    return stemming.highlight(title, stemming.find(title, terms, language))


def matches(row, terms=None, language=None):
    """Where the watch lists' terms occur in the item: [(term text, page or None, snippet)]
    (page 1-based for a PDF), each term once per page, the snippet highlighted."""
    language = language or watch.language(row.organisation_id)
    terms = watch.terms_for(row.organisation_id) if terms is None else terms
    if not terms:
        return []
    pages = list(enumerate(row.pages, 1)) if row.kind == "pdf" and row.pages else \
        [(None, row.text or "")]
    found = []
    for number, text in pages:
        spans = stemming.find(text or "", terms, language)
        for term in dict.fromkeys(span[2] for span in spans):
            own = [s for s in spans if s[2] == term]
            found.append((term.text, number, stemming.snippet(text, own)))
            if len(found) >= MAX_MATCHES:
                return found
    return found
