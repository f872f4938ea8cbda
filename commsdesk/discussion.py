"""Comments and suggestions: threads on a document (optionally anchored to a quoted passage),
@mentions, and suggested revisions that the owning organisation accepts or rejects."""
from dataclasses import dataclass, field
from datetime import datetime
from html.parser import HTMLParser

import regex
from flask_babel import gettext as _
from sqlalchemy import or_, select, update
from sqlalchemy.orm import selectinload

from . import audit, diff, documents, notifications, workflow
from .access import can_edit, get_or_404, require_edit, require_visible
from .errors import Conflict, DomainError, Forbidden, NotFound, ValidationError
from .extensions import db
from .models import Comment, Share, Suggestion, User
from .rendering import render_markdown
from .times import organisation_zone, utcnow
from .validation import text_field

MAX_COMMENT = 10_000
MAX_QUOTE = 1_000
MAX_NOTE = 2_000
EXCERPT = 200
STATUSES = ("open", "accepted", "rejected")
# "@eva", "@eva.sjoberg" (the local part of an email address) or "@eva@example.org" (the
# whole address, for when two readers share a local part). Not inside an address or word.
MENTION_RE = regex.compile(r"(?<![\w@.+\-])@([\w.+\-]+(?:@[\w\-]+(?:\.[\w\-]+)+)?)")


# --- who may see, who is mentioned ---------------------------------------------------------

def readers(doc):
    """Active users who can see the document: its organisation's and every partner's."""
    partners = select(Share.organisation_id).where(Share.document_id == doc.id)
    return db.session.execute(
        select(User).where(User.active.is_(True), or_(
            User.organisation_id == doc.organisation_id, User.organisation_id.in_(partners)))
        .order_by(User.id)
    ).scalars().all()


def resolve_mentions(doc, text):
    """(users mentioned in text who can see doc, names that match several of them)."""
    tokens = [t.rstrip(".-") for t in MENTION_RE.findall(text or "")]
    tokens = [t for t in tokens if t]
    if not tokens:
        return [], []
    by_email, by_local = {}, {}
    for user in readers(doc):
        email = user.email.lower()
        by_email[email] = user
        by_local.setdefault(email.partition("@")[0], []).append(user)
    found, ambiguous = [], []
    for token in tokens:
        key = token.lower()
        matches = [by_email[key]] if key in by_email else by_local.get(key, [])
        if len(matches) == 1:
            if matches[0] not in found:
                found.append(matches[0])
        elif len(matches) > 1 and token not in ambiguous:
            ambiguous.append(token)
    return found, ambiguous


def mentioned_users(doc, text):
    """The users an @mention in text names, among those who can see the document."""
    return resolve_mentions(doc, text)[0]


# --- quoted passages -----------------------------------------------------------------------

class _TextOnly(HTMLParser):
    def __init__(self):
        super().__init__()
        self.parts = []

    def handle_data(self, data):
        self.parts.append(data)


def _plain(html):
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join(parser.parts)


def _squash(text):
    return " ".join((text or "").split())


def _texts(content):
    """The revision's texts as written and, for Markdown, as a reader sees them on the page."""
    texts = [content.get("title", ""), content.get("lead", ""), content.get("body", "")]
    texts += [str(v) for v in (content.get("fields") or {}).values() if v not in (None, "")]
    texts += [v for v in (content.get("variants") or {}).values() if v]
    texts += [_plain(render_markdown(content.get(k, ""))) for k in ("lead", "body")]
    return [_squash(t) for t in texts if t]


def quote_finder(content):
    """A test of whether a quoted passage occurs in the content (whitespace-insensitive);
    the text is prepared once, for checking many quotes."""
    texts = _texts(content)

    def found(quote):
        wanted = _squash(quote)
        return bool(wanted) and any(wanted in text for text in texts)
    return found


def quote_in(content, quote):
    """Whether a quoted passage occurs in a revision's content."""
    return quote_finder(content)(quote)


