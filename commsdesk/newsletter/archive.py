"""A sent newsletter's web version on its organisation's newsroom, at
/n/<org_slug>/newsletters/<document id>-<slug>: the revision that went out, without anything
personal. Only newsletters whose send has started are shown (a scheduled one is not out
yet), and a text under embargo stays hidden until it lifts, as in the newsroom."""
from datetime import datetime

from sqlalchemy import select

from .. import newsroom
from ..channels.website import slugify
from ..errors import NotFound
from ..extensions import db
from ..models import Mailing, Revision
from ..times import utcnow
from .parts import flat


def archive_path(doc):
    """The path of the document's web version (its title at the time makes the slug)."""
    title = (doc.current_revision.content or {}).get("title") if doc.current_revision else ""
    return f"/n/{doc.organisation.slug}/newsletters/{doc.id}-{slugify(title)}"


def _embargoed(content, now):
    try:
        embargo = datetime.fromisoformat(flat(content).get("embargo") or "")
    except (TypeError, ValueError):
        return False
    return embargo > now


def archived(org_slug, document_id, now=None):
    """(site, brand, content, sent_at) of the newsletter's newest started send; NotFound for
    an unknown organisation or document, one not sent yet or under embargo."""
    now = now or utcnow()
    site, brand, _state = newsroom.site(org_slug, now)
    row = db.session.execute(
        select(Revision.content, Mailing.started_at)
        .join(Revision, Revision.id == Mailing.revision_id)
        .where(Mailing.organisation_id == site.id, Mailing.document_id == document_id,
               Mailing.kind == "newsletter", Mailing.started_at.is_not(None),
               Mailing.started_at <= now)
        .order_by(Mailing.started_at.desc()).limit(1)).first()
    if row is None or _embargoed(row.content or {}, now):
        raise NotFound("No such newsletter.")
    return site, brand, row.content or {}, row.started_at
