"""Notifications: the in-app inbox and email, per user's choice per event type.

Email defaults, until a user changes them on the notification settings page: on for what
asks something of the reader or decides the document's fate (review requested, mention,
changes requested, approved, agreed, changed since you approved, approval expired,
publication failed, a channel needs reconnecting, a text to post by hand, an approval
taken back, a joint release timed, held or released, a newspaper's reply overdue, a
send-out by email overdue or paused by itself, a watch list's match, a monitored item
given to you); off for
the frequent or merely informative events
(comment, partner approved, published, suggestion).
Every event always lands in the in-app inbox."""
from datetime import date, datetime

from babel.dates import format_datetime
from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update

from . import kinds, mail
from .access import EDITOR, get_or_404, visible_documents
from .extensions import db
from .models import Document, Item, Notification, NotificationPreference, User
from .times import DATETIME_FORMATS, organisation_zone, utcnow

EVENTS = ("review_requested", "comment", "mention", "changes_requested", "approved",
          "partner_approved", "agreed", "published", "publication_failed", "approval_expired",
          "suggestion", "approval_stale", "review_cancelled", "channel_problem",
          "approval_withdrawn", "release_scheduled", "release_held", "release_resumed",
          "submission_reply_due", "manual_post_due", "mailing_overdue", "mailing_paused",
          "watch_match", "item_assigned")
EMAIL_DEFAULTS = {
    "review_requested": True, "mention": True, "changes_requested": True, "approved": True,
    "agreed": True, "approval_expired": True, "publication_failed": True,
    "approval_stale": True, "channel_problem": True, "manual_post_due": True,
    "comment": False, "partner_approved": False, "published": False, "suggestion": False,
    "review_cancelled": False,
    "approval_withdrawn": True, "release_scheduled": True, "release_held": True,
    "release_resumed": True,
    "submission_reply_due": True,
    "mailing_overdue": True, "mailing_paused": True,
    "watch_match": True,
    "item_assigned": True,
}
EVENT_LABELS = {
    "review_requested": _l("Review requested"),
    "comment": _l("New comment"),
    "mention": _l("You are mentioned"),
    "changes_requested": _l("Changes requested"),
    "approved": _l("Approved"),
    "partner_approved": _l("Approved by a partner organisation"),
    "agreed": _l("Agreed by every organisation"),
    "published": _l("Published"),
    "publication_failed": _l("Publication failed"),
    "approval_expired": _l("Approval expired (held back)"),
    "suggestion": _l("Suggestions (new, accepted, declined)"),
    "approval_stale": _l("Changed since you approved"),
    "review_cancelled": _l("Review no longer needed"),
    "channel_problem": _l("A channel needs reconnecting"),
    "approval_withdrawn": _l("Approval taken back by an organisation"),
    "release_scheduled": _l("Joint release time set or changed"),
    "release_held": _l("Joint release held"),
    "release_resumed": _l("Joint release released again"),
    "submission_reply_due": _l("A newspaper has not answered in time"),
    "manual_post_due": _l("Time to post by hand"),
    "mailing_overdue": _l("A send-out by email is overdue"),
    "mailing_paused": _l("A send-out by email paused itself"),
    "watch_match": _l("A watch list found something"),
    "item_assigned": _l("A monitored item is given to you"),
}
SENTENCES = {
    "review_requested": _l("%(actor)s asks you to review “%(title)s”."),
    "comment": _l("%(actor)s commented on “%(title)s”."),
    "mention": _l("%(actor)s mentioned you on “%(title)s”."),
    "changes_requested": _l("%(actor)s requested changes to “%(title)s”."),
    "approved": _l("%(actor)s approved “%(title)s”."),
    "partner_approved": _l("%(actor)s approved “%(title)s” for %(organisation)s."),
    "agreed": _l("“%(title)s” is agreed by every organisation."),
    "published": _l("“%(title)s” has been published."),
    "publication_failed": _l("Publishing “%(title)s” failed on %(channels)s."),
    "approval_expired": _l("“%(title)s” was held back: its approval is missing or stale."),
    "suggestion": _l("%(actor)s suggested a change to “%(title)s”."),
    "approval_stale": _l("%(actor)s changed “%(title)s” since you approved it: see what "
                         "changed."),
    "review_cancelled": _l("%(actor)s no longer asks you to review “%(title)s”."),
    "channel_problem": _l("%(channels)s refused its credentials while publishing "
                          "“%(title)s”: reconnect it under Channels."),
    "approval_withdrawn": _l("%(actor)s took back the approval of %(organisation)s for "
                             "“%(title)s”: its publications are held."),
    "release_scheduled": _l("%(actor)s set the joint release time of “%(title)s”: plan "
                            "your channels for it."),
    "release_held": _l("%(actor)s held every party's publications of “%(title)s”."),
    "release_resumed": _l("%(actor)s released the held publications of “%(title)s”."),
    "submission_reply_due": _l("%(outlet)s has not answered about “%(title)s” by its reply "
                               "deadline: ask the desk, or withdraw the offer."),
    "manual_post_due": _l("“%(title)s” is due on %(channels)s: post it by hand and mark it "
                          "as posted."),
    "mailing_overdue": _l("The send-out of “%(title)s” is overdue (no worker ran at its "
                          "time): confirm it, or cancel it."),
    "mailing_paused": _l("The send-out of “%(title)s” paused itself."),
    "watch_match": _l("Watch list %(watch_list)s: %(terms)s in “%(title)s”."),
    "item_assigned": _l("%(actor)s gave you “%(title)s” from the monitoring to look at."),
    # Variants, chosen by the event's data (see _sentence_key).
    "review_requested.shared": _l("%(actor)s shared “%(title)s” with your organisation for "
                                  "review."),
    "suggestion.accepted": _l("%(actor)s accepted your suggestion on “%(title)s”."),
    "suggestion.rejected": _l("%(actor)s declined your suggestion on “%(title)s”."),
    "watch_match.page": _l("Watch list %(watch_list)s: %(terms)s on page %(page)s of "
                           "“%(title)s”."),
}
# Keys of `data` whose text is shown as a quotation (a comment, a message), in this order.
EXCERPT_KEYS = ("message", "excerpt", "body", "comment", "text", "note")
MAX_DATA_TEXT = 2000
MAX_EXCERPT = 1000


