"""Importing press contacts from a CSV or XLSX file on the press page, with the member
importer's reading (hostile files refused before they cost anything), header mapping and
row checks. The accepted rows are written in one transaction, and put on the chosen press
list; rejected rows are not written and come back with their reasons."""
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select

from .. import audit
from ..errors import ValidationError
from ..extensions import db
from ..models import PressContact
from . import reading
from .importing import FORMULA, HEADER_WORDS, guess_mapping, report_csv, valid_email
from .members import require_steward
from .press import LIMITS, get_list

FIELDS = ("name", "email", "outlet", "beat", "phone")
PRESS_WORDS = {
    "name": (*HEADER_WORDS["name"], "journalist", "kontakt", "contact", "reporter"),
    "email": HEADER_WORDS["email"],
    "outlet": ("tidning", "outlet", "redaktion", "medium", "media", "publikation",
               "publication", "kanal", "newspaper"),
    "beat": ("bevakning", "beat", "bevakningsområde", "område", "ämne", "topic"),
    "phone": HEADER_WORDS["phone"],
}


@dataclass
class Result:
    imported: int = 0
    rejected: list = field(default_factory=list)  # (row number, reason, cells)
    report: str | None = None  # the rejected rows with reasons as CSV
    unknown: list = field(default_factory=list)  # header cells not imported


def _check_row(values, seen, existing):
    """(contact values, None) or (None, reason) for one mapped row."""
    if FORMULA.search("\x1f".join(values.values())):
        return None, _("a cell looks like a spreadsheet formula")
    email = values.get("email", "").strip().lower()
    if not email:
        return None, _("no email address")
    if not valid_email(email):
        return None, _("not a valid email address")
    if email in seen:
        return None, _("the address appears earlier in the file (row %(row)d)", row=seen[email])
    if email in existing:
        return None, _("already a press contact")
    for key, limit in LIMITS.items():
        if len(values.get(key, "")) > limit:
            return None, _("%(field)s is too long", field=key)
    contact = {key: values.get(key, "").strip() or None for key in LIMITS}
    return {**contact, "name": contact["name"] or "", "email": email}, None


def check(organisation_id, table, mapping):
    """(accepted contact values, rejected rows) of the file's rows."""
    columns = [(int(k), name) for k, name in mapping.items()]
    existing = set(db.session.execute(select(PressContact.email).where(
        PressContact.organisation_id == organisation_id)).scalars())
    accepted, rejected, seen = [], [], {}
    for number, row in enumerate(table.rows, start=2):  # row 1 is the header
        values = {name: (row[i] if i < len(row) else "") for i, name in columns}
        contact, reason = _check_row(values, seen, existing)
        if contact is None:
            rejected.append((number, str(reason), row))
        else:
            seen[contact["email"]] = number
            accepted.append(contact)
    return accepted, rejected


def import_file(user, filename, data, press_list_id=None):
    """Read, check and write the file's press contacts (ImportRefused or ValidationError
    when it cannot be imported at all: then nothing is written); commits."""
    require_steward(user)
    press_list = get_list(user, int(press_list_id)) if press_list_id else None
    table = reading.read(filename or "press.csv", data)
    mapping = guess_mapping(table.header, PRESS_WORDS)
    if "email" not in mapping.values():
        raise ValidationError(_("No column with email addresses: name its header E-post or "
                                "Email."))
    accepted, rejected = check(user.organisation_id, table, mapping)
    contacts = [PressContact(organisation_id=user.organisation_id, **values)
                for values in accepted]
    db.session.add_all(contacts)
    if press_list is not None:
        press_list.contacts.extend(contacts)
    db.session.flush()
    audit.record(user, "press_contacts.imported", press_list or user.organisation,
                 organisation_id=user.organisation_id, filename=(filename or "")[-200:],
                 imported=len(contacts), rejected=len(rejected),
                 press_list=press_list.name if press_list else None)
    db.session.commit()
    unknown = [cell or f"#{i + 1}" for i, cell in enumerate(table.header)
               if str(i) not in mapping]
    return Result(imported=len(contacts), rejected=rejected, unknown=unknown,
                  report=report_csv(table, rejected) if rejected else None)
