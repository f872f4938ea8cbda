"""Calendar entries: what is scheduled and what went out on which channel, documents'
deadlines and review due times, over the documents a user may see (access.visible_to)."""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import kinds, workflow
from ..access import can_publish, parse_id, visible_to
from ..errors import ValidationError
from ..extensions import db
from ..models import Channel, Document, Publication, ReviewRequest
from ..publishing.labels import PUBLICATION_STATE_LABELS
from ..times import organisation_zone
from .periods import local_moment

SCHEDULED, PUBLISHED, DEADLINE, REVIEW = "scheduled", "published", "deadline", "review"
TYPES = (SCHEDULED, PUBLISHED, DEADLINE, REVIEW)
TYPE_LABELS = {SCHEDULED: _l("Scheduled"), PUBLISHED: _l("Published"),
               DEADLINE: _l("Deadline"), REVIEW: _l("Review due")}
# Publications that are planned and have not gone out: waiting, being sent, or held back
# because the approval was no longer valid at their time.
PLANNED_STATES = ("queued", "sending", "waiting", "held")


@dataclass(frozen=True)
class Entry:
    """One thing in the calendar, at one moment (UTC)."""

    type: str
    uid: str  # stable for the same thing across reschedules (calendar clients update it)
    at: datetime
    document: Document
    state: str  # the publication's state, or the document's for deadlines and reviews
    channels: tuple = ()
    url: str | None = None  # where a published item went out
    reviewers: tuple = ()  # names of those asked, for a review

    @property
    def title(self):
        return self.document.title or f"#{self.document.id}"

    @property
    def kind(self):
        return self.document.kind

    @property
    def state_label(self):
        if self.type in (SCHEDULED, PUBLISHED) and self.state in PUBLICATION_STATE_LABELS:
            return PUBLICATION_STATE_LABELS[self.state]
        return workflow.state_label(self.state)

    @property
    def type_label(self):
        return TYPE_LABELS[self.type]


@dataclass(frozen=True)
class Filters:
    """Which entries to show: empty sets mean every type, kind and channel."""

    types: frozenset = field(default_factory=frozenset)
    kinds: frozenset = field(default_factory=frozenset)
    channels: frozenset = field(default_factory=frozenset)  # channel ids

    def wants(self, entry_type):
        if self.types and entry_type not in self.types:
            return False
        # Deadlines and reviews go out on no channel, so a channel filter leaves them out.
        return not (self.channels and entry_type in (DEADLINE, REVIEW))

    def query(self):
        """The filters as URL query arguments (lists, sorted, so links are stable)."""
        return {"type": sorted(self.types), "kind": sorted(self.kinds),
                "channel": sorted(self.channels)}


def _values(raw):
    """Values from repeated arguments, each possibly comma-separated; blanks dropped."""
    return [part.strip() for value in raw or () for part in str(value).split(",")
            if part.strip()]


def parse_filters(types=(), kinds_=(), channels=()):
    """Filters from query arguments; an unknown type or kind, or a channel that is not an
    id, is refused with a ValidationError naming the argument."""
    types, kinds_, channels = _values(types), _values(kinds_), _values(channels)
    for value in types:
        if value not in TYPES:
            raise ValidationError(_("Unknown entry type %(value)s; use one of %(types)s.",
                                    value=value, types=", ".join(TYPES)), field="type")
    for value in kinds_:
        if kinds.get_kind(value) is None:
            raise ValidationError(_("Unknown kind of document: %(value)s.", value=value),
                                  field="kind")
    ids = [parse_id(value) for value in channels]
    if None in ids:
        raise ValidationError(_("A channel is given by its id."), field="channel")
    return Filters(frozenset(types), frozenset(kinds_), frozenset(ids))


def entries(user, start, end, filters=None):
    """Every entry the user may see from `start` (inclusive) to `end` (exclusive), both aware
    datetimes, in time order."""
    filters = filters or Filters()
    found = []
    for entry_type, collect in ((SCHEDULED, _scheduled), (PUBLISHED, _published),
                                (DEADLINE, _deadlines), (REVIEW, _reviews)):
        if filters.wants(entry_type):
            found += collect(user, start, end, filters)
    order = {name: i for i, name in enumerate(TYPES)}
    return sorted(found, key=lambda e: (e.at, order[e.type], e.title.casefold(), e.uid))