# --- preferences ------------------------------------------------------------------------

def preferences(user):
    """{event: wants email} for every event, the user's choices over the defaults."""
    rows = db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).scalars()
    chosen = {row.event: row.email for row in rows if row.event in EMAIL_DEFAULTS}
    return {event: chosen.get(event, EMAIL_DEFAULTS[event]) for event in EVENTS}


def wants_email(user, event):
    return preferences(user)[event]


def set_preferences(user, email_events):
    """Email for exactly the given events, none for the others; commits."""
    wanted = {e for e in email_events if e in EMAIL_DEFAULTS}
    rows = {row.event: row for row in db.session.execute(
        select(NotificationPreference).where(NotificationPreference.user_id == user.id)
    ).scalars()}
    for event in EVENTS:
        row = rows.get(event) or NotificationPreference(user_id=user.id, event=event)
        row.email = event in wanted
        db.session.add(row)
    db.session.commit()
    return preferences(user)


# --- notifying --------------------------------------------------------------------------

def notify(event, document, actor, recipients, **data):
    """Tell each recipient (users; the actor excluded) about an event, in the inbox and, if
    they want it, by email through the outbox. Adds rows; the caller commits.

    Skips nobodies, the actor, inactive accounts and anyone who cannot see the document.
    document None: an event about a monitored item (data["item_id"], data["title"]), told
    only to users of the item's organisation."""
    if event not in EMAIL_DEFAULTS:
        raise ValueError(f"unknown notification event {event!r}")
    data = _clean(data)
    seen, visible_to, added = set(), {}, []
    for user in recipients or ():
        if user is None or user.id in seen or (actor is not None and user.id == actor.id):
            continue
        seen.add(user.id)
        if not user.is_active or not (_may_see(user, document, visible_to) if document
                                      else _may_see_item(user, data)):
            continue
        note = Notification(user_id=user.id, event=event,
                            document_id=document.id if document else None,
                            actor_id=actor.id if actor is not None else None, data=data)
        db.session.add(note)
        added.append(note)
        if wants_email(user, event):
            _queue_email(user, event, document, actor, data)
    return added


def _may_see(user, document, cache):
    """The tenancy filter decides; per organisation, as everyone in one sees the same."""
    if user.organisation_id not in cache:
        cache[user.organisation_id] = db.session.execute(
            visible_documents(user).with_only_columns(Document.id)
            .where(Document.id == document.id)
        ).first() is not None
    return cache[user.organisation_id]


