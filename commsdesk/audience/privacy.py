"""A member's rights over their data: the access request (everything held about them, as
JSON) and erasure (the member row goes, the address survives only as a suppression hash and
is blanked on the delivery rows). Both are audited without writing the address down."""
from sqlalchemy import and_, select, update

from .. import audit
from ..extensions import db
from ..models import AuditEntry, Delivery, Mailing
from .members import require_steward
from .suppression import suppress

MEMBER_FIELDS = ("id", "name", "email", "phone", "branch", "tags", "topics", "state",
                 "consent_source", "consent_at", "consent_text", "confirmed_at",
                 "member_since", "soft_bounces", "created_at", "updated_at")


def _plain(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


def access_request(user, member):
    """Everything held about the member: the row, consent, deliveries sent, audit entries."""
    require_steward(user)
    deliveries = db.session.execute(
        select(Delivery.email, Delivery.state, Delivery.sent_at, Mailing.subject, Mailing.kind)
        .join(Mailing, Mailing.id == Delivery.mailing_id)
        .where(Delivery.member_id == member.id, Mailing.organisation_id == member.organisation_id)
        .order_by(Delivery.id)).all()
    entries = db.session.execute(select(AuditEntry).where(and_(
        AuditEntry.object_type == "member", AuditEntry.object_id == member.id,
        AuditEntry.organisation_id == member.organisation_id)).order_by(AuditEntry.id)
    ).scalars().all()
    data = {
        "member": {name: _plain(getattr(member, name)) for name in MEMBER_FIELDS},
        "consent": {"source": member.consent_source, "at": _plain(member.consent_at),
                    "text": member.consent_text, "confirmed_at": _plain(member.confirmed_at)},
        "deliveries": [{"email": d.email, "state": d.state, "sent_at": _plain(d.sent_at),
                        "subject": d.subject, "kind": d.kind} for d in deliveries],
        "audit": [{"at": _plain(e.at), "action": e.action,
                   "actor_id": e.actor_id} for e in entries],
    }
    audit.record(user, "member.data_exported", member)
    db.session.commit()
    return data


def erase(user, member):
    """Delete the member, keep only a suppression hash, blank the address on deliveries."""
    require_steward(user)
    org_id, member_id = member.organisation_id, member.id
    suppress(org_id, member.email, "erased")
    db.session.execute(update(Delivery).where(Delivery.member_id == member_id)
                       .values(email="erased", name=""))
    audit.record(user, "member.erased", member)
    db.session.delete(member)
    db.session.commit()