def _clean_quote(doc, quote):
    quote = text_field(quote, MAX_QUOTE, _("Quoted passage"), "quote", single_line=True)
    if quote and not quote_in(doc.current_revision.content, quote):
        raise ValidationError(
            _("The quoted passage does not occur in the current text (revision %(n)d). "
              "Copy it exactly from the document.", n=doc.current_revision.number),
            field="quote")
    return quote


# --- comments ------------------------------------------------------------------------------

@dataclass
class Thread:
    root: Comment
    replies: list = field(default_factory=list)
    last_activity: datetime | None = None
    quote_found: bool = True

    @property
    def resolved(self):
        return self.root.resolved_at is not None


def threads(user, doc):
    """The document's comment threads, most recent activity first."""
    require_visible(user, doc)
    comments = db.session.execute(
        select(Comment).where(Comment.document_id == doc.id).order_by(Comment.id)
        .options(selectinload(Comment.author), selectinload(Comment.organisation))
    ).scalars().all()
    by_id = {c.id: c for c in comments}
    result = {}
    for comment in comments:
        root = comment
        while root.parent_id is not None and root.parent_id in by_id:
            root = by_id[root.parent_id]
        thread = result.setdefault(root.id, Thread(root=root))
        if comment is not root:
            thread.replies.append(comment)
        thread.last_activity = max(filter(None, (
            thread.last_activity, comment.created_at, comment.resolved_at)))
    found = quote_finder(doc.current_revision.content)
    for thread in result.values():
        thread.quote_found = not thread.root.quote or found(thread.root.quote)
    return sorted(result.values(), key=lambda t: (t.last_activity, t.root.id), reverse=True)


def get_comment(doc, comment_id):
    """A comment on this document, or NotFound."""
    return get_or_404(Comment, comment_id, Comment.document_id == doc.id,
                      message=_("No such comment."))


def _root(comment):
    while comment.parent_id is not None:
        comment = db.session.get(Comment, comment.parent_id)
    return comment


def _participants(doc, root):
    authors = db.session.execute(
        select(Comment.author_id).where(Comment.document_id == doc.id,
                                        or_(Comment.id == root.id, Comment.parent_id == root.id))
    ).scalars().all()
    return {doc.owner_id, *(a for a in authors if a is not None)}


def excerpt(text):
    text = _squash(text)
    return text if len(text) <= EXCERPT else text[:EXCERPT - 1] + "…"


def add_comment(user, doc, body, quote=None, parent_id=None):
    """Comment on a document (a reply if parent_id names a comment of it), notifying the
    people mentioned and the owner and participants of the thread."""
    require_visible(user, doc)
    body = text_field(body, MAX_COMMENT, _("Comment"), "body", required=True)
    quote = _clean_quote(doc, quote)
    parent = None
    if parent_id not in (None, ""):
        parent = _root(get_comment(doc, parent_id))  # threads are one level deep
    comment = Comment(document_id=doc.id, organisation_id=user.organisation_id,
                      author_id=user.id, parent_id=parent.id if parent else None,
                      revision_id=doc.current_revision_id, quote=quote, body=body)
    db.session.add(comment)
    db.session.flush()
    mentioned, ambiguous = resolve_mentions(doc, body)
    mentioned = [u for u in mentioned if u.id != user.id]
    visible = {u.id: u for u in readers(doc)}
    others = _participants(doc, parent or comment) - {u.id for u in mentioned} - {user.id}
    audit.record(user, "comment.created", doc, comment_id=comment.id,
                 parent_id=comment.parent_id, mentioned=[u.id for u in mentioned])
    data = {"comment_id": comment.id, "excerpt": excerpt(body)}
    if mentioned:
        notifications.notify("mention", doc, user, mentioned, **data)
    recipients = [visible[i] for i in sorted(others) if i in visible]
    if recipients:
        notifications.notify("comment", doc, user, recipients, **data)
    db.session.commit()
    comment.mentioned, comment.ambiguous_mentions = mentioned, ambiguous
    return comment


