"""The suppression list as staff see it: counts by reason, whether one address is on it,
and lifting an entry (admins only, with a reason, audited). The list holds hashes only."""
from flask_babel import gettext as _
from sqlalchemy import func, select

from .. import audit
from ..access import can_see_members, is_admin
from ..errors import Forbidden, NotFound
from ..extensions import db
from ..models import SUPPRESSION_REASONS, Suppression
from ..validation import text_field
from . import suppression

MAX_WHY = 500


def require_steward(user):
    """Only roles that may see member data see the list (404 for everyone else)."""
    if not can_see_members(user):
        raise NotFound(_("There is nothing here."))


def counts(user):
    """{reason: count} for every reason (zeros included) and the total."""
    require_steward(user)
    rows = dict(db.session.execute(
        select(Suppression.reason, func.count()).where(
            Suppression.organisation_id == user.organisation_id).group_by(Suppression.reason)
    ).all())
    by_reason = {reason: rows.get(reason, 0) for reason in SUPPRESSION_REASONS}
    return by_reason, sum(by_reason.values())


def lookup(user, email):
    """The suppression row of a typed address, or None; the check is audited (the hash's
    first characters, never the address)."""
    require_steward(user)
    digest = suppression.email_hash(email)
    row = db.session.execute(select(Suppression).where(
        Suppression.organisation_id == user.organisation_id,
        Suppression.email_hash == digest)).scalar_one_or_none()
    audit.record(user, "suppression.checked", None, email_hash=digest[:12],
                 found=row is not None)
    db.session.commit()
    return row


def lift(user, email, why):
    """Take an address off the list (admins only, a reason required), audited; commits.
    NotFound if it is not on it."""
    require_steward(user)
    if not is_admin(user):
        raise Forbidden(_("Only an admin may take an address off the suppression list."))
    why = text_field(why, MAX_WHY, _("Reason"), "why", required=True)
    digest = suppression.email_hash(email)
    row = db.session.execute(select(Suppression).where(
        Suppression.organisation_id == user.organisation_id,
        Suppression.email_hash == digest)).scalar_one_or_none()
    if row is None:
        raise NotFound(_("That address is not on the suppression list."))
    audit.record(user, "suppression.removed", row, reason=row.reason, why=why,
                 email_hash=digest[:12])
    db.session.delete(row)
    db.session.commit()
