"""Who a send-out goes to (a placeholder with only `recipients`, until the audience part
lands): subscribed members (all, or those matching a segment's filters) and the contacts
of press lists, one entry per address."""
from sqlalchemy import select

from ..extensions import db
from ..models import Member, PressContact, Segment, press_list_contacts


def _matches(branch, member_tags, filters):
    branches = filters.get("branches") or []
    tags = filters.get("tags") or []
    if branches and branch not in branches:
        return False
    return not tags or bool(set(tags) & set(member_tags or []))


def recipients(organisation_id, audience, topic="newsletter"):
    """(email, name, member_id, press_contact_id) for each address of the audience, first
    occurrence kept (suppression is not applied here)."""
    audience = audience or {}
    found = {}
    segment_ids = audience.get("segments") or []
    if audience.get("all_members") or segment_ids:
        filters = [s.filters or {} for s in db.session.execute(
            select(Segment).where(Segment.organisation_id == organisation_id,
                                  Segment.id.in_(segment_ids))).scalars()]
        members = db.session.execute(
            select(Member.id, Member.email, Member.name, Member.branch, Member.tags,
                   Member.topics).where(Member.organisation_id == organisation_id,
                                        Member.state == "subscribed").order_by(Member.id))
        everyone = bool(audience.get("all_members"))
        for m_id, email, name, branch, tags, topics in members:
            if topic not in (topics or []):
                continue
            if everyone or any(_matches(branch, tags, f) for f in filters):
                found.setdefault(email.lower(), (email.lower(), name or "", m_id, None))
    list_ids = audience.get("press_lists") or []
    if list_ids:
        contacts = db.session.execute(
            select(PressContact).join(press_list_contacts,
                                      press_list_contacts.c.press_contact_id == PressContact.id)
            .where(PressContact.organisation_id == organisation_id,
                   press_list_contacts.c.press_list_id.in_(list_ids))
            .order_by(PressContact.id)).scalars()
        for c in contacts:
            found.setdefault(c.email.lower(), (c.email.lower(), c.name or "", None, c.id))
    return list(found.values())