def _thread_for_decision(user, doc, comment_id):
    require_visible(user, doc)
    comment = get_comment(doc, comment_id)
    if comment.parent_id is not None:
        raise ValidationError(_("Resolve or reopen the whole thread (its first comment), "
                                "not a reply."), field="comment_id")
    if not (can_edit(user, doc) or (comment.author_id is not None
                                    and comment.author_id == user.id)):
        raise Forbidden(_("Only the document's editors or the comment's author may resolve "
                          "or reopen this thread."))
    return comment


def resolve_comment(user, doc, comment_id):
    """Mark a thread resolved (the owning organisation's editors or the thread's author)."""
    comment = _thread_for_decision(user, doc, comment_id)
    if comment.resolved_at is not None:
        raise Conflict(_("This thread is resolved already."))
    comment.resolved_at, comment.resolved_by_id = utcnow(), user.id
    audit.record(user, "comment.resolved", doc, comment_id=comment.id)
    db.session.commit()
    return comment


def reopen_comment(user, doc, comment_id):
    """Open a resolved thread again."""
    comment = _thread_for_decision(user, doc, comment_id)
    if comment.resolved_at is None:
        raise Conflict(_("This thread is open already."))
    comment.resolved_at = comment.resolved_by_id = None
    audit.record(user, "comment.reopened", doc, comment_id=comment.id)
    db.session.commit()
    return comment


# --- suggestions ---------------------------------------------------------------------------

def suggestions(user, doc, status=None):
    """The document's suggestions, newest first; only those with the status, if given."""
    require_visible(user, doc)
    if status is not None and status not in STATUSES:
        raise ValidationError(_("status must be one of: %(statuses)s.",
                                statuses=", ".join(STATUSES)), field="status")
    query = select(Suggestion).where(Suggestion.document_id == doc.id)
    if status:
        query = query.where(Suggestion.status == status)
    return db.session.execute(
        query.order_by(Suggestion.id.desc())
        .options(selectinload(Suggestion.author), selectinload(Suggestion.organisation),
                 selectinload(Suggestion.base_revision))
    ).scalars().all()


def get_suggestion(user, doc, suggestion_id):
    """A suggestion on this document, or NotFound."""
    require_visible(user, doc)
    return get_or_404(Suggestion, suggestion_id, Suggestion.document_id == doc.id,
                      message=_("No such suggestion."))


def create_suggestion(user, doc, data, base_revision_id, note=""):
    """Propose new content for the document, based on its current revision; its editors
    are told. Anyone who can see the document may suggest."""
    require_visible(user, doc)
    workflow.check_editable(doc)
    content = documents.normalise_content(doc.kind, data, organisation_zone(doc))
    note = text_field(note, MAX_NOTE, _("Note"), "note")
    current = doc.current_revision
    if str(base_revision_id) != str(current.id):
        base = _revision_or_none(doc, base_revision_id)
        raise Conflict(
            _("The document has changed since you started (it is now revision %(n)d). "
              "Nothing was saved: look at what changed and suggest again.", n=current.number),
            current_revision_id=current.id, base_revision_id=base.id if base else None,
            proposed=content)
    if documents.content_hash(content) == current.content_hash:
        raise ValidationError(_("Your suggestion is the same as the current text."))
    suggestion = Suggestion(document_id=doc.id, organisation_id=user.organisation_id,
                            author_id=user.id, base_revision_id=current.id, content=content,
                            note=note, status="open")
    db.session.add(suggestion)
    db.session.flush()
    audit.record(user, "suggestion.created", doc, suggestion_id=suggestion.id,
                 base_revision=current.number)
    notifications.notify("suggestion", doc, user, notifications.owner_and_editors(doc),
                         suggestion_id=suggestion.id, status="open", excerpt=excerpt(note))
    db.session.commit()
    return suggestion


def _revision_or_none(doc, revision_id):
    try:
        return documents.get_revision(doc, revision_id)
    except NotFound:
        return None


