"""Segments (saved filters over members) and the recipients of a send-out.

A segment's filters: {"branches": [...], "tags": [...] (any of them), "states": [...],
"member_since_after": "YYYY-MM-DD", "member_since_before": "YYYY-MM-DD"}. recipients() and
describe() are what the sending engine calls; recipients() reads plain rows in one query per
kind of recipient (no ORM objects), so 100,000 members take well under a second."""
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..access import get_or_404
from ..errors import ValidationError
from ..extensions import db
from ..models import (
    MEMBER_STATES,
    Member,
    PressContact,
    PressList,
    Segment,
    press_list_contacts,
)
from .members import require_steward, split_tags

FILTER_KEYS = ("branches", "tags", "states", "member_since_after", "member_since_before")


def clean_filters(raw):
    """Filters as stored: lists trimmed, unknown states and keys dropped, dates checked."""
    raw = raw or {}
    result = {"branches": split_tags(raw.get("branches") or []),
              "tags": split_tags(raw.get("tags") or []),
              "states": [s for s in (raw.get("states") or []) if s in MEMBER_STATES]}
    for key in ("member_since_after", "member_since_before"):
        value = (raw.get(key) or "").strip() if isinstance(raw.get(key), str) else ""
        if value:
            try:
                date.fromisoformat(value)
            except ValueError:
                raise ValidationError(_("Dates are written as YYYY-MM-DD.")) from None
        result[key] = value
    return {k: v for k, v in result.items() if v}


def matcher(filters):
    """A predicate over (branch, tags, state, member_since) for one segment's filters."""
    branches = set(filters.get("branches") or ())
    tags = set(filters.get("tags") or ())
    states = set(filters.get("states") or ())
    after = filters.get("member_since_after")
    before = filters.get("member_since_before")
    after = date.fromisoformat(after) if after else None
    before = date.fromisoformat(before) if before else None

    def matches(branch, member_tags, state, since):
        if branches and branch not in branches:
            return False
        if tags and not tags.intersection(member_tags or ()):
            return False
        if states and state not in states:
            return False
        if after and (since is None or since < after):
            return False
        return not (before and (since is None or since > before))
    return matches


def _member_rows(organisation_id, states=None):
    query = select(Member.email, Member.name, Member.id, Member.branch, Member.tags,
                   Member.state, Member.member_since, Member.topics).where(
        Member.organisation_id == organisation_id)
    if states:
        query = query.where(Member.state.in_(states))
    return db.session.execute(query.order_by(Member.id)).all()


def count(organisation_id, filters):
    """How many members a segment with these filters has now."""
    test = matcher(clean_filters(filters))
    return sum(1 for row in _member_rows(organisation_id) if test(*row[3:7]))


def _segment_filters(organisation_id, ids):
    if not ids:
        return []
    return db.session.execute(select(Segment.filters).where(
        Segment.organisation_id == organisation_id, Segment.id.in_(ids))).scalars().all()


def recipients(organisation_id, audience, topic="newsletter"):
    """[(email, name, member_id, press_contact_id)] for a Mailing.audience: subscribed members
    (all, or those in any of the segments) who chose the topic (None: any), then the press
    lists' contacts; each address once. Suppression is not applied here (the sender does)."""
    audience = audience or {}
    tests = [matcher(f or {}) for f in _segment_filters(organisation_id,
                                                         audience.get("segments") or [])]
    everyone = bool(audience.get("all_members"))
    result, seen = [], set()
    if everyone or tests:
        for email, name, member_id, branch, tags, state, since, topics in _member_rows(
                organisation_id, ("subscribed",)):
            if topic is not None and topic not in (topics or ()):
                continue
            if (everyone or any(t(branch, tags, state, since) for t in tests)) \
                    and email not in seen:
                seen.add(email)
                result.append((email, name or "", member_id, None))
    list_ids = audience.get("press_lists") or []
    if list_ids:
        rows = db.session.execute(
            select(PressContact.email, PressContact.name, PressContact.id)
            .join(press_list_contacts, press_list_contacts.c.press_contact_id == PressContact.id)
            .join(PressList, PressList.id == press_list_contacts.c.press_list_id)
            .where(PressList.organisation_id == organisation_id, PressList.id.in_(list_ids),
                   PressContact.organisation_id == organisation_id)
            .order_by(PressContact.id)).all()
        for email, name, contact_id in rows:
            if email not in seen:
                seen.add(email)
                result.append((email, name or "", None, contact_id))
    return result


def describe(organisation_id, audience):
    """The audience in words, e.g. "All members; segments Skola, Centrum; press list Lokalt"."""
    audience = audience or {}
    parts = []
    if audience.get("all_members"):
        parts.append(_("All subscribed members"))
    names = db.session.execute(select(Segment.name).where(
        Segment.organisation_id == organisation_id,
        Segment.id.in_(audience.get("segments") or [])).order_by(Segment.name)).scalars().all()
    if names:
        parts.append(_("segments: %(names)s", names=", ".join(names)))
    lists = db.session.execute(select(PressList.name).where(
        PressList.organisation_id == organisation_id,
        PressList.id.in_(audience.get("press_lists") or [])).order_by(PressList.name)
    ).scalars().all()
    if lists:
        parts.append(_("press lists: %(names)s", names=", ".join(lists)))
    return "; ".join(parts) if parts else _("Nobody")


def for_organisation(organisation_id):
    """The organisation's segments by name."""
    return db.session.execute(select(Segment).where(
        Segment.organisation_id == organisation_id).order_by(Segment.name)).scalars().all()


def get_segment(user, segment_id):
    """The segment of the user's organisation; NotFound otherwise."""
    require_steward(user)
    return get_or_404(Segment, segment_id, Segment.organisation_id == user.organisation_id,
                      message=_("No such segment."))


def _name(organisation_id, name, own_id=None):
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("A segment needs a name (at most 200 characters)."))
    clash = db.session.execute(select(Segment.id).where(
        Segment.organisation_id == organisation_id, Segment.name == name)).scalar()
    if clash is not None and clash != own_id:
        raise ValidationError(_("There is already a segment called %(name)s.", name=name))
    return name


def save(user, segment, name, filters):
    """Create (segment None) or change a segment; audited."""
    require_steward(user)
    created = segment is None
    if created:
        segment = Segment(organisation_id=user.organisation_id)
    segment.name = _name(user.organisation_id, name, None if created else segment.id)
    segment.filters = clean_filters(filters)
    db.session.add(segment)
    db.session.flush()
    audit.record(user, "segment.created" if created else "segment.updated", segment,
                 name=segment.name)
    db.session.commit()
    return segment


def delete(user, segment):
    """Delete a segment (members stay)."""
    require_steward(user)
    audit.record(user, "segment.deleted", segment, name=segment.name)
    db.session.delete(segment)
    db.session.commit()
