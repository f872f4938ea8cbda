"""Writing the append-only audit log."""
from .extensions import db
from .models import AuditEntry


def record(actor, action, obj=None, organisation_id=None, **data):
    """Add an audit entry to the current transaction (the caller commits)."""
    if organisation_id is None and obj is not None:
        organisation_id = getattr(obj, "organisation_id", None)
    if organisation_id is None and actor is not None:
        organisation_id = actor.organisation_id
    entry = AuditEntry(
        actor_id=actor.id if actor is not None else None,
        organisation_id=organisation_id,
        action=action,
        object_type=type(obj).__name__.lower() if obj is not None else "",
        object_id=getattr(obj, "id", None),
        data=data,
    )
    db.session.add(entry)
    return entry
