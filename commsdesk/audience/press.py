"""Press contacts (journalist, outlet, beat) and press lists; audited like member data."""
from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..access import get_or_404
from ..errors import ValidationError
from ..extensions import db
from ..models import PressContact, PressList
from .members import check_email, require_steward

LIMITS = {"name": 200, "outlet": 200, "beat": 200, "phone": 40}


def contacts(user):
    """The organisation's press contacts by name."""
    require_steward(user)
    return db.session.execute(select(PressContact).where(
        PressContact.organisation_id == user.organisation_id)
        .order_by(PressContact.name, PressContact.id)).scalars().all()


def lists(user):
    """The organisation's press lists by name."""
    require_steward(user)
    return db.session.execute(select(PressList).where(
        PressList.organisation_id == user.organisation_id).order_by(PressList.name)
    ).scalars().all()


def get_contact(user, contact_id):
    """A press contact of the user's organisation; NotFound otherwise."""
    require_steward(user)
    return get_or_404(PressContact, contact_id,
                      PressContact.organisation_id == user.organisation_id,
                      message=_("No such press contact."))


def get_list(user, list_id):
    """A press list of the user's organisation; NotFound otherwise."""
    require_steward(user)
    return get_or_404(PressList, list_id, PressList.organisation_id == user.organisation_id,
                      message=_("No such press list."))


def save_contact(user, contact, values):
    """Create (contact None) or change a press contact; audited."""
    require_steward(user)
    created = contact is None
    if created:
        contact = PressContact(organisation_id=user.organisation_id)
    for key, limit in LIMITS.items():
        text = (values.get(key) or "").strip()
        if len(text) > limit:
            raise ValidationError(_("%(field)s is too long.", field=key))
        setattr(contact, key, text if key == "name" else (text or None))
    contact.email = check_email(values.get("email"))
    clash = db.session.execute(select(PressContact.id).where(
        PressContact.organisation_id == user.organisation_id,
        PressContact.email == contact.email)).scalar()
    if clash is not None and clash != contact.id:
        raise ValidationError(_("%(email)s is already a press contact.", email=contact.email))
    db.session.add(contact)
    db.session.flush()
    audit.record(user, "press_contact.created" if created else "press_contact.updated",
                 contact)
    db.session.commit()
    return contact


def delete_contact(user, contact):
    """Delete a press contact (and take it off every list)."""
    require_steward(user)
    audit.record(user, "press_contact.deleted", contact)
    db.session.delete(contact)
    db.session.commit()


def save_list(user, press_list, name, contact_ids):
    """Create (press_list None) or change a list's name and contacts; audited."""
    require_steward(user)
    name = (name or "").strip()
    if not name or len(name) > 200:
        raise ValidationError(_("A press list needs a name (at most 200 characters)."))
    created = press_list is None
    clash = db.session.execute(select(PressList.id).where(
        PressList.organisation_id == user.organisation_id, PressList.name == name)).scalar()
    if clash is not None and (created or clash != press_list.id):
        raise ValidationError(_("There is already a press list called %(name)s.", name=name))
    if created:
        press_list = PressList(organisation_id=user.organisation_id)
        db.session.add(press_list)
    press_list.name = name
    ids = [i for i in (int(x) for x in contact_ids if str(x).isdigit())]
    press_list.contacts = db.session.execute(select(PressContact).where(
        PressContact.organisation_id == user.organisation_id,
        PressContact.id.in_(ids))).scalars().all() if ids else []
    db.session.flush()
    audit.record(user, "press_list.created" if created else "press_list.updated", press_list,
                 name=name, contacts=len(press_list.contacts))
    db.session.commit()
    return press_list


def delete_list(user, press_list):
    """Delete a press list (its contacts stay)."""
    require_steward(user)
    audit.record(user, "press_list.deleted", press_list, name=press_list.name)
    db.session.delete(press_list)
    db.session.commit()
