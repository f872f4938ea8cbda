"""The decision trail of a document: the final text, every approval with its revision hash,
the signatories, the shares, the state history and where and when it went out, for the
archive and public-records requests. One structure serves the printable page, the JSON
export and the API."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from . import audit, coalition, kinds, submissions, workflow
from .access import get_document
from .extensions import db
from .models import AuditEntry, Publication, User, utcnow
from .rendering import render_markdown

FORMATS = ("html", "json")


def _iso(value):
    return value.isoformat() if value else None


def _person(user):
    return {"id": user.id, "name": user.name} if user else None


def _organisation(org):
    return {"id": org.id, "name": org.name, "slug": org.slug}


def final_text(doc):
    """The current revision: its content, hash and the same rendering as every other output."""
    rev = doc.current_revision
    content = rev.content
    fields = content.get("fields") or {}
    kind = kinds.get_kind(doc.kind)
    return {
        "revision": {"id": rev.id, "number": rev.number, "content_hash": rev.content_hash,
                     "created_at": _iso(rev.created_at), "author": _person(rev.author)},
        "content": content,
        "lead_html": render_markdown(content.get("lead", "")),
        "body_html": render_markdown(content.get("body", "")),
        # The kind's fields only: signatories are the document's list below, not an old
        # revision's "signatories" text.
        "fields": [{"name": spec.name, "label": str(spec.label), "value": fields[spec.name]}
                   for spec in (kind.fields if kind else ()) if fields.get(spec.name)],
        "variants": [{"platform": key, "text": text}
                     for key, text in (content.get("variants") or {}).items() if text],
    }


def approvals(status):
    """Every approval of any revision, oldest first, from every organisation."""
    return [{
        "organisation": _organisation(a.organisation),
        "user": _person(a.user),
        "role": a.role,
        "revision": {"id": a.revision_id, "number": a.revision.number},
        "content_hash": a.content_hash,
        "approved_at": _iso(a.created_at),
        "current": status.is_current(a),
        "stale_at": _iso(a.stale_at),
    } for a in reversed(status.history)]


def state_history(doc):
    """The workflow audit entries of the document, oldest first."""
    rows = db.session.execute(
        select(AuditEntry, User).outerjoin(User, User.id == AuditEntry.actor_id)
        .where(AuditEntry.object_type == "document", AuditEntry.object_id == doc.id,
               AuditEntry.action.like("workflow.%"))
        .order_by(AuditEntry.at, AuditEntry.id)
    ).all()
    return [{
        "action": entry.action.removeprefix("workflow."),
        "at": _iso(entry.at),
        "actor": _person(actor),
        "before": (entry.data or {}).get("before"),
        "after": (entry.data or {}).get("after"),
        "revision": (entry.data or {}).get("revision"),
        "reason": (entry.data or {}).get("reason"),
        "message": (entry.data or {}).get("message"),
    } for entry, actor in rows]


def publications(doc):
    """Where and when it went out: every sent publication, oldest first, with the revision
    and content hash that went out and when it was withdrawn."""
    rows = db.session.execute(
        select(Publication).where(Publication.document_id == doc.id,
                                  Publication.state == "sent")
        .options(selectinload(Publication.channel), selectinload(Publication.revision))
        .order_by(Publication.sent_at, Publication.id)
    ).scalars().all()
    return [{
        "channel": {"id": row.channel.id, "name": row.channel.name, "type": row.channel.type},
        "sent_at": _iso(row.sent_at),
        "url": row.url,
        "revision": {"id": row.revision_id, "number": row.revision.number},
        "content_hash": row.content_hash,
        "embargo_until": _iso(row.embargo_until),
        "withdrawn_at": _iso(row.withdrawn_at),
    } for row in rows]


def newspaper_submissions(doc):
    """Where the text was offered to newspapers and what became of it, oldest first."""
    return [{
        "outlet": {"id": row.outlet.id, "name": row.outlet.name},
        "state": row.state,
        "offered_at": _iso(row.offered_at),
        "decided_at": _iso(row.decided_at),
        "published_on": row.published_on.isoformat() if row.published_on else None,
        "published_url": row.published_url,
        "revision": {"id": row.revision_id, "number": row.revision.number},
        "content_hash": row.content_hash,
        "offered_by": _person(row.created_by),
    } for row in reversed(submissions.for_document(doc))]


def trail(doc, user):
    """The decision trail as plain data (JSON-ready); nothing is written."""
    status = workflow.approval_status(doc)
    return {
        "document": {
            "id": doc.id, "title": doc.title, "kind": doc.kind, "state": doc.state,
            "organisation": _organisation(doc.organisation), "owner": _person(doc.owner),
            "created_at": _iso(doc.created_at),
        },
        "final_text": final_text(doc),
        "agreed": status.agreed,
        "required_organisations": [_organisation(o.organisation) for o in status.organisations],
        "approvals": approvals(status),
        "signatories": [{
            "id": s.id, "position": s.position, "name": s.name, "title": s.title,
            "organisation": _organisation(s.organisation),
        } for s in coalition.signatories(doc)],
        "shares": [{
            "organisation": _organisation(s.organisation), "shared_at": _iso(s.created_at),
            "shared_by": _person(s.created_by),
        } for s in coalition.shares(doc)],
        "state_history": state_history(doc),
        "publications": publications(doc),
        "submissions": newspaper_submissions(doc),
        "generated_at": _iso(utcnow()),
        "generated_by": _person(user),
    }


def export_trail(user, document_id, fmt="json"):
    """The trail of a document the user may see (NotFound otherwise); the export is audited."""
    doc = get_document(user, document_id)
    data = trail(doc, user)
    audit.record(user, "document.trail_exported", doc, format=fmt if fmt in FORMATS else "json",
                 revision=doc.current_revision.number)
    db.session.commit()
    return doc, data