def is_stale(doc, suggestion):
    """An open suggestion whose base is no longer the current revision."""
    return suggestion.status == "open" and suggestion.base_revision_id != doc.current_revision_id


def changes(doc, suggestion):
    """What the suggestion changes in its base, and (if the document has moved on) what
    accepting it would do to the current text."""
    result = {"base": diff.diff_content(suggestion.base_revision.content, suggestion.content),
              "current": None, "since": None}
    if is_stale(doc, suggestion):
        current = doc.current_revision.content
        result["current"] = diff.diff_content(current, suggestion.content)
        result["since"] = diff.diff_content(suggestion.base_revision.content, current)
    return result


def _decide(user, doc, suggestion_id, status):
    """Check that the user may decide and the suggestion is open, then claim it atomically."""
    suggestion = get_suggestion(user, doc, suggestion_id)
    require_edit(user, doc)
    if suggestion.status != "open":
        raise Conflict(_("This suggestion was %(status)s already.",
                         status=status_label(suggestion.status)),
                       suggestion_status=suggestion.status)
    claimed = db.session.execute(
        update(Suggestion).where(Suggestion.id == suggestion.id, Suggestion.status == "open")
        .values(status=status, decided_by_id=user.id, decided_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:  # someone else decided it in the meantime
        db.session.rollback()
        raise Conflict(_("Someone else decided on this suggestion just now."))
    return suggestion


def accept_suggestion(user, doc, suggestion_id):
    """Make a suggestion the document's new revision. Only if the document has not moved on
    since the suggestion's base revision: accepting then would silently undo newer work, so
    it is refused with a Conflict (nothing changes)."""
    suggestion = get_suggestion(user, doc, suggestion_id)
    require_edit(user, doc)
    if is_stale(doc, suggestion):
        raise Conflict(
            _("The text has changed since this suggestion was made on revision %(base)d (it "
              "is now revision %(current)d). Accepting it would undo those changes, so "
              "nothing was changed.", base=suggestion.base_revision.number,
              current=doc.current_revision.number),
            current_revision_id=doc.current_revision_id,
            base_revision_id=suggestion.base_revision_id)
    workflow.check_editable(doc)
    _decide(user, doc, suggestion.id, "accepted")
    author = suggestion.author
    number = doc.current_revision.number + 1
    audit.record(user, "suggestion.accepted", doc, suggestion_id=suggestion.id, revision=number)
    notifications.notify("suggestion", doc, user, [author], suggestion_id=suggestion.id,
                         status="accepted", revision=number)
    try:  # save_revision commits the decision, the audit entry and the notice with the text
        revision, _created = documents.save_revision(
            user, doc, suggestion.content, suggestion.base_revision_id,
            # Stored in English, shown in the reader's language (web.filters.revision_note).
            note=f"Suggestion by {author.name} accepted")
    except DomainError:
        db.session.rollback()
        raise
    db.session.refresh(suggestion)
    suggestion.result_revision_id = revision.id
    db.session.commit()
    return suggestion


def reject_suggestion(user, doc, suggestion_id, reason=""):
    """Decline a suggestion, with an optional reason for its author."""
    reason = text_field(reason, MAX_NOTE, _("Reason"), "reason")
    suggestion = _decide(user, doc, suggestion_id, "rejected")
    suggestion.decision_note = reason
    audit.record(user, "suggestion.rejected", doc, suggestion_id=suggestion.id, reason=reason)
    notifications.notify("suggestion", doc, user,
                         [suggestion.author],
                         suggestion_id=suggestion.id, status="rejected", message=reason)
    db.session.commit()
    db.session.refresh(suggestion)
    return suggestion


def rejection_reason(doc, suggestion):
    """The reason given when the suggestion was rejected."""
    return suggestion.decision_note or "" if suggestion.status == "rejected" else ""


def status_label(status):
    return {"open": _("open"), "accepted": _("accepted"), "rejected": _("rejected")}.get(
        status, status)
