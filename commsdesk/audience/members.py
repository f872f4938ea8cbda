"""Members: adding, changing and deleting one by hand (audited), and the searchable,
filterable list with counts. Only users who may see members get here (access.can_see_members)."""
import json
from datetime import date

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from sqlalchemy import String, cast, func, or_, select

from .. import audit
from ..access import can_see_members, get_or_404
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import MEMBER_STATES, TOPICS, Member, utcnow
from .suppression import normalise

PER_PAGE = 50
FIELD_LIMITS = {"name": 200, "phone": 40, "branch": 200}


def require_steward(user):
    """NotFound unless the user may read member data (the pages do not exist for others)."""
    if user is None or not can_see_members(user):
        raise NotFound(_("There is nothing here."))


def get_member(user, member_id):
    """The member of the user's organisation; NotFound otherwise."""
    require_steward(user)
    return get_or_404(Member, member_id, Member.organisation_id == user.organisation_id,
                      message=_("No such member."))


def check_email(value):
    """The address normalised (lower-case); ValidationError if its syntax is wrong (no DNS)."""
    address = normalise(value)
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        raise ValidationError(_("%(email)s is not a valid email address.",
                                email=address or "–")) from None
    return address


def split_tags(value):
    """Tags from a comma-separated text (or a list), trimmed, without repeats."""
    items = value if isinstance(value, list) else (value or "").replace(";", ",").split(",")
    seen = []
    for item in (str(i).strip() for i in items):
        if item and item not in seen:
            seen.append(item[:60])
    return seen


def _parse_date(value):
    if isinstance(value, date) or value is None:
        return value
    value = value.strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError(_("Dates are written as YYYY-MM-DD.")) from None


def _apply(member, values):
    for key, limit in FIELD_LIMITS.items():
        if key in values:
            text = (values[key] or "").strip()
            if len(text) > limit:
                raise ValidationError(_("%(field)s is too long.", field=key))
            setattr(member, key, text or (None if key != "name" else ""))
    if "email" in values:
        member.email = check_email(values["email"])
    if "tags" in values:
        member.tags = split_tags(values["tags"])
    if "topics" in values:
        member.topics = [t for t in TOPICS if t in (values["topics"] or [])]
    if "state" in values:
        if values["state"] not in MEMBER_STATES:
            raise ValidationError(_("Unknown state."))
        member.state = values["state"]
    if "member_since" in values:
        member.member_since = _parse_date(values["member_since"])


def _refuse_duplicate(org_id, email, own_id=None):
    clash = db.session.execute(select(Member.id).where(
        Member.organisation_id == org_id, Member.email == email)).scalar()
    if clash is not None and clash != own_id:
        raise ValidationError(_("%(email)s is already a member.", email=email))


def add(user, values):
    """Add a member entered by hand (consent source "entered by hand", now)."""
    require_steward(user)
    member = Member(organisation_id=user.organisation_id, consent_source="entered by hand",
                    consent_at=utcnow(), state="subscribed", tags=[], topics=list(TOPICS))
    _apply(member, values)
    _refuse_duplicate(user.organisation_id, member.email)
    db.session.add(member)
    db.session.flush()
    audit.record(user, "member.created", member)
    db.session.commit()
    return member


def edit(user, member, values):
    """Change a member's details; the audit entry names the fields changed, not their values."""
    require_steward(user)
    _apply(member, values)
    _refuse_duplicate(user.organisation_id, member.email, member.id)
    changed = sorted(a.key for a in db.inspect(member).attrs if a.history.has_changes())
    audit.record(user, "member.updated", member, fields=changed)
    db.session.commit()
    return member


def delete(user, member):
    """Remove a member (without suppressing the address; erasure is privacy.erase)."""
    require_steward(user)
    audit.record(user, "member.deleted", member)
    db.session.delete(member)
    db.session.commit()


def _like(text):
    escaped = text.replace("!", "!!").replace("%", "!%").replace("_", "!_")
    return f"%{escaped}%"


def filtered(organisation_id, q="", branch="", tag="", state=""):
    """A select of the organisation's members matching a search and the filters."""
    query = select(Member).where(Member.organisation_id == organisation_id)
    if q:
        query = query.where(or_(Member.name.ilike(_like(q), escape="!"),
                                Member.email.ilike(_like(q.lower()), escape="!")))
    if branch:
        query = query.where(Member.branch == branch)
    if tag:
        # Tags are a JSON list stored as text: the quoted tag is a substring of it.
        query = query.where(cast(Member.tags, String).like(_like(json.dumps(tag)), escape="!"))
    if state in MEMBER_STATES:
        query = query.where(Member.state == state)
    return query


def search(user, page=1, **filters):
    """(members on the page, total matching) for the list page; audited as a view."""
    require_steward(user)
    query = filtered(user.organisation_id, **filters)
    total = db.session.execute(select(func.count()).select_from(query.subquery())).scalar()
    rows = db.session.execute(query.order_by(Member.name, Member.id).limit(PER_PAGE)
                              .offset((page - 1) * PER_PAGE)).scalars().all()
    audit.record(user, "members.viewed", None, shown=len(rows),
                 filters={k: v for k, v in filters.items() if v})
    db.session.commit()
    return rows, total


def counts(organisation_id):
    """{state: number} and the total, for the list's headline."""
    rows = db.session.execute(select(Member.state, func.count()).where(
        Member.organisation_id == organisation_id).group_by(Member.state)).all()
    result = {state: 0 for state in MEMBER_STATES}
    result.update(dict(rows))
    result["total"] = sum(n for _s, n in rows)
    return result


def branches(organisation_id):
    """The branches in use, for the filter."""
    return db.session.execute(select(Member.branch).where(
        Member.organisation_id == organisation_id, Member.branch.is_not(None))
        .distinct().order_by(Member.branch)).scalars().all()


def tags(organisation_id):
    """The tags in use, for the filter (read from the tag lists only)."""
    found = set()
    for value in db.session.execute(select(Member.tags).where(
            Member.organisation_id == organisation_id)).scalars():
        found.update(value or [])
    return sorted(found)


def view(user, member):
    """Record that the user looked at the member's page."""
    require_steward(user)
    audit.record(user, "member.viewed", member)
    db.session.commit()