def _may_see_item(user, data):
    item = db.session.get(Item, data.get("item_id") or 0)
    return item is not None and item.organisation_id == user.organisation_id


def _clean(data):
    """JSON-safe values for the row: times as ISO text, long text cut."""
    clean = {}
    for key, value in data.items():
        if isinstance(value, (datetime, date)):
            value = value.isoformat()
        elif isinstance(value, str):
            value = value[:MAX_DATA_TEXT]
        elif value is not None and not isinstance(value, (bool, int, float, list, dict)):
            value = str(value)[:MAX_DATA_TEXT]
        clean[key] = value
    return clean


def excerpt(data):
    """The quoted text of a notification (a comment, a message), if any."""
    for key in EXCERPT_KEYS:
        value = (data or {}).get(key)
        if isinstance(value, str) and value.strip():
            text = value.strip()
            return text if len(text) <= MAX_EXCERPT else text[:MAX_EXCERPT] + "…"
    return ""


def actor_name(actor, data, reader=None):
    """Who did it, as the reader should see it: a partner's user with their organisation."""
    if actor is not None:
        if reader is not None and actor.organisation_id != reader.organisation_id \
                and actor.organisation is not None:
            return f"{actor.name} ({actor.organisation.name})"
        return actor.name
    guest = (data or {}).get("guest_name")
    if guest:
        return _("%(name)s (guest)", name=guest)
    return "commsdesk"


def _sentence_key(event, data):
    data = data or {}
    if event == "review_requested" and data.get("shared"):
        return "review_requested.shared"
    if event == "suggestion" and data.get("status") in ("accepted", "rejected"):
        return f"suggestion.{data['status']}"
    if event == "watch_match" and data.get("page"):
        return "watch_match.page"
    return event


def describe(event, title, actor, data, reader=None):
    """The one-line sentence for a notification, in the current language (plain text)."""
    sentence = SENTENCES.get(_sentence_key(event, data))
    if sentence is None:
        return str(EVENT_LABELS.get(event, event))
    return str(sentence) % {"actor": actor_name(actor, data, reader),
                            "title": title or (data or {}).get("title") or "",
                            "organisation": (data or {}).get("organisation") or "",
                            "channels": (data or {}).get("channels") or "",
                            "outlet": (data or {}).get("outlet") or "",
                            "watch_list": (data or {}).get("watch_list") or "",
                            "terms": _quoted((data or {}).get("terms")),
                            "page": (data or {}).get("page") or ""}


def _quoted(terms):
    """Watch terms as the reader sees them: "förskola", "skolskjuts"."""
    if isinstance(terms, str):
        terms = [terms]
    return ", ".join(_("“%(text)s”", text=term) for term in terms or ())


def title_of(note):
    """What a notification is about: its document's title, else the title in its data
    (a monitored item)."""
    if note.document is not None:
        return note.document.title
    return (note.data or {}).get("title") or ""


def item_path(item_id):
    """The path of a monitored item's page, also outside a request."""
    return current_app.url_map.bind("localhost").build("monitoring.item", {"item_id": item_id})


def item_url(item_id):
    """The absolute link to a monitored item's page, also outside a request (the worker)."""
    return absolute_url("monitoring.item", item_id=item_id)


def document_url(document_id):
    """The absolute link to a document's page, also outside a request (the worker)."""
    return absolute_url("documents.show", document_id=document_id)


def link(event, document_id, data):
    """The absolute link a notification leads to: what changed since the reader approved
    (approval_stale), otherwise the document's page."""
    data = data or {}
    if document_id is None and data.get("item_id"):  # about a monitored item
        return absolute_url("monitoring.item", item_id=data["item_id"])
    if event == "approval_stale" and data.get("from_revision_id") and data.get("to_revision_id"):
        return absolute_url("documents.compare", document_id=document_id,
                            a=data["from_revision_id"], b=data["to_revision_id"])
    if event == "publication_failed":  # straight to the panel that says what failed
        return document_url(document_id) + "#publishing"
    if event == "channel_problem":  # where it is reconnected
        return absolute_url("channels.index")
    if event == "submission_reply_due":
        return document_url(document_id) + "#submissions"
    if event in ("mailing_overdue", "mailing_paused") and data.get("mailing"):
        return absolute_url("mailings.show", mailing_id=data["mailing"])
    if event == "manual_post_due" and data.get("publication_id"):  # the text to copy
        return absolute_url("publications.copy", publication_id=data["publication_id"])
    return document_url(document_id)


