"""The newspapers an organisation offers op-eds and letters to: each outlet's debate-desk
address, length limit, exclusivity rule and typical reply time, kept by its editors and
admins. An outlet is deactivated rather than deleted, so earlier submissions keep it."""
from flask_babel import gettext as _
from sqlalchemy import select

from . import audit, people
from .access import ADMIN, EDITOR, get_or_404
from .errors import Forbidden, ValidationError
from .extensions import db
from .models import Outlet
from .validation import text_field

MANAGERS = frozenset({ADMIN, EDITOR})
MAX_NAME = 200
MAX_NOTE = 2000
MAX_LIMIT = 100_000
MAX_REPLY_DAYS = 90
DEFAULT_REPLY_DAYS = 7
FIELDS = ("name", "email", "length_limit", "wants_exclusive", "exclusivity_note",
          "reply_days", "active")


def can_manage(user):
    """Whether the user keeps the organisation's outlets and submits texts to them."""
    return user.organisation_id is not None and user.role in MANAGERS


def require_manage(user):
    if not can_manage(user):
        raise Forbidden(_("Only the organisation's editors and admins manage outlets."))


def for_organisation(organisation_id, active_only=False):
    """The organisation's outlets by name (active ones only, if asked)."""
    query = select(Outlet).where(Outlet.organisation_id == organisation_id)
    if active_only:
        query = query.where(Outlet.active.is_(True))
    return db.session.execute(query.order_by(Outlet.name, Outlet.id)).scalars().all()


def get_outlet(user, outlet_id):
    """An outlet of the user's organisation, else NotFound."""
    return get_or_404(Outlet, outlet_id, Outlet.organisation_id == user.organisation_id,
                      message=_("No such outlet."))


def _whole_number(value, label, name, low, high, required=False):
    if value in (None, ""):
        if required:
            raise ValidationError(_("%(field)s is required.", field=label), field=name)
        return None
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValidationError(_("%(field)s must be a whole number from %(low)d to %(high)d.",
                                field=label, low=low, high=high), field=name)
    return value


def _flag(value):
    """A yes/no from JSON (true/false) or a form ("1", "on", "yes")."""
    if isinstance(value, str):
        return value.strip().lower() in ("1", "on", "yes", "true")
    return bool(value)


def clean(values, outlet=None):
    """The outlet's fields checked, from a form or JSON; a field left out keeps its value."""
    current = {f: getattr(outlet, f) for f in FIELDS} if outlet else {
        "name": None, "email": None, "length_limit": None, "wants_exclusive": False,
        "exclusivity_note": "", "reply_days": DEFAULT_REPLY_DAYS, "active": True}
    merged = {f: values[f] if f in values else current[f] for f in FIELDS}
    email = text_field(merged["email"], 254, _("Debate-desk email address"), "email",
                       required=True, single_line=True)
    try:
        email = people.normalise_email(email)
    except ValidationError as exc:
        raise ValidationError(exc.message, field="email") from None
    return {
        "name": text_field(merged["name"], MAX_NAME, _("Name"), "name", required=True,
                           single_line=True),
        "email": email,
        "length_limit": _whole_number(merged["length_limit"], _("Length limit (characters)"),
                                      "length_limit", 1, MAX_LIMIT),
        "wants_exclusive": _flag(merged["wants_exclusive"]),
        "exclusivity_note": text_field(merged["exclusivity_note"], MAX_NOTE,
                                       _("Exclusivity note"), "exclusivity_note"),
        "reply_days": _whole_number(merged["reply_days"], _("Typical reply time (days)"),
                                    "reply_days", 1, MAX_REPLY_DAYS, required=True),
        "active": _flag(merged["active"]),
    }


def save(user, values, outlet=None):
    """Add an outlet (outlet None) or change one; every change is audited."""
    require_manage(user)
    data = clean(values, outlet)
    clash = db.session.execute(
        select(Outlet.id).where(Outlet.organisation_id == user.organisation_id,
                                Outlet.name == data["name"])).scalar()
    if clash is not None and (outlet is None or clash != outlet.id):
        raise ValidationError(_("Another outlet is called %(name)s.", name=data["name"]),
                              field="name")
    action = "outlet.updated"
    if outlet is None:
        outlet = Outlet(organisation_id=user.organisation_id)
        db.session.add(outlet)
        action = "outlet.created"
    elif outlet.active and not data["active"]:
        action = "outlet.deactivated"
    for key, value in data.items():
        setattr(outlet, key, value)
    db.session.flush()
    audit.record(user, action, outlet, **{k: data[k] for k in FIELDS})
    db.session.commit()
    return outlet


def deactivate(user, outlet):
    """Take an outlet off the list of places to submit to (its submissions stay)."""
    return save(user, {"active": False}, outlet)