def _documents(user, filters):
    """Conditions on Document: visible to the user, of the kinds asked for."""
    where = [visible_to(user)]
    if filters.kinds:
        where.append(Document.kind.in_(filters.kinds))
    return where


def _publications(user, start, end, filters, states, column):
    query = (select(Publication).join(Document, Document.id == Publication.document_id)
             .where(*_documents(user, filters), Publication.state.in_(states),
                    column >= start, column < end)
             .options(joinedload(Publication.channel), joinedload(Publication.document))
             .order_by(Publication.id))
    if filters.channels:
        query = query.where(Publication.channel_id.in_(filters.channels))
    return db.session.execute(query).scalars().all()


def _scheduled(user, start, end, filters):
    """Planned publications, one entry per document, time and state with all its channels
    (the entry keeps the id of its first row, which a reschedule does not change)."""
    groups = {}
    for row in _publications(user, start, end, filters, PLANNED_STATES, Publication.due_at):
        groups.setdefault((row.document_id, row.due_at, row.state), []).append(row)
    return [Entry(SCHEDULED, f"scheduled-{rows[0].id}", due_at, rows[0].document, state,
                  channels=tuple(r.channel for r in rows))
            for (_doc, due_at, state), rows in groups.items()]


def _published(user, start, end, filters):
    """Publications that went out, one per channel, with the address they went out at."""
    rows = _publications(user, start, end, filters, ("sent",), Publication.sent_at)
    return [Entry(PUBLISHED, f"published-{row.id}", row.sent_at, row.document,
                  "withdrawn" if row.withdrawn_at else "sent", channels=(row.channel,),
                  url=row.url)
            for row in rows]


def _deadlines(user, start, end, filters):
    docs = db.session.execute(
        select(Document).where(*_documents(user, filters), Document.deadline >= start,
                               Document.deadline < end, Document.state != workflow.ARCHIVED)
    ).scalars().all()
    return [Entry(DEADLINE, f"deadline-{doc.id}", doc.deadline, doc, doc.state) for doc in docs]


def _reviews(user, start, end, filters):
    """Open review requests with a due time, one entry per document and due time."""
    rows = db.session.execute(
        select(ReviewRequest).join(Document, Document.id == ReviewRequest.document_id)
        .where(*_documents(user, filters), ReviewRequest.closed_at.is_(None),
               ReviewRequest.due_at >= start, ReviewRequest.due_at < end)
        .options(joinedload(ReviewRequest.reviewer), joinedload(ReviewRequest.document))
        .order_by(ReviewRequest.id)
    ).scalars().all()
    groups = {}
    for row in rows:
        groups.setdefault((row.document_id, row.due_at), []).append(row)
    return [Entry(REVIEW, f"review-{rows[0].id}", due_at, rows[0].document,
                  rows[0].document.state, reviewers=tuple(r.reviewer.name for r in rows))
            for (_doc, due_at), rows in groups.items()]


def channel_choices(user):
    """The channels the calendar filters by: the user's organisation's, by name."""
    return db.session.execute(
        select(Channel).where(Channel.organisation_id == user.organisation_id)
        .order_by(Channel.name, Channel.id)
    ).scalars().all()


def can_reschedule(user, entry):
    """Whether the calendar offers this user to move the entry: a waiting publication of a
    scheduled text of the user's own organisation, for its editors (workflow decides)."""
    return (entry.type == SCHEDULED and entry.state == "queued"
            and entry.document.state == workflow.SCHEDULED
            and can_publish(user, entry.document))


def reschedule(user, doc, day_text, time_text):
    """Move a scheduled text to a local date and time in its organisation's zone, through
    workflow.reschedule and its checks (permission, state, publish gate, future time)."""
    at = local_moment(day_text, time_text, organisation_zone(doc))
    return workflow.reschedule(user, doc, at)