def absolute_url(endpoint, **values):
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return current_app.config["BASE_URL"].rstrip("/") + path


def _format_time(value, user, locale):
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return ""
    return format_datetime(value, DATETIME_FORMATS["short"], tzinfo=organisation_zone(user),
                           locale=locale)


def _queue_email(user, event, document, actor, data):
    """Write the email to the outbox in the recipient's language."""
    locale = _locale(user)
    title = document.title if document else data.get("title", "")
    with force_locale(locale):
        sentence = describe(event, title, actor, data, reader=user)
        kind = kinds.KINDS.get(document.kind) if document else None
        context = {
            "sentence": sentence, "title": title, "event": event,
            "kind_label": str(kind.label) if kind else document.kind if document
            else _("Monitoring"),
            "about_item": document is None,
            "due": _format_time(data.get("due_at"), user, locale) if data.get("due_at") else "",
            "excerpt": excerpt(data),
            "link": link(event, document.id if document else None, data),
            "settings_link": absolute_url("notifications.preferences"),
        }
        text = render_template("email/notification.txt", **context)
        html = render_template("email/notification.html", **context)
    subject = " ".join(sentence.split())[:200]
    mail.queue(user.email, subject, text, html, organisation_id=user.organisation_id)


def _locale(user):
    return user.locale if user.locale in current_app.config["LANGUAGES"] else \
        current_app.config["BABEL_DEFAULT_LOCALE"]


# --- the inbox --------------------------------------------------------------------------

def _in_inbox(user):
    """The condition for the user's notifications about documents they can still see
    (unsharing hides them)."""
    visible_ids = visible_documents(user).with_only_columns(Document.id)
    return and_(
        Notification.user_id == user.id,
        or_(Notification.document_id.is_(None), Notification.document_id.in_(visible_ids)),
    )


def _inbox_query(user):
    return select(Notification).where(_in_inbox(user))


def inbox(user, page=1, per_page=25, unread_only=False):
    """A page of the user's notifications, newest first, and the total."""
    query = _inbox_query(user)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    total = db.session.execute(
        select(func.count()).select_from(query.subquery())).scalar_one()
    page = max(1, int(page or 1))
    items = db.session.execute(
        query.order_by(Notification.created_at.desc(), Notification.id.desc())
        .limit(per_page).offset((page - 1) * per_page)
    ).scalars().all()
    return items, total


def unread_count(user):
    query = _inbox_query(user).where(Notification.read_at.is_(None))
    return db.session.execute(select(func.count()).select_from(query.subquery())).scalar_one()


def get_notification(user, notification_id):
    """One of the user's own notifications; NotFound for anybody else's."""
    return get_or_404(Notification, notification_id, _in_inbox(user),
                      message=_("No such notification."))


def mark_read(user, notification_id):
    note = get_notification(user, notification_id)
    if note.read_at is None:
        note.read_at = utcnow()
        db.session.commit()
    return note


def mark_unread(user, notification_id):
    note = get_notification(user, notification_id)
    note.read_at = None
    db.session.commit()
    return note


def mark_all_read(user):
    """Mark every unread notification of the user as read; returns how many."""
    result = db.session.execute(
        update(Notification).where(Notification.user_id == user.id,
                                   Notification.read_at.is_(None))
        .values(read_at=utcnow())
    )
    db.session.commit()
    return result.rowcount


def recipients_in(organisation_ids, roles):
    """Active users of one organisation (an id) or several (a list of ids) with one of the
    roles."""
    if isinstance(organisation_ids, int):
        organisation_ids = [organisation_ids]
    if not organisation_ids:
        return []
    return db.session.execute(
        select(User).where(User.organisation_id.in_(list(organisation_ids)),
                           User.active.is_(True), User.role.in_(set(roles)))
        .order_by(User.id)
    ).scalars().all()


def owner_and_editors(doc):
    """Who hears of a document's progress: its owner and its organisation's editors."""
    return [doc.owner, *recipients_in(doc.organisation_id, {EDITOR})]
