"""Approval policy per document kind and organisation: who approves, and whether a person
may approve their own text."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..access import APPROVER, APPROVERS, EDITOR, is_admin
from ..errors import Forbidden, ValidationError
from ..extensions import db
from ..models import KindPolicy

# Kinds that an editor may approve by default; all others need the group leader (approver).
EDITOR_APPROVES = {"social_post"}


def policy(organisation_id, kind):
    """(approver roles, self-approval allowed) for a kind in an organisation."""
    row = db.session.execute(
        select(KindPolicy).where(KindPolicy.organisation_id == organisation_id,
                                 KindPolicy.kind == kind)
    ).scalar_one_or_none()
    role = row.approver_role if row else (EDITOR if kind in EDITOR_APPROVES else APPROVER)
    return APPROVERS.get(role, APPROVERS[APPROVER]), bool(row and row.allow_self_approval)


def set_policy(actor, kind, approver_role, allow_self_approval=False):
    """An admin sets which role approves a kind in their organisation."""
    if not is_admin(actor):
        raise Forbidden(_("Only an admin may change the approval policy."))
    if approver_role not in APPROVERS:
        raise ValidationError(_("The approving role must be approver or editor."))
    row = db.session.execute(
        select(KindPolicy).where(KindPolicy.organisation_id == actor.organisation_id,
                                 KindPolicy.kind == kind)
    ).scalar_one_or_none() or KindPolicy(organisation_id=actor.organisation_id, kind=kind)
    row.approver_role, row.allow_self_approval = approver_role, bool(allow_self_approval)
    db.session.add(row)
    audit.record(actor, "policy.changed", row, kind=kind, approver_role=approver_role,
                 allow_self_approval=bool(allow_self_approval))
    db.session.commit()
    return row
