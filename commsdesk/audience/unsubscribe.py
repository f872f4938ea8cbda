"""Leaving and coming back without a login: the links every message carries (RFC 8058
one-click, the visible unsubscribe link, the preference page), unsubscribing, undoing it,
and the choices on the preference page. Every link holds a signed token of organisation +
address (audience.tokens), so it works for members and press contacts alike."""
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import delete, select

from .. import audit
from ..errors import ValidationError
from ..extensions import db
from ..models import TOPICS, Member, Organisation, Suppression, utcnow
from ..validation import text_field
from . import suppression, tokens

MAX_NAME = 200


def links(organisation_id, email):
    """Absolute URLs (from BASE_URL) of the unsubscribe, preference and one-click links."""
    token = tokens.unsubscribe_token(organisation_id, suppression.normalise(email))
    base = current_app.config["BASE_URL"].rstrip("/")
    return {"unsubscribe_url": f"{base}/u/{token}",
            "preferences_url": f"{base}/u/{token}/preferences",
            "one_click_url": f"{base}/u/{token}/one-click"}


def headers(organisation_id, email, known_links=None):
    """The RFC 8058 header fields for a message to this address (from its `links`, when
    the caller has them already)."""
    known_links = known_links or links(organisation_id, email)
    return {"List-Unsubscribe": f"<{known_links['one_click_url']}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}


def read(token):
    """(organisation, email) of a link's token; tokens.InvalidToken if it is not valid."""
    organisation_id, email = tokens.read_unsubscribe_token(token)
    org = db.session.get(Organisation, organisation_id) if isinstance(organisation_id, int) \
        else None
    if org is None or not isinstance(email, str):
        raise tokens.InvalidToken()
    return org, suppression.normalise(email)


def member(organisation_id, email):
    """The organisation's member with this address, or None (a press contact, or erased)."""
    return db.session.execute(
        select(Member).where(Member.organisation_id == organisation_id,
                             Member.email == suppression.normalise(email))).scalar_one_or_none()


def unsubscribe(organisation_id, email, source):
    """Unsubscribe the address from everything the organisation sends: the member's state,
    the suppression list and an audit entry (no actor); commits. Idempotent: True only if
    something changed."""
    row = member(organisation_id, email)
    changed = not suppression.is_suppressed(organisation_id, email)
    suppression.suppress(organisation_id, email, "unsubscribed")
    if row is not None and row.state != "unsubscribed":
        row.state = "unsubscribed"
        changed = True
    if changed:
        audit.record(None, "member.unsubscribed", row, organisation_id=organisation_id,
                     source=source, email_hash=suppression.email_hash(email)[:12])
    db.session.commit()
    return changed


def resubscribe(organisation_id, email):
    """Undo an unsubscribe from its confirmation page: only a suppression for the reason
    "unsubscribed" is lifted (never a bounce or an erasure); commits. True if it was."""
    lifted = db.session.execute(
        delete(Suppression).where(Suppression.organisation_id == organisation_id,
                                  Suppression.email_hash == suppression.email_hash(email),
                                  Suppression.reason == "unsubscribed")).rowcount
    row = member(organisation_id, email)
    if row is not None and row.state == "unsubscribed" and (
            lifted or not suppression.is_suppressed(organisation_id, email)):
        # A signup never confirmed stays unconfirmed: undo is not a double opt-in.
        never_confirmed = row.consent_source == "signup form" and row.confirmed_at is None
        row.state = "pending" if never_confirmed else "subscribed"
    if lifted:
        audit.record(None, "member.resubscribed", row, organisation_id=organisation_id,
                     email_hash=suppression.email_hash(email)[:12])
    db.session.commit()
    return bool(lifted)


def save_preferences(organisation_id, email, topics, name):
    """The member's own choice of topics and name from the preference page; commits."""
    row = member(organisation_id, email)
    if row is None:
        raise ValidationError(_("There is nothing here."))
    chosen = [topic for topic in TOPICS if topic in set(topics)]
    name = text_field(name, MAX_NAME, _("Name"), "name", single_line=True)
    changes = {}
    if chosen != list(row.topics or []):
        changes["topics"] = chosen
        row.topics = chosen
    if name and name != row.name:
        changes["name"] = True  # that it changed, not the name itself
        row.name = name
    if changes:
        row.updated_at = utcnow()
        audit.record(None, "member.preferences_changed", row, **changes)
    db.session.commit()
    return row
