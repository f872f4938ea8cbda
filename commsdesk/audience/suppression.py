"""The suppression list: addresses that get nothing from an organisation any more
(unsubscribed, hard-bounced, erased, complained), kept only as hashes and honoured by every
send and every import, also when the address comes back in a file."""
import hashlib

from sqlalchemy import select

from ..extensions import db
from ..models import SUPPRESSION_REASONS, Suppression


def normalise(email):
    """The form an address is stored and compared in."""
    return (email or "").strip().lower()


def email_hash(email):
    """SHA-256 (hex) of the normalised address."""
    return hashlib.sha256(normalise(email).encode("utf-8")).hexdigest()


def is_suppressed(organisation_id, email):
    """True if the organisation must not send to this address."""
    return db.session.execute(
        select(Suppression.id).where(Suppression.organisation_id == organisation_id,
                                     Suppression.email_hash == email_hash(email))
    ).first() is not None


def suppressed_hashes(organisation_id):
    """Every suppressed hash of the organisation, as a set (for checking many at once)."""
    return set(db.session.execute(
        select(Suppression.email_hash).where(Suppression.organisation_id == organisation_id)
    ).scalars())


def suppress(organisation_id, email, reason):
    """Add the address to the list in the current transaction (the caller commits); an
    address already on it keeps its first reason. Returns the row."""
    if reason not in SUPPRESSION_REASONS:
        raise ValueError(f"unknown suppression reason {reason!r}")
    digest = email_hash(email)
    row = db.session.execute(
        select(Suppression).where(Suppression.organisation_id == organisation_id,
                                  Suppression.email_hash == digest)).scalar_one_or_none()
    if row is None:
        row = Suppression(organisation_id=organisation_id, email_hash=digest, reason=reason)
        db.session.add(row)
    return row
