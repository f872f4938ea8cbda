"""The public signup form with double opt-in: a signup makes (or refreshes) a pending
member and emails a signed, expiring confirmation link; following it subscribes. The
consent text shown is kept with the record. Whether an address is already a member, or
suppressed, never shows in the answer."""
from datetime import timedelta

from flask import current_app, render_template
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit, branding, mail
from ..errors import NotFound
from ..extensions import db
from ..models import TOPICS, Member, Organisation, Suppression, utcnow
from ..people import normalise_email
from ..validation import text_field
from . import settings, suppression, tokens

SOURCE = "signup form"
MAX_NAME = 200
MAX_BRANCH = 200
# A pending address gets at most one confirmation email in this time (a bot or an impatient
# double click cannot fill someone's inbox).
RESEND_AFTER = timedelta(minutes=1)
# The default consent text per newsroom language (Swedish first), shown and stored as is.
DEFAULT_CONSENT = {
    "sv": "Jag vill få nyhetsbrev och kallelser till medlemsmöten från {org} via e-post. "
          "Mina uppgifter används bara för detta, och jag kan när som helst avsluta "
          "prenumerationen via länken i varje meddelande.",
    "nb": "Jeg vil motta nyhetsbrev og innkallinger til medlemsmøter fra {org} på e-post. "
          "Opplysningene mine brukes bare til dette, og jeg kan når som helst melde meg av "
          "via lenken i hver melding.",
    "en": "I want to receive newsletters and notices of members' meetings from {org} by "
          "email. My details are used only for this, and I can unsubscribe at any time "
          "through the link in every message.",
}


def open_form(org_slug):
    """The organisation whose signup form is open at this slug; NotFound otherwise."""
    org = db.session.execute(
        select(Organisation).where(Organisation.slug == org_slug)).scalar_one_or_none()
    if org is None or not settings.get(org).signup_open:
        raise NotFound(_("There is nothing here."))
    return org


def consent_text(org):
    """The words a person agrees to on the organisation's form, as shown."""
    text = settings.get(org).consent_text
    if text:
        return text
    locale = branding.brand(org).locale
    return DEFAULT_CONSENT.get(locale, DEFAULT_CONSENT["sv"]).format(org=org.name)


def clean(name, email, branch):
    """The form's fields checked (ValidationError naming the field)."""
    return (text_field(name, MAX_NAME, _("Name"), "name", required=True, single_line=True),
            normalise_email(email),
            text_field(branch, MAX_BRANCH, _("Local branch"), "branch", single_line=True))


def sign_up(org, name, email, branch=""):
    """Take a signup: a pending member made or refreshed and a confirmation link emailed,
    unless the address is subscribed already or suppressed for a reason other than an
    unsubscribe (the answer is the same either way); commits. Returns the member or None."""
    name, email, branch = clean(name, email, branch)
    now = utcnow()
    reason = _suppression_reason(org.id, email)
    if reason not in (None, "unsubscribed"):
        return None
    row = db.session.execute(select(Member).where(
        Member.organisation_id == org.id, Member.email == email)).scalar_one_or_none()
    if row is not None and row.state == "subscribed" and reason is None:
        return None
    if row is None:
        row = Member(organisation_id=org.id, email=email, state="pending", topics=list(TOPICS))
        db.session.add(row)
    elif row.state == "pending" and row.updated_at and now - row.updated_at < RESEND_AFTER:
        return row
    if row.state == "pending":
        # Only a pending record takes the new details now; a member who left keeps theirs
        # until the link is followed.
        row.name, row.branch = name, branch or row.branch
        row.consent_source, row.consent_at, row.consent_text = SOURCE, now, consent_text(org)
    row.updated_at = now
    db.session.flush()
    _queue_confirmation(org, row)
    db.session.commit()
    return row


def _suppression_reason(organisation_id, email):
    return db.session.execute(select(Suppression.reason).where(
        Suppression.organisation_id == organisation_id,
        Suppression.email_hash == suppression.email_hash(email))).scalar_one_or_none()


def confirm_url(org, row):
    """The absolute address of the member's confirmation link."""
    base = current_app.config["BASE_URL"].rstrip("/")
    return f"{base}/n/{org.slug}/join/confirm/{tokens.confirm_token(row.id, row.email)}"


def _queue_confirmation(org, row):
    context = {"org": org, "member": row, "url": confirm_url(org, row),
               "days": tokens.CONFIRM_MAX_AGE // 86400}
    mail.queue(row.email, _("Confirm your subscription to %(org)s", org=org.name),
               render_template("email/signup_confirm.txt", **context),
               organisation_id=org.id)


def confirm(org, token):
    """Follow a confirmation link: the member is subscribed (an unsubscribe suppression is
    lifted, no other); commits. tokens.InvalidToken if the link is altered, expired or not
    this organisation's."""
    member_id, email = tokens.read_confirm_token(token)
    row = db.session.get(Member, member_id) if isinstance(member_id, int) else None
    if row is None or row.organisation_id != org.id or row.email != email:
        raise tokens.InvalidToken()
    if row.state != "subscribed":
        now = utcnow()
        if row.state == "unsubscribed":
            row.consent_source, row.consent_at, row.consent_text = SOURCE, now, consent_text(org)
        row.state, row.confirmed_at = "subscribed", now
        if _suppression_reason(org.id, email) == "unsubscribed":
            db.session.execute(Suppression.__table__.delete().where(
                Suppression.organisation_id == org.id,
                Suppression.email_hash == suppression.email_hash(email)))
        audit.record(None, "member.confirmed", row, source=SOURCE)
        db.session.commit()
    return row


def renew(org, token):
    """Send a new confirmation link for an expired one (its signature must still be ours);
    commits. False if the link is not genuine or there is nothing to confirm."""
    try:
        member_id, email = tokens.read_confirm_token(token, max_age=None)
    except tokens.InvalidToken:
        return False
    row = db.session.get(Member, member_id) if isinstance(member_id, int) else None
    if row is None or row.organisation_id != org.id or row.email != email \
            or row.state == "subscribed":
        return False
    return sign_up(org, row.name or email, email, row.branch or "") is not None
