"""Preview links: a secret, expiring link through which a person without an account (a
signatory, a candidate quoted in a release) reads one revision and may leave a comment.

Only the SHA-256 of a link's token is stored; the token itself is shown once, to its creator."""
import hashlib
import secrets
from datetime import timedelta

from flask_babel import gettext as _
from sqlalchemy import func, select

from . import audit, notifications
from .access import can_manage_previews, get_or_404
from .errors import Forbidden, NotFound, RateLimited, ValidationError
from .extensions import db
from .models import Comment, Document, PreviewLink, utcnow
from .validation import text_field

DEFAULT_DAYS, MAX_DAYS = 7, 30
MAX_LABEL = 200
MAX_NAME = 200
MAX_COMMENT = 5_000
# Guest comments per link: at most RATE_MAX within RATE_WINDOW, and MAX_PER_LINK in all.
RATE_MAX, RATE_WINDOW = 10, timedelta(minutes=10)
MAX_PER_LINK = 200


def hash_token(raw):
    return hashlib.sha256((raw or "").encode("utf-8")).hexdigest()


def _require_manage(user, doc):
    if not can_manage_previews(user, doc):
        raise Forbidden(_("Only the owning organisation's editors manage preview links."))


def _days(value):
    if value in (None, ""):
        return DEFAULT_DAYS
    try:
        days = int(value)
    except (TypeError, ValueError):
        days = 0
    if isinstance(value, bool) or not 1 <= days <= MAX_DAYS:
        raise ValidationError(_("The link must last between 1 and %(n)d days.", n=MAX_DAYS),
                              field="days")
    return days


def create_link(user, doc, label, days=DEFAULT_DAYS, allow_comments=True):
    """A new link to the current revision; returns (link, raw token). Commits."""
    _require_manage(user, doc)
    label = text_field(label, MAX_LABEL, _("Who it is for"), "label", required=True,
                       single_line=True)
    days = _days(days)
    raw = secrets.token_urlsafe(32)
    link = PreviewLink(
        document_id=doc.id, revision_id=doc.current_revision_id,
        organisation_id=doc.organisation_id, token_hash=hash_token(raw), label=label,
        allow_comments=bool(allow_comments), created_by_id=user.id,
        expires_at=utcnow() + timedelta(days=days),
    )
    db.session.add(link)
    db.session.flush()
    audit.record(user, "preview_link.created", link, document_id=doc.id,
                 revision=doc.current_revision.number, label=label, days=days,
                 allow_comments=link.allow_comments)
    db.session.commit()
    return link, raw


def url_for_token(raw):
    """The absolute address of the preview page for a token."""
    return notifications.absolute_url("public.preview", token=raw)


def links(user, doc):
    """Every link of the document, newest first (for its managers)."""
    _require_manage(user, doc)
    return db.session.execute(
        select(PreviewLink).where(PreviewLink.document_id == doc.id)
        .order_by(PreviewLink.id.desc())
    ).scalars().all()


def get_link(user, doc, link_id):
    """A preview link of this document, for its managers; NotFound otherwise."""
    _require_manage(user, doc)
    return get_or_404(PreviewLink, link_id, PreviewLink.document_id == doc.id,
                      message=_("No such preview link."))


def revoke_link(user, doc, link_id):
    """Revoke a link at once; revoking twice changes nothing. Commits."""
    link = get_link(user, doc, link_id)
    if link.revoked_at is None:
        link.revoked_at = utcnow()
        audit.record(user, "preview_link.revoked", link, document_id=doc.id, label=link.label)
        db.session.commit()
    return link


def status(link):
    """"active", "expired" or "revoked"."""
    if link.revoked_at is not None:
        return "revoked"
    if link.expires_at <= utcnow():
        return "expired"
    return "active"


def open_link(raw):
    """The link for a token if it is active and its document not archived; NotFound for
    unknown, expired or revoked links and for those of an archived document (archiving takes
    a text out of circulation, so its links stop working too; reopening brings them back
    while they have not expired)."""
    link = None
    if raw and len(raw) <= 200:
        link = db.session.execute(
            select(PreviewLink).where(PreviewLink.token_hash == hash_token(raw))
        ).scalar_one_or_none()
    if link is None or status(link) != "active" or link_document(link).state == "archived":
        raise NotFound(_("This preview link does not work (any more)."))
    return link


def link_document(link):
    return db.session.get(Document, link.document_id)


def has_newer_revision(link):
    return link_document(link).current_revision_id != link.revision_id


def guest_comments(link):
    """The comments left through this link, oldest first."""
    return db.session.execute(
        select(Comment).where(Comment.preview_link_id == link.id).order_by(Comment.id)
    ).scalars().all()


def _comment_count(link, *where):
    return db.session.execute(
        select(func.count(Comment.id)).where(Comment.preview_link_id == link.id, *where)
    ).scalar_one()


def _check_rate(link):
    """Counted in the database, so every web worker sees the same numbers."""
    recent = _comment_count(link, Comment.created_at >= utcnow() - RATE_WINDOW)
    if recent >= RATE_MAX or _comment_count(link) >= MAX_PER_LINK:
        raise RateLimited(_("Too many comments through this link. Wait a while and try again."))


def guest_comment(raw, name, body):
    """A comment by the link's guest on the link's revision; notifies the owning organisation's
    editors. Commits."""
    link = open_link(raw)
    if not link.allow_comments:
        raise Forbidden(_("This preview link does not take comments."))
    name = text_field(name, MAX_NAME, _("Your name"), "name", required=True, single_line=True)
    body = text_field(body, MAX_COMMENT, _("Comment"), "body", required=True)
    _check_rate(link)
    doc = link_document(link)
    comment = Comment(document_id=doc.id, organisation_id=doc.organisation_id, author_id=None,
                      guest_name=name, preview_link_id=link.id, revision_id=link.revision_id,
                      quote="", body=body)
    db.session.add(comment)
    db.session.flush()
    audit.record(None, "preview_link.guest_comment", comment, organisation_id=doc.organisation_id,
                 document_id=doc.id, preview_link_id=link.id, guest_name=name)
    notifications.notify("comment", doc, None, _editors(doc, link), guest_name=name,
                         excerpt=body, comment_id=comment.id, preview_link=link.label)
    db.session.commit()
    return comment


def _editors(doc, link):
    """Who hears of a guest comment: the link's creator, the document's owner and the owning
    organisation's editors."""
    return [link.created_by, *notifications.owner_and_editors(doc)]
